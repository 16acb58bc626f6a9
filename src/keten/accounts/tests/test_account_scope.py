"""Who manages which account (issue 13, hole 2).

An organisation's functioneel beheerder manages the accounts of that organisation only; the gemeente's
beheerder manages organisations, teams and wijken of the municipality and the accounts of the gemeente
organisation itself. Nobody manages an account through a past membership. Outside that scope every
page and every action answers 404 and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts import services
from keten.accounts.models import Membership, Role, User
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.testing.auth import login_verified
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"

#: Every page that acts on one person's account, with the object its URL takes.
ACCOUNT_URLS: list[tuple[str, str]] = [
    ("accounts:beheer_user", "user"),
    ("accounts:beheer_user_edit", "user"),
    ("accounts:beheer_user_deactivate", "user"),
    ("accounts:beheer_user_reactivate", "user"),
    ("accounts:beheer_user_reset", "user"),
    ("accounts:beheer_membership_add", "user"),
    ("accounts:beheer_membership_role", "membership"),
    ("accounts:beheer_membership_end", "membership"),
]

POST_DATA = {
    "reason": "Telefoon kwijt, gebeld met de medewerker",
    "role": Role.FUNCTIONEEL_BEHEERDER,
    "username": "overgenomen",
    "first_name": "Over",
    "last_name": "Genomen",
    "email": "aanvaller@example.org",
}


def _snapshot() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(User.objects.order_by("pk").values_list("pk", "username", "email", "is_active", "password")),
        list(Membership.objects.order_by("pk").values_list("pk", "organisation_id", "role", "is_active")),
        list(TOTPDevice.objects.order_by("pk").values_list("pk", "user_id", "key")),
        len(mail.outbox),
    )


def _urls(person: User) -> list[str]:
    membership = person.memberships.order_by("pk").first()
    assert membership is not None
    objects = {"user": person, "membership": membership}
    return [reverse(name, args=[objects[kind].pk]) for name, kind in ACCOUNT_URLS]


def _assert_out_of_scope(client: Client, person: User) -> None:
    before = _snapshot()
    listing = client.get(reverse("accounts:beheer_users"), {"q": person.username})
    assert listing.status_code in (200, 404)
    assert reverse("accounts:beheer_user", args=[person.pk]) not in listing.content.decode()
    read_only = reverse("accounts:beheer_user", args=[person.pk])
    for url in _urls(person):
        assert client.get(url).status_code == 404, f"GET {url}"
        # A read-only page answers 405 to a beheerder's POST whatever the object, so that leaks nothing either.
        expected = (404, 405) if url == read_only else (404,)
        assert client.post(url, POST_DATA).status_code in expected, f"POST {url}"
    assert _snapshot() == before


def test_sports_club_beheerder_cannot_touch_a_veilig_thuis_account(client_for, sport_beheerder, vt_worker):
    """The reported hole: a beheerder of a sports club reset a Veilig Thuis worker's password."""
    _assert_out_of_scope(client_for(sport_beheerder), vt_worker)
    assert User.objects.get(pk=vt_worker.pk).check_password(PASSWORD)


def test_gemeente_beheerder_manages_organisations_but_not_the_accounts_of_partners(
    client_for, beheerder, partner, team, worker, gemeente_worker
):
    client = client_for(beheerder)
    assert client.get(reverse("accounts:beheer_organisation", args=[partner.pk])).status_code == 200
    assert client.get(reverse("accounts:beheer_team_edit", args=[team.pk])).status_code == 200
    assert client.get(reverse("accounts:beheer_wijken")).status_code == 200
    _assert_out_of_scope(client, worker)
    # The gemeente's own accounts are the gemeente beheerder's.
    assert client.get(reverse("accounts:beheer_user", args=[gemeente_worker.pk])).status_code == 200
    # The organisation page lists its members, but does not link to accounts the beheerder cannot manage.
    page = client.get(reverse("accounts:beheer_organisation", args=[partner.pk])).content.decode()
    assert reverse("accounts:beheer_user", args=[worker.pk]) not in page


def test_organisation_beheerder_manages_own_accounts_only(client_for, partner_beheerder, worker, vt_worker):
    client = client_for(partner_beheerder)
    for url in _urls(worker):
        assert client.get(url).status_code == 200, url
    users = client.get(reverse("accounts:beheer_users")).content.decode()
    assert reverse("accounts:beheer_user", args=[worker.pk]) in users
    assert reverse("accounts:beheer_user", args=[vt_worker.pk]) not in users
    _assert_out_of_scope(client, vt_worker)


def test_organisation_beheerder_does_not_manage_the_municipality(client_for, partner_beheerder, partner, vt_org, wijk):
    client = client_for(partner_beheerder)
    organisations = client.get(reverse("accounts:beheer_organisations")).content.decode()
    assert partner.name in organisations
    assert vt_org.name not in organisations
    for url in (
        reverse("accounts:beheer_organisation", args=[vt_org.pk]),
        reverse("accounts:beheer_organisation_edit", args=[vt_org.pk]),
        reverse("accounts:beheer_organisation_deactivate", args=[vt_org.pk]),
        reverse("accounts:beheer_team_create", args=[vt_org.pk]),
        reverse("accounts:beheer_api_client_create", args=[vt_org.pk]),
        reverse("accounts:beheer_organisation_create"),
        reverse("accounts:beheer_wijken"),
        reverse("accounts:beheer_wijk_create"),
        # Its own organisation's name, type and status are the gemeente's to change.
        reverse("accounts:beheer_organisation_edit", args=[partner.pk]),
        reverse("accounts:beheer_organisation_deactivate", args=[partner.pk]),
    ):
        assert client.get(url).status_code == 404, url
        # The read-only organisation page answers 405 to any POST.
        assert client.post(url, {"name": "Overgenomen", "type": "sport"}).status_code in (404, 405), url
    # Its own organisation: the page, its teams and its system clients.
    assert client.get(reverse("accounts:beheer_organisation", args=[partner.pk])).status_code == 200
    assert client.get(reverse("accounts:beheer_team_create", args=[partner.pk])).status_code == 200
    assert client.get(reverse("accounts:beheer_api_client_create", args=[partner.pk])).status_code == 200
    vt_org.refresh_from_db()
    assert vt_org.name == "Veilig Thuis Teststad"


def test_nobody_manages_an_account_through_a_past_membership(client_for, partner_beheerder, sport_org, worker):
    old = worker.memberships.get()
    Membership.objects.filter(pk=old.pk).update(is_active=False)
    Membership.objects.create(user=worker, organisation=sport_org, role=Role.PROFESSIONAL)
    _assert_out_of_scope(client_for(partner_beheerder), worker)


def test_a_past_membership_in_another_municipality_gives_no_access(client_for, partner, worker):
    elsewhere = OrganisationFactory(
        name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders", cbs_code="GM0001")
    )
    foreign_beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, elsewhere, username="elders-beheer")
    Membership.objects.create(user=worker, organisation=elsewhere, role=Role.PROFESSIONAL, is_active=False)
    _assert_out_of_scope(client_for(foreign_beheerder), worker)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.FUNCTIONEEL_BEHEERDER])
def test_other_roles_get_404_on_every_account_page(role, partner, worker):
    client = login_verified(Client(), make_user(role, partner, username=f"rol-{role}"))
    _assert_out_of_scope(client, worker)


def test_anonymous_is_sent_to_the_login_and_changes_nothing(worker):
    client = Client()
    before = _snapshot()
    for url in _urls(worker):
        for response in (client.get(url), client.post(url, POST_DATA)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_factor:login"))
    assert _snapshot() == before


# --- the same rules in the services ----------------------------------------------------------------


def test_services_refuse_accounts_outside_the_scope(actor_of, beheerder, sport_beheerder, worker, vt_worker):
    for actor, person in ((actor_of(sport_beheerder), vt_worker), (actor_of(beheerder), worker)):
        before = _snapshot()
        for call in (
            lambda a=actor, p=person: services.user_deactivate(actor=a, user=p),
            lambda a=actor, p=person: services.user_update(
                actor=a,
                user=p,
                data=services.UserData(username=p.username, first_name="X", last_name="Y", email="x@example.org"),
            ),
            lambda a=actor, p=person: services.membership_end(actor=a, membership=p.memberships.get()),
        ):
            with pytest.raises(NotFoundError):
                call()
        assert _snapshot() == before


def test_a_beheerder_adds_roles_only_in_their_own_organisation(actor_of, partner_beheerder, worker, vt_org):
    with pytest.raises(DomainError) as refused:
        services.membership_add(
            actor=actor_of(partner_beheerder),
            user=worker,
            organisation_id=vt_org.pk,
            team_id=None,
            role=Role.VEILIG_THUIS,
        )
    assert refused.value.field == "organisation"
    assert not Membership.objects.filter(user=worker, organisation=vt_org).exists()


def test_gemeente_beheerder_appoints_only_the_first_beheerder_of_an_organisation(actor_of, beheerder, vt_org):
    actor = actor_of(beheerder)

    def create(username: str, role: str) -> User:
        return services.user_create(
            actor=actor,
            data=services.UserData(
                username=username, first_name="Eerste", last_name="Beheerder", email=f"{username}@example.org"
            ),
            organisation_id=vt_org.pk,
            team_id=None,
            role=role,
        )

    # Not a case role in another organisation: that would be an account with access to client data.
    with pytest.raises(DomainError):
        create("vt-nep", Role.VEILIG_THUIS)
    first = create("vt-beheer", Role.FUNCTIONEEL_BEHEERDER)
    assert first.memberships.get().organisation == vt_org
    # Once the organisation has a beheerder of its own, its accounts are theirs.
    with pytest.raises(DomainError):
        create("vt-beheer-2", Role.FUNCTIONEEL_BEHEERDER)


def test_a_professional_in_two_organisations_is_managed_by_both(
    client_for, partner_beheerder, sport_org, sport_beheerder, worker
):
    Membership.objects.create(user=worker, organisation=sport_org, role=Role.PROFESSIONAL)
    for beheerder in (partner_beheerder, sport_beheerder):
        assert client_for(beheerder).get(reverse("accounts:beheer_user", args=[worker.pk])).status_code == 200
