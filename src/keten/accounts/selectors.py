"""Reads of organisations, wijken and professionals.

The beheer selectors (``*_for_beheer``) return only what a functioneel beheerder may manage, the row
filters of the rules in ``keten.core.policy`` (``accounts.*``):

- the accounts (and their memberships) of people with an *active* membership in the beheerder's own
  organisation — never through a past membership;
- their own organisation's page, teams and system clients; the gemeente's beheerder also those of
  every organisation of the municipality, and its wijken.

Anything else raises :class:`NotFoundError`, so the views answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from keten.accounts.models import (
    ApiClient,
    EmailChange,
    Membership,
    Organisation,
    OrganisationType,
    ResetRequest,
    Role,
    SetupLink,
    Team,
    User,
    Wijk,
)
from keten.core.actor import Actor
from keten.core.api.authentication import hash_token
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


def _active_in(organisation_id: int) -> Exists:
    return Exists(Membership.objects.filter(user_id=OuterRef("pk"), organisation_id=organisation_id, is_active=True))


def managed_users(*, actor: Actor) -> QuerySet[User]:
    """Row filter of ``accounts.manage_account``: people with an active membership in the beheerder's organisation."""
    scope = _scope_or_none(actor)
    if scope is None:
        return User.objects.none()
    return User.objects.filter(_active_in(scope.organisation_id))


def visible_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """Row filter of ``accounts.view_organisation``: the own organisation (gemeente: the municipality's)."""
    scope = _scope_or_none(actor)
    if scope is None:
        return Organisation.objects.none()
    if scope.is_gemeente:
        return Organisation.objects.filter(municipality_id=scope.municipality_id)
    return Organisation.objects.filter(pk=scope.organisation_id)


def beheer_summary(*, actor: Actor) -> dict[str, Any]:
    scope = _scope_or_none(actor)
    if scope is None:
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = managed_users(actor=actor).filter(is_active=True)
    with_mfa = (
        TOTPDevice.objects.filter(confirmed=True, user__in=users.values("pk")).values("user_id").distinct().count()
    )
    total = users.count()
    return {
        "organisations": visible_organisations(actor=actor).filter(is_active=True).count(),
        "users": total,
        "users_without_mfa": total - with_mfa,
        "is_gemeente": scope.is_gemeente,
        "pending_resets": reset_requests_to_decide(actor=actor).count(),
        "roles": list(
            Membership.objects.filter(is_active=True, organisation_id=scope.organisation_id, user__is_active=True)
            .values("role")
            .annotate(n=Count("id"))
            .order_by("role")
        ),
    }


def users_for_beheer(*, actor: Actor, query: str = "", status: str = "") -> QuerySet[User]:
    """The accounts the beheerder manages (see :func:`managed_users`).

    ``status`` is "actief", "inactief" or "" (everyone).
    """
    qs = managed_users(actor=actor).prefetch_related("memberships__organisation", "memberships__team")
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
    user = managed_users(actor=actor).filter(pk=pk).first()
    if user is None or not allows("accounts.manage_account", actor.user, user):
        raise NotFoundError
    return user


def user_memberships_for_beheer(*, actor: Actor, user: User) -> QuerySet[Membership]:
    """The user's memberships in the beheerder's organisation (others are not shown)."""
    scope = beheer_scope(actor=actor)
    return (
        Membership.objects.filter(user=user, organisation_id=scope.organisation_id)
        .select_related("organisation", "team")
        .order_by("-is_active", "organisation__name", "role")
    )


def user_has_two_factor(*, user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def membership_for_beheer(*, actor: Actor, pk: int) -> Membership:
    """A membership in the beheerder's organisation of someone whose account they manage."""
    scope = beheer_scope(actor=actor)
    membership = (
        Membership.objects.select_related("user", "organisation", "team")
        .filter(pk=pk, organisation_id=scope.organisation_id)
        .first()
    )
    if membership is None or not allows("accounts.manage_account", actor.user, membership.user):
        raise NotFoundError
    return membership


def organisations_for_beheer(*, actor: Actor, query: str = "", include_inactive: bool = True) -> QuerySet[Organisation]:
    qs = visible_organisations(actor=actor).prefetch_related("wijken")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    query = query.strip()
    if query:
        qs = qs.filter(name__icontains=query)
    return qs.annotate(
        active_members=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("-is_active", "name")


def organisation_for_beheer(*, actor: Actor, pk: int, permission: str = "accounts.view_organisation") -> Organisation:
    """An organisation the beheerder may see (or, with another ``permission``, change)."""
    organisation = visible_organisations(actor=actor).select_related("municipality").filter(pk=pk).first()
    if organisation is None or not allows(permission, actor.user, organisation):
        raise NotFoundError
    return organisation


def organisation_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    """Where the beheerder gives roles: their own organisation."""
    scope = beheer_scope(actor=actor)
    return list(
        Organisation.objects.filter(pk=scope.organisation_id, is_active=True).order_by("name").values_list("id", "name")
    )


def organisations_without_beheerder(*, actor: Actor) -> QuerySet[Organisation]:
    """For the gemeente's beheerder: active organisations of the municipality with no active beheerder yet."""
    scope = beheer_scope(actor=actor)
    if not scope.is_gemeente:
        return Organisation.objects.none()
    has_beheerder = Membership.objects.filter(
        organisation_id=OuterRef("pk"), role=Role.FUNCTIONEEL_BEHEERDER, is_active=True, user__is_active=True
    )
    return (
        Organisation.objects.filter(municipality_id=scope.municipality_id, is_active=True)
        .exclude(pk=scope.organisation_id)
        .exclude(Exists(has_beheerder))
        .order_by("name")
    )


def account_organisation_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """Where a new account may be made: the own organisation, and (gemeente) organisations without a beheerder."""
    from django.utils.translation import gettext as _

    first = [
        (pk, _("%(name)s (alleen een eerste functioneel beheerder)") % {"name": name})
        for pk, name in organisations_without_beheerder(actor=actor).values_list("id", "name")
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
    organisation_for_beheer(actor=actor, pk=organisation.pk, permission="accounts.manage_teams")
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("wijk")
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def team_for_beheer(*, actor: Actor, pk: int) -> Team:
    team = (
        Team.objects.select_related("organisation", "wijk")
        .filter(pk=pk, organisation__in=visible_organisations(actor=actor))
        .first()
    )
    if team is None or not allows("accounts.manage_teams", actor.user, team.organisation):
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
    organisation_for_beheer(actor=actor, pk=organisation.pk, permission="accounts.manage_api_clients")
    return ApiClient.objects.filter(organisation=organisation).order_by("-is_active", "name")


def api_client_for_beheer(*, actor: Actor, pk: int) -> ApiClient:
    client = (
        ApiClient.objects.select_related("organisation")
        .filter(pk=pk, organisation__in=visible_organisations(actor=actor))
        .first()
    )
    if client is None or not allows("accounts.manage_api_clients", actor.user, client.organisation):
        raise NotFoundError
    return client


# --- resets and set-up links ------------------------------------------------------------------

#: How far back the approver of a reset sees changes of the e-mail address.
EMAIL_CHANGES_SHOWN = timedelta(days=30)


def reset_requests_for_beheer(*, actor: Actor) -> QuerySet[ResetRequest]:
    """Pending reset requests about accounts the beheerder manages (never about themselves)."""
    if actor.user is None:
        return ResetRequest.objects.none()
    return (
        ResetRequest.objects.filter(
            status=ResetRequest.Status.PENDING, user__in=managed_users(actor=actor).values("pk")
        )
        .exclude(user_id=actor.user.pk)
        .select_related("user", "requested_by")
        .order_by("created_at")
    )


def reset_requests_to_decide(*, actor: Actor) -> QuerySet[ResetRequest]:
    """The pending requests the beheerder can approve: made by someone else."""
    if actor.user is None:
        return ResetRequest.objects.none()
    return reset_requests_for_beheer(actor=actor).exclude(requested_by_id=actor.user.pk)


def reset_request_for_beheer(*, actor: Actor, pk: int) -> ResetRequest:
    """A reset request about an account the beheerder manages (any status), never about themselves."""
    if actor.user is None:
        raise NotFoundError
    request = (
        ResetRequest.objects.select_related("user", "requested_by", "decided_by")
        .filter(pk=pk, user__in=managed_users(actor=actor).values("pk"))
        .exclude(user_id=actor.user.pk)
        .first()
    )
    if request is None or not allows("accounts.manage_account", actor.user, request.user):
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
