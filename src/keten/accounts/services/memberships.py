"""A professional's roles (memberships) in the beheerder's organisation: add, change the role, end."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts import selectors
from keten.accounts.models import Membership, Organisation, Team, User
from keten.accounts.services.changes import record, set_active
from keten.accounts.services.checks import check_membership, check_user, guard_own_beheer
from keten.accounts.services.validation import clean_role
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction


def clean_membership(
    scope: selectors.BeheerScope, organisation_id: int | None, team_id: int | None, role: str
) -> tuple[Organisation, Team | None, str]:
    """A role in the beheerder's own organisation (accounts of other organisations are theirs to manage)."""
    organisation = (
        Organisation.objects.filter(pk=organisation_id, is_active=True).first() if organisation_id is not None else None
    )
    if organisation is None or organisation.pk != scope.organisation_id:
        raise DomainError(_("Kies uw eigen organisatie."), field="organisation")
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, organisation=organisation).first()
        if team is None:
            raise DomainError(_("Dit team hoort niet bij de gekozen organisatie."), field="team")
    return organisation, team, clean_role(role)


def membership_add(
    *, actor: Actor, user: User, organisation_id: int | None, team_id: int | None, role: str
) -> Membership:
    """Give a professional a role in the beheerder's organisation (reactivates an ended membership with that role)."""
    scope = check_user(actor, user)
    organisation, team, role = clean_membership(scope, organisation_id, team_id, role)
    existing = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if existing is not None and existing.is_active:
        raise DomainError(_("Deze medewerker heeft deze rol al in deze organisatie."), field="role")
    if existing is not None:
        guard_own_beheer(actor, user, reactivated=[existing.pk])
    with transaction.atomic():
        if existing is not None:
            Membership.objects.filter(pk=existing.pk).update(is_active=True, team=team)
            existing.refresh_from_db()
            membership = existing
            record(actor, AuditAction.UPDATE, "membership", membership.pk, is_active=True, team=team_id)
        else:
            membership = Membership.objects.create(user=user, organisation=organisation, team=team, role=role)
            record(
                actor,
                AuditAction.CREATE,
                "membership",
                membership.pk,
                user=user.pk,
                organisation=organisation.pk,
                team=team_id,
                role=role,
            )
    return membership


def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """End a membership; the row stays (inactive) as history."""
    check_membership(actor, membership)
    if not membership.is_active:
        raise DomainError(_("Dit lidmaatschap is al beëindigd."), field="membership")
    guard_own_beheer(actor, membership.user, ended=[membership.pk])
    set_active(actor, membership, active=False, object_type="membership")
    return membership


def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    check_membership(actor, membership)
    role = clean_role(role)
    if not membership.is_active:
        raise DomainError(_("De rol van een beëindigd lidmaatschap kan niet worden gewijzigd."), field="role")
    if role == membership.role:
        raise DomainError(_("Kies een andere rol dan de huidige."), field="role")
    if Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
    ).exists():
        raise DomainError(
            _(
                "Deze medewerker heeft deze rol al (of had die) in deze organisatie. Beëindig dit lidmaatschap "
                "en voeg de rol opnieuw toe."
            ),
            field="role",
        )
    guard_own_beheer(actor, membership.user, role_changes={membership.pk: role})
    old_role = membership.role
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role=role)
        record(actor, AuditAction.UPDATE, "membership", membership.pk, role=role, previous_role=old_role)
    membership.role = role
    return membership
