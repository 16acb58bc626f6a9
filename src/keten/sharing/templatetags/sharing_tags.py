"""Template helpers of informatie delen."""

from __future__ import annotations

from typing import Any

from django import template

from keten.core.actor import actor_from_request
from keten.sharing.models import DataCategory
from keten.sharing.selectors import convenants_list

register = template.Library()


@register.filter
def category_labels(values: list[str]) -> str:
    """Data category codes as their Dutch labels, comma separated."""
    labels = dict(DataCategory.choices)
    return ", ".join(str(labels.get(v, v)) for v in values)


@register.simple_tag(takes_context=True)
def municipality_convenants(context: dict[str, Any]) -> Any:
    """The convenants of the viewer's municipality (for the agreements list of the sociale kaart)."""
    request = context.get("request")
    if request is None:
        return []
    return list(convenants_list(actor=actor_from_request(request)))
