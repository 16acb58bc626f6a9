"""Reads of convenants: the agreements of a municipality's partners and the data flows they permit."""

from __future__ import annotations

from django.db.models import QuerySet

from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.sharing import rules
from keten.sharing.models import Convenant


def convenants_list(*, actor: Actor) -> QuerySet[Convenant]:
    """The convenants of the actor's municipality, newest first (the pages)."""
    if actor.membership is None:
        return Convenant.objects.none()
    return (
        Convenant.objects.filter(municipality_id=actor.membership.organisation.municipality_id)
        .prefetch_related("parties", "flows")
        .order_by("-start_date", "title")
    )


def convenants_of_municipality(actor: Actor) -> QuerySet[Convenant]:
    """Convenants of the actor's municipality: every member of one of its organisations may read them (the API)."""
    if actor.user is None or not allows("sharing.view_convenants", actor.user):
        raise NotFoundError
    return rules.convenants_of_municipality(actor.user).prefetch_related("parties", "flows").order_by("title", "pk")
