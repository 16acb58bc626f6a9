"""Reads of the checklists: the versions a traject starts with, and those the beheerder sees.

The beheerder sees the national versions (read-only) and those of their own municipality
(``meldcode.view_checklist``, row filter ``rules.checklists_visible_to``); any other is not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.meldcode.models import Checklist, Traject
from keten.meldcode.rules import checklists_visible_to


def checklists_current(organisation_type: str, municipality_id: int | None = None) -> list[Checklist]:
    """The newest published version of each kind of checklist for an organisation type in a municipality.

    Per kind, a version of the municipality (published by its gemeente's functioneel beheerder) wins
    over the national one; within each, a version for the specific type wins over the general one
    (organisation_type ""), and then the highest version. Without a municipality: national versions only.
    """
    own = Q(municipality__isnull=True)
    if municipality_id is not None:
        own |= Q(municipality_id=municipality_id)
    rows = (
        Checklist.objects.filter(published_at__isnull=False)
        .filter(own)
        .filter(Q(organisation_type="") | Q(organisation_type=organisation_type))
    )

    def rank(checklist: Checklist) -> tuple[bool, bool, int]:
        return (checklist.municipality_id is not None, checklist.organisation_type != "", checklist.version)

    best: dict[str, Checklist] = {}
    for checklist in rows:
        current = best.get(checklist.kind)
        if current is None or rank(checklist) > rank(current):
            best[checklist.kind] = checklist
    return [best[k] for k in sorted(best)]


@dataclass(frozen=True)
class ChecklistVersion:
    """One version in the beheerder's list, with its number of items and of trajecten that use it."""

    checklist: Checklist
    item_count: int
    used_by: int


def checklist_versions(*, actor: Actor) -> list[ChecklistVersion]:
    """The national checklists and those of the own municipality, by kind, organisation type and
    national/municipal, newest version first, each with how many trajecten use it (two queries)."""
    if actor.user is None:
        raise NotFoundError
    rows = list(
        checklists_visible_to(actor.user)
        .select_related("created_by", "municipality")
        .order_by("kind", "organisation_type", "municipality_id", "-version")
    )
    used_by = dict(
        Traject.checklists.through.objects.filter(checklist_id__in=[c.pk for c in rows])
        .values_list("checklist_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [ChecklistVersion(checklist=c, item_count=len(c.items), used_by=used_by.get(c.pk, 0)) for c in rows]


def checklist_get(*, actor: Actor, pk: int) -> Checklist:
    """A version the beheerder may read (national, or of the own municipality); NotFoundError for any other."""
    checklist = Checklist.objects.select_related("created_by", "municipality").filter(pk=pk).first()
    if checklist is None or not allows("meldcode.view_checklist", actor, checklist):
        raise NotFoundError
    return checklist


def is_newest(checklist: Checklist) -> bool:
    """Whether no later version of the same list exists in the same scope (national, or the municipality's)."""
    same_scope = (
        Q(municipality__isnull=True)
        if checklist.municipality_id is None
        else Q(municipality_id=checklist.municipality_id)
    )
    newest = (
        Checklist.objects.filter(same_scope, kind=checklist.kind, organisation_type=checklist.organisation_type)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return newest == checklist.version
