"""Beheer services: each use case writes and audits; bad input changes nothing and says why in Dutch.

Organisations, teams, wijken and API clients are the gemeente beheerder's (``actor``); accounts and
roles are managed by the beheerder of the person's own organisation (``org_actor``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts import services
from keten.accounts.models import (
    ApiClient,
    EmailChange,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SetupLink,
    Team,
    User,
    Wijk,
)
from keten.accounts.services.resets import account_reset
from keten.core.audit import verify_chain
from keten.core.crypto import hash_token
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, TeamFactory, WijkFactory, make_user

pytestmark = pytest.mark.django_db


def _state() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(Organisation.objects.order_by("pk").values()),
        list(Team.objects.order_by("pk").values()),
        list(Wijk.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(ApiClient.objects.order_by("pk").values()),
        TOTPDevice.objects.count(),
        StaticDevice.objects.count(),
        SetupLink.objects.count(),
        EmailChange.objects.count(),
    )


class Unchanged:
    """Assert that the block raises DomainError on ``field`` and leaves the database as it was."""

    def __init__(self, field: str | None = None, error: type[Exception] = DomainError) -> None:
        self.field, self.error = field, error

    def __enter__(self) -> Unchanged:
        self.before = _state()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        assert exc_type is not None, f"expected {self.error.__name__}"
        assert issubclass(exc_type, self.error), f"expected {self.error.__name__}, got {exc_type.__name__}"
        if self.field is not None:
            assert exc.field == self.field
            assert exc.message
        assert _state() == self.before
        return True


def _last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()  # type: ignore[return-value]


@pytest.fixture
def actor(beheerder, actor_of):
    return actor_of(beheerder)


@pytest.fixture
def org_actor(partner_beheerder, actor_of):
    """The beheerder of the partner organisation, who manages the accounts there (``worker``)."""
    return actor_of(partner_beheerder)


def _org_data(**kwargs: Any) -> services.OrganisationData:
    values: dict[str, Any] = {"name": "Veilig Thuis Teststad", "type": OrganisationType.VEILIG_THUIS, "wijk_ids": []}
    values.update(kwargs)
    return services.OrganisationData(**values)


# --- policy -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.FUNCTIONEEL_BEHEERDER])
def test_other_roles_cannot_call_any_service(role, partner, actor_of, worker):
    actor = actor_of(make_user(role, partner))
    with Unchanged(error=NotFoundError):
        services.organisation_create(actor=actor, data=_org_data())
    with Unchanged(error=NotFoundError):
        services.wijk_create(actor=actor, name="Oost", code="WK9")
    with Unchanged(error=NotFoundError):
        services.user_deactivate(actor=actor, user=worker)
    with Unchanged(error=NotFoundError):
        services.api_client_create(actor=actor, organisation=partner, name="X", scopes=["organisations:read"])


def test_objects_of_another_municipality_are_not_found(actor, foreign_org, foreign_worker):
    with Unchanged(error=NotFoundError):
        services.organisation_update(actor=actor, organisation=foreign_org, data=_org_data())
    with Unchanged(error=NotFoundError):
        services.team_create(actor=actor, organisation=foreign_org, name="Team")
    with Unchanged(error=NotFoundError):
        services.user_deactivate(actor=actor, user=foreign_worker)
    with Unchanged(error=NotFoundError):
        services.membership_end(actor=actor, membership=foreign_worker.memberships.get())
    with Unchanged(error=NotFoundError):
        services.api_client_create(actor=actor, organisation=foreign_org, name="X", scopes=["organisations:read"])


# --- organisations ------------------------------------------------------------------------------


def test_organisation_create_update_deactivate_reactivate(actor, municipality, wijk):
    org = services.organisation_create(
        actor=actor, data=_org_data(wijk_ids=[wijk.pk], phone="0800-2000", email="info@vt.example.org")
    )
    assert org.municipality == municipality
    assert list(org.wijken.all()) == [wijk]
    event = _last_event()
    assert (event.action, event.object_type, event.object_id) == ("create", "organisation", str(org.pk))
    assert event.actor_id == actor.user.pk

    services.organisation_update(actor=actor, organisation=org, data=_org_data(name="VT Teststad", wijk_ids=[]))
    org.refresh_from_db()
    assert org.name == "VT Teststad"
    assert org.wijken.count() == 0
    assert _last_event().details["changed"] == ["email", "name", "phone", "wijken"]

    services.organisation_deactivate(actor=actor, organisation=org)
    org.refresh_from_db()
    assert not org.is_active
    assert _last_event().details == {"is_active": False}
    services.organisation_reactivate(actor=actor, organisation=org)
    org.refresh_from_db()
    assert org.is_active
    assert verify_chain().ok


def test_organisation_bad_input_changes_nothing(actor, partner, elsewhere):
    foreign_wijk = WijkFactory(municipality=elsewhere)
    with Unchanged("name"):
        services.organisation_create(actor=actor, data=_org_data(name="  jgz TESTSTAD "))
    with Unchanged("name"):
        services.organisation_create(actor=actor, data=_org_data(name="   "))
    with Unchanged("type"):
        services.organisation_create(actor=actor, data=_org_data(type="bestaat-niet"))
    with Unchanged("wijken"):
        services.organisation_create(actor=actor, data=_org_data(wijk_ids=[foreign_wijk.pk]))
    with Unchanged("email"):
        services.organisation_create(actor=actor, data=_org_data(email="geen-adres"))
    with Unchanged("phone"):
        services.organisation_create(actor=actor, data=_org_data(phone="bel me"))
    other = OrganisationFactory(name="Andere", municipality=partner.municipality)
    with Unchanged("name"):
        services.organisation_update(actor=actor, organisation=other, data=_org_data(name=partner.name))


def test_beheerder_cannot_deactivate_their_own_organisation(actor, gemeente_org):
    with Unchanged("role"):
        services.organisation_deactivate(actor=actor, organisation=gemeente_org)


def test_deactivating_twice_is_refused(actor, partner):
    services.organisation_deactivate(actor=actor, organisation=partner)
    partner.refresh_from_db()
    with Unchanged("organisation"):
        services.organisation_deactivate(actor=actor, organisation=partner)


# --- teams and wijken ---------------------------------------------------------------------------


def test_team_create_and_update(actor, partner, wijk):
    team = services.team_create(actor=actor, organisation=partner, name="Team Zuid", wijk_id=wijk.pk)
    assert (team.organisation, team.wijk) == (partner, wijk)
    assert _last_event().object_type == "team"
    services.team_update(actor=actor, team=team, name="Team Zuid-West", wijk_id=None)
    team.refresh_from_db()
    assert (team.name, team.wijk) == ("Team Zuid-West", None)
    assert _last_event().details["changed"] == ["name", "wijk"]


def test_team_bad_input_changes_nothing(actor, partner, team, elsewhere):
    foreign_wijk = WijkFactory(municipality=elsewhere)
    with Unchanged("name"):
        services.team_create(actor=actor, organisation=partner, name=team.name.upper())
    with Unchanged("wijk"):
        services.team_create(actor=actor, organisation=partner, name="Nieuw", wijk_id=foreign_wijk.pk)
    other = TeamFactory(organisation=partner, name="Ander team")
    with Unchanged("name"):
        services.team_update(actor=actor, team=other, name=team.name)


def test_wijk_create_and_duplicates(actor, municipality, wijk):
    created = services.wijk_create(actor=actor, name="Oost", code="WK02")
    assert created.municipality == municipality
    assert _last_event().object_type == "wijk"
    with Unchanged("name"):
        services.wijk_create(actor=actor, name="centrum", code="WK03")
    with Unchanged("code"):
        services.wijk_create(actor=actor, name="West", code="wk01")
    with Unchanged("code"):
        services.wijk_create(actor=actor, name="West", code="")


# --- professionals ------------------------------------------------------------------------------


def _user_data(**kwargs: Any) -> services.UserData:
    values: dict[str, Any] = {
        "username": "j.jansen",
        "first_name": "Jan",
        "last_name": "Jansen",
        "email": "j.jansen@jgz.example.org",
        "phone": "06-12345678",
        "job_title": "Jeugdverpleegkundige",
    }
    values.update(kwargs)
    return services.UserData(**values)


def test_user_create_sends_a_setup_link_and_sets_no_password(org_actor, partner, team):
    user = services.user_create(
        actor=org_actor, data=_user_data(), organisation_id=partner.pk, team_id=team.pk, role=Role.PROFESSIONAL
    )
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.organisation, membership.team, membership.role) == (partner, team, Role.PROFESSIONAL)
    link = SetupLink.objects.get(user=user)
    assert (link.purpose, link.email) == (SetupLink.Purpose.NEW_ACCOUNT, "j.jansen@jgz.example.org")
    events = list(AuditEvent.objects.order_by("-id")[:3])
    assert {e.object_type for e in events} == {"user", "membership", "setup_link"}


def test_user_create_bad_input_changes_nothing(org_actor, partner, team, worker, foreign_org):
    other_team = TeamFactory(organisation=OrganisationFactory(municipality=partner.municipality))
    cases: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("username", {"username": worker.username.upper()}, {}),
        ("username", {"username": "met spatie"}, {}),
        ("email", {"email": worker.email.upper()}, {}),
        ("email", {"email": "geen-email"}, {}),
        ("last_name", {"last_name": " "}, {}),
        ("organisation", {}, {"organisation_id": foreign_org.pk}),
        ("organisation", {}, {"organisation_id": None}),
        ("team", {}, {"team_id": other_team.pk}),
        ("role", {}, {"role": "superbaas"}),
    ]
    for field, data, membership in cases:
        kwargs: dict[str, Any] = {"organisation_id": partner.pk, "team_id": team.pk, "role": Role.PROFESSIONAL}
        kwargs.update(membership)
        with Unchanged(field):
            services.user_create(actor=org_actor, data=_user_data(**data), **kwargs)


def test_user_update(org_actor, worker):
    services.user_update(
        actor=org_actor, user=worker, data=_user_data(username=worker.username, email="nieuw@example.org")
    )
    worker.refresh_from_db()
    assert (worker.first_name, worker.email) == ("Jan", "nieuw@example.org")
    assert "email" in _last_event().details["changed"]
    assert "nieuw@example.org" not in str(_last_event().details)
    change = EmailChange.objects.get(user=worker)
    assert (change.old_email, change.new_email, change.changed_by) == (
        "werker@example.org",
        "nieuw@example.org",
        org_actor.user,
    )


def test_user_update_refuses_someone_elses_email(org_actor, worker, beheerder):
    with Unchanged("email"):
        services.user_update(actor=org_actor, user=worker, data=_user_data(email=beheerder.email))
    with Unchanged("username"):
        services.user_update(actor=org_actor, user=worker, data=_user_data(username=beheerder.username))


def test_user_deactivate_and_reactivate(org_actor, worker):
    services.user_deactivate(actor=org_actor, user=worker)
    worker.refresh_from_db()
    assert not worker.is_active
    details = _last_event().details
    assert details["is_active"] is False
    assert details["sessions_ended"] is True
    with Unchanged("user"):
        services.user_deactivate(actor=org_actor, user=worker)
    services.user_reactivate(actor=org_actor, user=worker)
    worker.refresh_from_db()
    assert worker.is_active


def test_beheerder_cannot_deactivate_themself(actor, beheerder):
    with Unchanged("user"):
        services.user_deactivate(actor=actor, user=beheerder)


def test_reset_of_an_account_without_client_data_wipes_credentials_and_is_audited_with_reason(actor, gemeente_worker):
    backup = StaticDevice.objects.create(user=gemeente_worker, name="backup")
    backup.token_set.create(token="abcd1234")
    account_reset(actor=actor, user=gemeente_worker, reason="Telefoon kwijtgeraakt op het werk")
    assert not TOTPDevice.objects.filter(user=gemeente_worker).exists()
    assert not StaticDevice.objects.filter(user=gemeente_worker).exists()
    assert not User.objects.get(pk=gemeente_worker.pk).has_usable_password()
    event = AuditEvent.objects.get(object_type="account_reset")
    assert (event.action, event.object_id, event.actor_id) == ("update", str(gemeente_worker.pk), actor.user.pk)
    assert event.reason == "Telefoon kwijtgeraakt op het werk"
    assert event.details["devices"] == 2
    assert _last_event().object_type == "setup_link"


def test_reset_needs_a_reason_and_not_for_yourself(actor, gemeente_worker, beheerder):
    with Unchanged("reason"):
        account_reset(actor=actor, user=gemeente_worker, reason="kwijt")
    with Unchanged("reason"):
        account_reset(actor=actor, user=beheerder, reason="Mijn eigen telefoon is kwijt")


# --- memberships --------------------------------------------------------------------------------


def test_membership_add_change_role_end_and_reactivate(org_actor, worker, partner):
    added = services.membership_add(
        actor=org_actor, user=worker, organisation_id=partner.pk, team_id=None, role=Role.AANDACHTSFUNCTIONARIS
    )
    assert added.is_active
    assert _last_event().object_type == "membership"
    services.membership_change_role(actor=org_actor, membership=added, role=Role.TEAMLEIDER)
    added.refresh_from_db()
    assert added.role == Role.TEAMLEIDER
    assert _last_event().details == {"role": Role.TEAMLEIDER, "previous_role": Role.AANDACHTSFUNCTIONARIS}
    services.membership_end(actor=org_actor, membership=added)
    added.refresh_from_db()
    assert not added.is_active
    again = services.membership_add(
        actor=org_actor, user=worker, organisation_id=partner.pk, team_id=None, role=Role.TEAMLEIDER
    )
    assert again.pk == added.pk
    assert again.is_active


def test_membership_bad_input_changes_nothing(org_actor, worker, worker_membership, partner, gemeente_org):
    with Unchanged("role"):
        services.membership_add(
            actor=org_actor, user=worker, organisation_id=partner.pk, team_id=None, role=Role.PROFESSIONAL
        )
    with Unchanged("organisation"):
        services.membership_add(
            actor=org_actor, user=worker, organisation_id=gemeente_org.pk, team_id=None, role=Role.TEAMLEIDER
        )
    with Unchanged("role"):
        services.membership_change_role(actor=org_actor, membership=worker_membership, role=Role.PROFESSIONAL)
    with Unchanged("role"):
        services.membership_change_role(actor=org_actor, membership=worker_membership, role="baas")
    # A second role keeps the person in the beheerder's scope after the first one ends.
    services.membership_add(
        actor=org_actor, user=worker, organisation_id=partner.pk, team_id=None, role=Role.TEAMLEIDER
    )
    services.membership_end(actor=org_actor, membership=worker_membership)
    worker_membership.refresh_from_db()
    with Unchanged("membership"):
        services.membership_end(actor=org_actor, membership=worker_membership)


def test_beheerder_cannot_remove_their_own_last_beheer_role(actor, beheerder):
    own = beheerder.memberships.get()
    with Unchanged("role"):
        services.membership_end(actor=actor, membership=own)
    with Unchanged("role"):
        services.membership_change_role(actor=actor, membership=own, role=Role.PROFESSIONAL)


def test_beheerder_may_end_own_role_when_another_beheer_role_stays_first(actor_of, beheerder, gemeente_org):
    first = beheerder.memberships.get()
    second = Membership.objects.create(user=beheerder, organisation=gemeente_org, role=Role.BELEIDSMEDEWERKER)
    services.membership_end(actor=actor_of(beheerder), membership=second)
    second.refresh_from_db()
    assert not second.is_active
    assert first.is_active


def test_another_beheerder_may_end_a_beheerders_role(actor, gemeente_org):
    colleague = make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente_org)
    services.membership_end(actor=actor, membership=colleague.memberships.get())
    assert not colleague.memberships.get().is_active


# --- API clients --------------------------------------------------------------------------------


def test_api_client_create_stores_only_the_hash(actor, partner):
    client, token = services.api_client_create(
        actor=actor, organisation=partner, name="JGZ-systeem", scopes=["organisations:read", "organisations:read"]
    )
    assert client.token_hash == hash_token(token)
    assert client.token_prefix == token[: services.TOKEN_PREFIX_LENGTH]
    assert client.scopes == ["organisations:read"]
    assert len(token) >= 40
    event = _last_event()
    assert (event.action, event.object_type) == ("create", "api_client")
    assert token not in str(event.details)


def test_api_client_bad_input_changes_nothing(actor, partner, api_client):
    with Unchanged("scopes"):
        services.api_client_create(actor=actor, organisation=partner, name="X", scopes=[])
    with Unchanged("scopes"):
        services.api_client_create(actor=actor, organisation=partner, name="X", scopes=["alles:schrijven"])
    with Unchanged("name"):
        services.api_client_create(actor=actor, organisation=partner, name="bronsysteem", scopes=["organisations:read"])
    with Unchanged("scopes"):
        services.api_client_update_scopes(actor=actor, api_client=api_client, scopes=["root"])


def test_api_client_scopes_and_revoke(actor, api_client):
    services.api_client_update_scopes(
        actor=actor, api_client=api_client, scopes=["dossiers:read", "organisations:read"]
    )
    api_client.refresh_from_db()
    assert api_client.scopes == ["dossiers:read", "organisations:read"]
    services.api_client_revoke(actor=actor, api_client=api_client)
    api_client.refresh_from_db()
    assert not api_client.is_active
    assert (_last_event().action, _last_event().object_type) == ("delete", "api_client")
    with Unchanged("api_client"):
        services.api_client_revoke(actor=actor, api_client=api_client)
    with Unchanged("scopes"):
        services.api_client_update_scopes(actor=actor, api_client=api_client, scopes=["organisations:read"])


def test_no_api_client_for_a_deactivated_organisation(actor, partner):
    services.organisation_deactivate(actor=actor, organisation=partner)
    partner.refresh_from_db()
    with Unchanged("organisation"):
        services.api_client_create(actor=actor, organisation=partner, name="X", scopes=["organisations:read"])
