"""Reads of organisations, wijken and professionals.

The beheer selectors (``*_for_beheer``) return only what a functioneel beheerder may manage: they
build on the row filters beside the rules in ``keten.accounts.rules`` (``accounts.*``):

- the accounts (and their memberships) of people with an *active* membership in the beheerder's own
  organisation — never through a past membership;
- their own organisation's page, teams and system clients; the gemeente's beheerder also those of
  every organisation of the municipality, and its wijken.

Anything else raises :class:`NotFoundError`, so the views answer 404. What the actor may *do* with
a row they may see (change an organisation, decide a reset) the views and services ask the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from keten.accounts import rules as account_rules
from keten.accounts.models import (
    ApiClient,
    EmailChange,
    Membership,
    Organisation,
    OrganisationType,
    ResetRequest,
    SetupLink,
    Team,
    User,
    Wijk,
)
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.errors import NotFoundError
from keten.core.policy import allows


def wijk_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """The wijken to choose from: those of the actor's municipality (all, for an actor without one)."""
    qs = Wijk.objects.order_by("name")
    membership = actor.membership
    if membership is not None:
        qs = qs.filter(municipality_id=membership.organisation.municipality_id)
    return list(qs.values_list("id", "name"))


def organisations_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations are not client data: every signed-in professional and system may list them."""
    return Organisation.objects.filter(is_active=True).select_related("municipality").order_by("name")


# --- beheer (functioneel beheerder) -----------------------------------------------------------


@dataclass(frozen=True)
class BeheerScope:
    """Where a functioneel beheerder acts: their organisation, and whether it is the gemeente's."""

    organisation_id: int
    municipality_id: int
    is_gemeente: bool


def beheer_scope(*, actor: Actor) -> BeheerScope:
    """The scope of a functioneel beheerder; NotFoundError for anyone else."""
    if actor.user is None or actor.membership is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    organisation = actor.membership.organisation
    return BeheerScope(
        organisation_id=organisation.pk,
        municipality_id=organisation.municipality_id,
        is_gemeente=organisation.type == OrganisationType.GEMEENTE,
    )


def beheer_municipality_id(*, actor: Actor) -> int:
    """The municipality a functioneel beheerder works in; NotFoundError for anyone else."""
    return beheer_scope(actor=actor).municipality_id


def municipality_scope(*, actor: Actor) -> BeheerScope:
    """The scope of the gemeente's beheerder (organisations, wijken); NotFoundError for anyone else."""
    scope = beheer_scope(actor=actor)
    if not scope.is_gemeente or not allows("accounts.manage_municipality", actor.user):
        raise NotFoundError
    return scope


def _scope_or_none(actor: Actor) -> BeheerScope | None:
    try:
        return beheer_scope(actor=actor)
    except NotFoundError:
        return None


def beheer_summary(*, actor: Actor) -> dict[str, Any]:
    scope = _scope_or_none(actor)
    if scope is None:
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = account_rules.managed_users(actor.user).filter(is_active=True)
    with_mfa = (
        TOTPDevice.objects.filter(confirmed=True, user__in=users.values("pk")).values("user_id").distinct().count()
    )
    total = users.count()
    return {
        "organisations": account_rules.visible_organisations(actor.user).filter(is_active=True).count(),
        "users": total,
        "users_without_mfa": total - with_mfa,
        "is_gemeente": scope.is_gemeente,
        "pending_resets": account_rules.reset_requests_to_decide(actor.user).count(),
        "roles": list(
            Membership.objects.filter(is_active=True, organisation_id=scope.organisation_id, user__is_active=True)
            .values("role")
            .annotate(n=Count("id"))
            .order_by("role")
        ),
    }


def users_for_beheer(*, actor: Actor, query: str = "", status: str = "") -> QuerySet[User]:
    """The accounts the beheerder manages (the row filter of ``accounts.manage_account``).

    ``status`` is "actief", "inactief" or "" (everyone).
    """
    qs = account_rules.managed_users(actor.user).prefetch_related("memberships__organisation", "memberships__team")
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
        )
    if status == "actief":
        qs = qs.filter(is_active=True)
    elif status == "inactief":
        qs = qs.filter(is_active=False)
    return qs.order_by("last_name", "first_name", "username")


def user_for_beheer(*, actor: Actor, pk: int) -> User:
    """An account the beheerder manages (``accounts.manage_account``); NotFoundError for any other."""
    user = account_rules.managed_users(actor.user).filter(pk=pk).first()
    if user is None:
        raise NotFoundError
    return user


def user_memberships_for_beheer(*, actor: Actor, user: User) -> QuerySet[Membership]:
    """The user's memberships in the beheerder's organisation (others are not shown)."""
    return (
        account_rules.managed_memberships(actor.user)
        .filter(user=user)
        .select_related("organisation", "team")
        .order_by("-is_active", "organisation__name", "role")
    )


def user_has_two_factor(*, user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def membership_for_beheer(*, actor: Actor, pk: int) -> Membership:
    """A membership in the beheerder's organisation of someone whose account they manage
    (``accounts.manage_membership``); NotFoundError for any other."""
    membership = (
        account_rules.managed_memberships(actor.user)
        .select_related("user", "organisation", "team")
        .filter(pk=pk)
        .first()
    )
    if membership is None:
        raise NotFoundError
    return membership


def organisations_for_beheer(*, actor: Actor, query: str = "", include_inactive: bool = True) -> QuerySet[Organisation]:
    qs = account_rules.visible_organisations(actor.user).prefetch_related("wijken")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    query = query.strip()
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.annotate(
        active_members=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("-is_active", "name")


def organisation_for_beheer(*, actor: Actor, pk: int) -> Organisation:
    """An organisation the beheerder sees (``accounts.view_organisation``); NotFoundError for any other."""
    organisation = account_rules.visible_organisations(actor.user).select_related("municipality").filter(pk=pk).first()
    if organisation is None:
        raise NotFoundError
    return organisation


def organisation_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    """Where the beheerder gives roles: their own organisation."""
    scope = beheer_scope(actor=actor)
    return list(
        Organisation.objects.filter(pk=scope.organisation_id, is_active=True).order_by("name").values_list("id", "name")
    )


def account_organisation_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """Where a new account may be made: the own organisation, and (gemeente) organisations without a beheerder."""
    from django.utils.translation import gettext as _

    first = [
        (pk, _("%(name)s (alleen een eerste functioneel beheerder)") % {"name": name})
        for pk, name in account_rules.organisations_without_beheerder(actor.user)
        .order_by("name")
        .values_list("id", "name")
    ]
    return organisation_choices_for_beheer(actor=actor) + first


def team_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    """Teams of the beheerder's own organisation, labelled with their organisation."""
    scope = beheer_scope(actor=actor)
    return [
        (pk, f"{name} ({org})")
        for pk, name, org in Team.objects.filter(organisation_id=scope.organisation_id, organisation__is_active=True)
        .order_by("organisation__name", "name")
        .values_list("id", "name", "organisation__name")
    ]


def teams_for_beheer(*, actor: Actor, organisation: Organisation) -> QuerySet[Team]:
    if not allows("accounts.manage_teams", actor, organisation):
        return Team.objects.none()
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("wijk")
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def team_for_beheer(*, actor: Actor, pk: int) -> Team:
    """A team of an organisation the beheerder sees (``accounts.manage_teams``); NotFoundError for any other."""
    team = (
        Team.objects.select_related("organisation", "wijk")
        .filter(pk=pk, organisation__in=account_rules.visible_organisations(actor.user))
        .first()
    )
    if team is None:
        raise NotFoundError
    return team


def wijken_for_beheer(*, actor: Actor) -> QuerySet[Wijk]:
    try:
        scope = municipality_scope(actor=actor)
    except NotFoundError:
        return Wijk.objects.none()
    return (
        Wijk.objects.filter(municipality_id=scope.municipality_id)
        .annotate(organisation_count=Count("organisations", distinct=True), team_count=Count("teams", distinct=True))
        .order_by("name")
    )


def wijk_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    """The wijken of the beheerder's municipality (a team or organisation works in one)."""
    municipality_id = beheer_municipality_id(actor=actor)
    return list(Wijk.objects.filter(municipality_id=municipality_id).order_by("name").values_list("id", "name"))


def api_clients_for_beheer(*, actor: Actor, organisation: Organisation) -> QuerySet[ApiClient]:
    if not allows("accounts.manage_api_clients", actor, organisation):
        return ApiClient.objects.none()
    return ApiClient.objects.filter(organisation=organisation).order_by("-is_active", "name")


def api_client_for_beheer(*, actor: Actor, pk: int) -> ApiClient:
    """A system client of an organisation the beheerder sees (``accounts.manage_api_clients``)."""
    client = (
        ApiClient.objects.select_related("organisation")
        .filter(pk=pk, organisation__in=account_rules.visible_organisations(actor.user))
        .first()
    )
    if client is None:
        raise NotFoundError
    return client


# --- resets and set-up links ------------------------------------------------------------------

#: How far back the approver of a reset sees changes of the e-mail address.
EMAIL_CHANGES_SHOWN = timedelta(days=30)


def reset_requests_for_beheer(*, actor: Actor) -> QuerySet[ResetRequest]:
    """Pending reset requests about accounts the beheerder manages (never about themselves)."""
    return (
        account_rules.visible_reset_requests(actor.user)
        .filter(status=ResetRequest.Status.PENDING)
        .select_related("user", "requested_by")
        .order_by("created_at")
    )


def reset_request_for_beheer(*, actor: Actor, pk: int) -> ResetRequest:
    """A reset request about an account the beheerder manages (any status), never about themselves
    (``accounts.view_reset_request``); NotFoundError for any other."""
    request = (
        account_rules.visible_reset_requests(actor.user)
        .select_related("user", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFoundError
    return request


def email_changes_for_beheer(*, actor: Actor, user: User) -> QuerySet[EmailChange]:
    """Recent changes of the account's e-mail address, newest first (for whoever approves a reset)."""
    user_for_beheer(actor=actor, pk=user.pk)
    since = timezone.now() - EMAIL_CHANGES_SHOWN
    return EmailChange.objects.filter(user=user, changed_at__gte=since).select_related("changed_by")


def setup_link_for_token(*, token: str) -> SetupLink | None:
    """The open set-up link of this token: unused, not revoked, not expired, for an active account."""
    if not token or len(token) > 100:
        return None
    link = SetupLink.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if link is None or link.used_at is not None or link.revoked_at is not None:
        return None
    if link.expires_at <= timezone.now() or not link.user.is_active:
        return None
    return link
