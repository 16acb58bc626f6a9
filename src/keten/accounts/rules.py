"""Who manages which organisation, team and account: the accounts' rules and the row filters that
implement them, side by side, registered with the one policy.

Asked through :func:`keten.core.policy.allows`. Each rule about an object has its row filter (a
queryset of the rows the same rule allows) right below its predicate, for the beheer lists and
look-ups in ``keten.accounts.selectors``; ``tests/test_account_rules_agree.py`` checks that every
pair agrees. This module depends only on the accounts' models and the policy's role helpers.

In short:

- a functioneel beheerder manages the accounts of people with an *active* membership in the
  beheerder's own organisation, and those people's roles there — never through a past membership;
- the beheerder of an organisation sees its page, teams and system clients; the gemeente's beheerder
  those of every organisation of the municipality, changes their name, type and status, and
  appoints the first functioneel beheerder of an organisation that has none;
- a reset request about an account is seen by the beheerders who manage that account (never by the
  person), and decided by one of them who did not ask for it (four eyes);
- everyone signed in, and every system whose token holds ``organisations:read``, lists the
  organisations (not client data).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, QuerySet

from keten.accounts.models import Membership, Organisation, OrganisationType, ResetRequest, Role, User
from keten.core.policy import is_functioneel_beheerder, role_of, system_scope, works_for_gemeente


def beheer_membership(user: Any) -> Any:
    """The acting membership of a functioneel beheerder (None for anyone else)."""
    if role_of(user) != Role.FUNCTIONEEL_BEHEERDER:
        return None
    return user.active_membership


def _user_pk(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


# --- organisations ----------------------------------------------------------------------------


@rules.predicate
def is_entry_beheerder(user: Any, organisation: Any) -> bool:
    """Functioneel beheerder of the organisation itself or of the gemeente organisation of its municipality."""
    membership = beheer_membership(user)
    if organisation is None or membership is None:
        return False
    own = membership.organisation
    if own.pk == organisation.pk:
        return True
    return bool(own.type == OrganisationType.GEMEENTE and own.municipality_id == organisation.municipality_id)


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Row filter of :func:`is_entry_beheerder` (``accounts.view_organisation``, ``manage_teams``,
    ``manage_api_clients``): the own organisation; for the gemeente's beheerder the municipality's."""
    membership = beheer_membership(user)
    if membership is None:
        return Organisation.objects.none()
    own = membership.organisation
    if own.type == OrganisationType.GEMEENTE:
        return Organisation.objects.filter(municipality_id=own.municipality_id)
    return Organisation.objects.filter(pk=own.pk)


@rules.predicate
def manages_municipality_of(user: Any, organisation: Any) -> bool:
    """The gemeente's beheerder, for an organisation of their own municipality: its name, type and status."""
    membership = beheer_membership(user)
    if organisation is None or membership is None:
        return False
    own = membership.organisation
    return bool(own.type == OrganisationType.GEMEENTE and own.municipality_id == organisation.municipality_id)


def changeable_organisations(user: Any) -> QuerySet[Organisation]:
    """Row filter of :func:`manages_municipality_of` (``accounts.change_organisation``)."""
    membership = beheer_membership(user)
    if membership is None or membership.organisation.type != OrganisationType.GEMEENTE:
        return Organisation.objects.none()
    return Organisation.objects.filter(municipality_id=membership.organisation.municipality_id)


def _has_beheerder(organisation_field: str = "pk") -> Exists:
    return Exists(
        Membership.objects.filter(
            organisation_id=OuterRef(organisation_field),
            role=Role.FUNCTIONEEL_BEHEERDER,
            is_active=True,
            user__is_active=True,
        )
    )


@rules.predicate
def may_appoint_first_beheerder(user: Any, organisation: Any) -> bool:
    """The gemeente's beheerder, for another active organisation of the municipality without an active beheerder.

    From then on that organisation's own beheerder manages its accounts.
    """
    membership = beheer_membership(user)
    if organisation is None or membership is None:
        return False
    own = membership.organisation
    if own.type != OrganisationType.GEMEENTE or organisation.pk == own.pk:
        return False
    if organisation.municipality_id != own.municipality_id or not organisation.is_active:
        return False
    return not Organisation.objects.filter(_has_beheerder(), pk=organisation.pk).exists()


def organisations_without_beheerder(user: Any) -> QuerySet[Organisation]:
    """Row filter of :func:`may_appoint_first_beheerder` (``accounts.appoint_first_beheerder``)."""
    membership = beheer_membership(user)
    if membership is None or membership.organisation.type != OrganisationType.GEMEENTE:
        return Organisation.objects.none()
    own = membership.organisation
    return (
        Organisation.objects.filter(municipality_id=own.municipality_id, is_active=True)
        .exclude(pk=own.pk)
        .exclude(_has_beheerder())
    )


# --- accounts and their roles -----------------------------------------------------------------


def _active_in(organisation_id: int, user_field: str = "pk") -> Exists:
    return Exists(
        Membership.objects.filter(user_id=OuterRef(user_field), organisation_id=organisation_id, is_active=True)
    )


@rules.predicate
def manages_account(user: Any, person: Any) -> bool:
    """A beheerder manages the account of someone with an *active* membership in the beheerder's organisation.

    Never through a past membership; the gemeente's beheerder manages the accounts of the gemeente
    organisation only (its scope over other organisations is their data, teams and wijken).
    """
    membership = beheer_membership(user)
    if person is None or membership is None:
        return False
    return Membership.objects.filter(
        user_id=person.pk, organisation_id=membership.organisation_id, is_active=True
    ).exists()


def managed_users(user: Any) -> QuerySet[User]:
    """Row filter of :func:`manages_account` (``accounts.manage_account``)."""
    membership = beheer_membership(user)
    if membership is None:
        return User.objects.none()
    return User.objects.filter(_active_in(membership.organisation_id))


@rules.predicate
def manages_membership(user: Any, membership: Any) -> bool:
    """A role in the beheerder's own organisation (also an ended one) of someone whose account they manage."""
    own = beheer_membership(user)
    if membership is None or own is None or membership.organisation_id != own.organisation_id:
        return False
    return bool(manages_account(user, membership.user))


def managed_memberships(user: Any) -> QuerySet[Membership]:
    """Row filter of :func:`manages_membership` (``accounts.manage_membership``)."""
    own = beheer_membership(user)
    if own is None:
        return Membership.objects.none()
    return Membership.objects.filter(_active_in(own.organisation_id, "user_id"), organisation_id=own.organisation_id)


# --- resets (four eyes) -----------------------------------------------------------------------


@rules.predicate
def sees_reset_request(user: Any, reset_request: Any) -> bool:
    """A reset request (any status) about an account the beheerder manages, never about themselves."""
    if reset_request is None or reset_request.user_id == _user_pk(user):
        return False
    return bool(manages_account(user, reset_request.user))


def visible_reset_requests(user: Any) -> QuerySet[ResetRequest]:
    """Row filter of :func:`sees_reset_request` (``accounts.view_reset_request``)."""
    pk = _user_pk(user)
    if pk is None:
        return ResetRequest.objects.none()
    return ResetRequest.objects.filter(user__in=managed_users(user).values("pk")).exclude(user_id=pk)


@rules.predicate
def may_decide_reset(user: Any, reset_request: Any) -> bool:
    """A second beheerder over the same account: neither the requester nor the person, and still pending."""
    if reset_request is None or reset_request.status != ResetRequest.Status.PENDING:
        return False
    if _user_pk(user) in (reset_request.requested_by_id, reset_request.user_id):
        return False
    return bool(manages_account(user, reset_request.user))


def reset_requests_to_decide(user: Any) -> QuerySet[ResetRequest]:
    """Row filter of :func:`may_decide_reset` (``accounts.decide_reset``): pending, asked by someone else."""
    pk = _user_pk(user)
    if pk is None:
        return ResetRequest.objects.none()
    return visible_reset_requests(user).filter(status=ResetRequest.Status.PENDING).exclude(requested_by_id=pk)


# --- registrations ----------------------------------------------------------------------------

# The beheer pages at all; what a beheerder manages there is scoped by the object rules.
rules.add_perm("accounts.manage", is_functioneel_beheerder)
rules.add_perm("accounts.manage_municipality", is_functioneel_beheerder & works_for_gemeente)
rules.add_perm("accounts.view_organisation", is_entry_beheerder)
rules.add_perm("accounts.change_organisation", manages_municipality_of)
rules.add_perm("accounts.appoint_first_beheerder", may_appoint_first_beheerder)
rules.add_perm("accounts.manage_teams", is_entry_beheerder)
rules.add_perm("accounts.manage_api_clients", is_entry_beheerder)
rules.add_perm("accounts.manage_account", manages_account)
rules.add_perm("accounts.manage_membership", manages_membership)
rules.add_perm("accounts.view_reset_request", sees_reset_request)
rules.add_perm("accounts.decide_reset", may_decide_reset)
# A person's own account: the account page, password, authenticator app.
rules.add_perm("accounts.change_own_account", rules.is_authenticated)
# The list of organisations of the chain (no client data): anyone signed in, and partner systems.
rules.add_perm("accounts.list_organisations", rules.is_authenticated)
system_scope("accounts.list_organisations", "organisations:read")
