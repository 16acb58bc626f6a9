"""Reads of sociale kaart entries for those who keep them up to date: the entry to edit, its editors, stale entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.network.kaart.selectors.scope import kaart_municipality_id, stale_before
from keten.network.models import OrganisationEntry
from keten.network.rules import entries_editable_by


def entry_for_edit(*, actor: Actor, organisation_id: int) -> tuple[Organisation, OrganisationEntry]:
    """The organisation and its (possibly unsaved) entry, for those who may edit it; else NotFoundError."""
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).select_related("entry").first()
    if organisation is None or actor.user is None or not allows("network.edit_entry", actor.user, organisation):
        raise NotFoundError
    entry = getattr(organisation, "entry", None)
    return organisation, entry or OrganisationEntry(organisation=organisation, version=0)


def stale_entries(*, actor: Actor, months: int | None = None) -> list[Organisation]:
    """Active organisations whose entry is missing or not confirmed for ``months`` months."""
    municipality_id = kaart_municipality_id(actor)
    months = settings.KETEN_NETWORK_STALE_MONTHS if months is None else months
    threshold = timezone.now() - timedelta(days=round(months * 30.44))
    return list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .filter(
            Q(entry__isnull=True) | Q(entry__last_confirmed_at__isnull=True) | Q(entry__last_confirmed_at__lt=threshold)
        )
        .select_related("entry")
        .order_by("name")
    )


@dataclass
class StaleEntries:
    rows: list[Organisation]
    total: int


def stale_entries_to_confirm(*, actor: Actor, limit: int = 5) -> StaleEntries:
    """The outdated entries (missing, or not confirmed since :func:`stale_before`) of the active
    organisations whose entry the actor may edit (``network.edit_entry``), least recently confirmed
    first: the first ``limit`` and the total, in two queries."""
    if actor.user is None:
        return StaleEntries(rows=[], total=0)
    threshold = stale_before()
    qs = (
        entries_editable_by(actor.user)
        .filter(is_active=True)
        .filter(
            Q(entry__isnull=True) | Q(entry__last_confirmed_at__isnull=True) | Q(entry__last_confirmed_at__lt=threshold)
        )
    )
    total = qs.count()
    rows = (
        list(qs.select_related("entry").order_by(F("entry__last_confirmed_at").asc(nulls_first=True), "name")[:limit])
        if total
        else []
    )
    return StaleEntries(rows=rows, total=total)


def organisation_choices(*, actor: Actor) -> list[tuple[int, str]]:
    municipality_id = kaart_municipality_id(actor)
    return list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .order_by("name")
        .values_list("id", "name")
    )


@dataclass(frozen=True)
class Editor:
    user: User
    role_label: str
    #: False when the editor no longer works for the organisation: the right then lapses by itself.
    is_member: bool


def entry_editors(*, actor: Actor, organisation: Organisation) -> tuple[list[Editor], list[tuple[int, str]]]:
    """The entry's designated editors and the members who could be added (two queries).

    Only for those who may manage the editors; NotFoundError otherwise.
    """
    if actor.user is None or not allows("network.manage_entry_editors", actor.user, organisation):
        raise NotFoundError
    members: dict[int, Membership] = {}
    for membership in (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    ):
        members.setdefault(membership.user_id, membership)
    editor_users = list(
        User.objects.filter(
            pk__in=OrganisationEntry.editors.through.objects.filter(
                organisationentry__organisation=organisation
            ).values("user_id")
        ).order_by("last_name", "first_name", "pk")
    )
    editors = [
        Editor(
            user=user,
            role_label=str(members[user.pk].get_role_display()) if user.pk in members else "",
            is_member=user.pk in members,
        )
        for user in editor_users
    ]
    taken = {user.pk for user in editor_users}
    candidates = [(m.user_id, f"{m.user} ({m.get_role_display()})") for m in members.values() if m.user_id not in taken]
    return editors, candidates
