"""Reads for managing the designated editors of a sociale kaart entry (the beheerder's view)."""

from __future__ import annotations

from dataclasses import dataclass

from keten.accounts.models import Membership, Organisation, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.network.models import OrganisationEntry


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
