"""Reads of organisations, wijken and professionals.

The beheer selectors (``*_for_beheer``) return only what a functioneel beheerder may manage: the
organisations, teams, wijken, professionals, memberships and system clients of the municipality of
their acting membership. Anything else raises :class:`NotFoundError`, so the views answer 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from keten.accounts.models import ApiClient, Membership, Organisation, Team, User, Wijk
from keten.core.actor import Actor
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


def beheer_municipality_id(*, actor: Actor) -> int:
    """The municipality a functioneel beheerder manages; NotFoundError for anyone else."""
    if actor.user is None or actor.membership is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def _may_manage(actor: Actor) -> int | None:
    try:
        return beheer_municipality_id(actor=actor)
    except NotFoundError:
        return None


def _users_in(municipality_id: int) -> QuerySet[User]:
    in_municipality = Membership.objects.filter(user_id=OuterRef("pk"), organisation__municipality_id=municipality_id)
    return User.objects.filter(Exists(in_municipality))


def beheer_summary(*, actor: Actor) -> dict[str, Any]:
    municipality_id = _may_manage(actor)
    if municipality_id is None:
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = _users_in(municipality_id).filter(is_active=True)
    with_mfa = (
        TOTPDevice.objects.filter(confirmed=True, user__in=users.values("pk")).values("user_id").distinct().count()
    )
    total = users.count()
    return {
        "organisations": Organisation.objects.filter(is_active=True, municipality_id=municipality_id).count(),
        "users": total,
        "users_without_mfa": total - with_mfa,
        "roles": list(
            Membership.objects.filter(
                is_active=True, organisation__municipality_id=municipality_id, user__is_active=True
            )
            .values("role")
            .annotate(n=Count("id"))
            .order_by("role")
        ),
    }


def users_for_beheer(*, actor: Actor, query: str = "", status: str = "") -> QuerySet[User]:
    """Professionals with a (current or past) membership in the beheerder's municipality.

    ``status`` is "actief", "inactief" or "" (everyone).
    """
    municipality_id = _may_manage(actor)
    if municipality_id is None:
        return User.objects.none()
    qs = _users_in(municipality_id).prefetch_related("memberships__organisation", "memberships__team")
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
    municipality_id = beheer_municipality_id(actor=actor)
    user = _users_in(municipality_id).filter(pk=pk).first()
    if user is None:
        raise NotFoundError
    return user


def user_memberships_for_beheer(*, actor: Actor, user: User) -> QuerySet[Membership]:
    """The user's memberships in the beheerder's municipality (others are not shown)."""
    municipality_id = beheer_municipality_id(actor=actor)
    return (
        Membership.objects.filter(user=user, organisation__municipality_id=municipality_id)
        .select_related("organisation", "team")
        .order_by("-is_active", "organisation__name", "role")
    )


def user_has_two_factor(*, user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def membership_for_beheer(*, actor: Actor, pk: int) -> Membership:
    municipality_id = beheer_municipality_id(actor=actor)
    membership = (
        Membership.objects.select_related("user", "organisation", "team")
        .filter(pk=pk, organisation__municipality_id=municipality_id)
        .first()
    )
    if membership is None:
        raise NotFoundError
    return membership


def organisations_for_beheer(*, actor: Actor, query: str = "", include_inactive: bool = True) -> QuerySet[Organisation]:
    municipality_id = _may_manage(actor)
    if municipality_id is None:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(municipality_id=municipality_id).prefetch_related("wijken")
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
    municipality_id = beheer_municipality_id(actor=actor)
    organisation = (
        Organisation.objects.select_related("municipality").filter(pk=pk, municipality_id=municipality_id).first()
    )
    if organisation is None:
        raise NotFoundError
    return organisation


def organisation_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    municipality_id = beheer_municipality_id(actor=actor)
    return list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .order_by("name")
        .values_list("id", "name")
    )


def team_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    """Teams of active organisations of the municipality, labelled with their organisation."""
    municipality_id = beheer_municipality_id(actor=actor)
    return [
        (pk, f"{name} ({org})")
        for pk, name, org in Team.objects.filter(
            organisation__municipality_id=municipality_id, organisation__is_active=True
        )
        .order_by("organisation__name", "name")
        .values_list("id", "name", "organisation__name")
    ]


def teams_for_beheer(*, actor: Actor, organisation: Organisation) -> QuerySet[Team]:
    beheer_municipality_id(actor=actor)
    return (
        Team.objects.filter(organisation=organisation)
        .select_related("wijk")
        .annotate(active_members=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("name")
    )


def team_for_beheer(*, actor: Actor, pk: int) -> Team:
    municipality_id = beheer_municipality_id(actor=actor)
    team = (
        Team.objects.select_related("organisation", "wijk")
        .filter(pk=pk, organisation__municipality_id=municipality_id)
        .first()
    )
    if team is None:
        raise NotFoundError
    return team


def wijken_for_beheer(*, actor: Actor) -> QuerySet[Wijk]:
    municipality_id = _may_manage(actor)
    if municipality_id is None:
        return Wijk.objects.none()
    return (
        Wijk.objects.filter(municipality_id=municipality_id)
        .annotate(organisation_count=Count("organisations", distinct=True), team_count=Count("teams", distinct=True))
        .order_by("name")
    )


def wijk_choices_for_beheer(*, actor: Actor) -> list[tuple[int, str]]:
    municipality_id = beheer_municipality_id(actor=actor)
    return list(Wijk.objects.filter(municipality_id=municipality_id).order_by("name").values_list("id", "name"))


def api_clients_for_beheer(*, actor: Actor, organisation: Organisation) -> QuerySet[ApiClient]:
    beheer_municipality_id(actor=actor)
    return ApiClient.objects.filter(organisation=organisation).order_by("-is_active", "name")


def api_client_for_beheer(*, actor: Actor, pk: int) -> ApiClient:
    municipality_id = beheer_municipality_id(actor=actor)
    client = (
        ApiClient.objects.select_related("organisation")
        .filter(pk=pk, organisation__municipality_id=municipality_id)
        .first()
    )
    if client is None:
        raise NotFoundError
    return client
