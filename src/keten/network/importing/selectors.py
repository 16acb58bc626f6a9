"""Reads of the beheer page of postcode ranges."""

from __future__ import annotations

from django.db.models import Prefetch

from keten.accounts.models import Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.network.importing.scope import import_municipality_id
from keten.network.models import PostcodeRange
from keten.network.rules import postcode_ranges_managed_by


def wijken_with_ranges(*, actor: Actor) -> list[Wijk]:
    """The wijken of the own municipality, each with ``ranges`` (its postcode ranges in order)."""
    municipality_id = import_municipality_id(actor)
    return list(
        Wijk.objects.filter(municipality_id=municipality_id)
        .prefetch_related(
            Prefetch("postcode_ranges", queryset=PostcodeRange.objects.order_by("start"), to_attr="ranges")
        )
        .order_by("name")
    )


def postcode_range_for_beheer(*, actor: Actor, pk: int) -> PostcodeRange:
    found = postcode_ranges_managed_by(actor.user).filter(pk=pk).select_related("wijk").first()
    if found is None:
        raise NotFoundError
    return found
