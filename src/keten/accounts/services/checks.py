"""Who the beheer use cases act on: the scope checks (404 outside it) and the guard that keeps a
beheerder from taking away their own role."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from keten.accounts import selectors
from keten.accounts.models import Membership, Organisation, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.policy import allows


def municipality_id_of(actor: Actor) -> int:
    """The municipality of the gemeente's beheerder (creating organisations and wijken); 404 for anyone else."""
    return selectors.municipality_scope(actor=actor).municipality_id


def check_organisation(actor: Actor, organisation: Organisation, permission: str) -> int:
    """404 unless the policy allows ``permission`` on this organisation; returns its municipality."""
    if not allows(permission, actor, organisation):
        raise NotFoundError
    return organisation.municipality_id


def check_user(actor: Actor, user: User) -> selectors.BeheerScope:
    """404 unless the actor manages this account (an active membership in their organisation)."""
    if not allows("accounts.manage_account", actor, user):
        raise NotFoundError
    return selectors.beheer_scope(actor=actor)


def check_membership(actor: Actor, membership: Membership) -> None:
    """404 unless the membership is in the beheerder's organisation, of an account they manage."""
    if not allows("accounts.manage_membership", actor, membership):
        raise NotFoundError


def acting_role_after(
    user: User,
    *,
    ended: Iterable[int] = (),
    reactivated: Iterable[int] = (),
    role_changes: dict[int, str] | None = None,
    inactive_organisations: Iterable[int] = (),
) -> str:
    """The role the user would act in after a change (their first active membership, by id)."""
    ended_ids, back_ids = set(ended), set(reactivated)
    off_orgs = set(inactive_organisations)
    changes = role_changes or {}
    for membership in Membership.objects.filter(user=user, organisation__is_active=True).order_by("id"):
        active = (membership.is_active or membership.pk in back_ids) and membership.pk not in ended_ids
        if active and membership.organisation_id not in off_orgs:
            return changes.get(membership.pk, membership.role)
    return ""


def guard_own_beheer(
    actor: Actor,
    user: User,
    *,
    ended: Iterable[int] = (),
    reactivated: Iterable[int] = (),
    role_changes: dict[int, str] | None = None,
    inactive_organisations: Iterable[int] = (),
) -> None:
    """Refuse a change that would take away the actor's own role as functioneel beheerder."""
    if actor.user is None or user.pk != actor.user.pk:
        return
    after = acting_role_after(
        user,
        ended=ended,
        reactivated=reactivated,
        role_changes=role_changes,
        inactive_organisations=inactive_organisations,
    )
    if after != Role.FUNCTIONEEL_BEHEERDER:
        raise DomainError(
            _(
                "Hiermee verliest u zelf uw rol als functioneel beheerder. "
                "Laat een andere functioneel beheerder deze wijziging doen."
            ),
            field="role",
        )
