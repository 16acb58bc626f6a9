"""Every beheer URL × every role: only the functioneel beheerder gets in; everyone else gets 404.

Within beheer, the scope (issue 13): account pages are for the beheerder of the person's own
organisation, municipality pages (organisations, wijken) for the gemeente's beheerder.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keten.accounts.models import ApiClient, Membership, Organisation, ResetRequest, Role, Team, User
from keten.core.models import AuditEvent
from keten.testing.auth import login_verified
from keten.testing.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db

# (url name, which object's pk it takes)
BEHEER_URLS: list[tuple[str, str | None]] = [
    ("accounts:beheer", None),
    ("accounts:beheer_organisations", None),
    ("accounts:beheer_organisation_create", None),
    ("accounts:beheer_organisation", "organisation"),
    ("accounts:beheer_organisation_edit", "organisation"),
    ("accounts:beheer_organisation_deactivate", "organisation"),
    ("accounts:beheer_organisation_reactivate", "organisation"),
    ("accounts:beheer_team_create", "organisation"),
    ("accounts:beheer_team_edit", "team"),
    ("accounts:beheer_wijken", None),
    ("accounts:beheer_wijk_create", None),
    ("accounts:beheer_users", None),
    ("accounts:beheer_user_create", None),
    ("accounts:beheer_user", "user"),
    ("accounts:beheer_user_edit", "user"),
    ("accounts:beheer_user_deactivate", "user"),
    ("accounts:beheer_user_reactivate", "user"),
    ("accounts:beheer_user_reset", "user"),
    ("accounts:beheer_membership_add", "user"),
    ("accounts:beheer_membership_role", "membership"),
    ("accounts:beheer_membership_end", "membership"),
    ("accounts:beheer_api_client_create", "organisation"),
    ("accounts:beheer_api_client", "api_client"),
    ("accounts:beheer_api_client_revoke", "api_client"),
    ("accounts:beheer_reset_requests", None),
    ("accounts:beheer_reset_request", "reset_request"),
    ("accounts:beheer_reset_request_approve", "reset_request"),
    ("accounts:beheer_reset_request_decline", "reset_request"),
]

#: Pages about one person's account: the beheerder of that person's organisation opens them.
ACCOUNT_KINDS = {"user", "membership", "reset_request"}

# Read-only pages; every other page shows a form or confirmation on GET and acts on POST.
GET_ONLY = {
    "accounts:beheer",
    "accounts:beheer_organisations",
    "accounts:beheer_organisation",
    "accounts:beheer_wijken",
    "accounts:beheer_users",
    "accounts:beheer_user",
    "accounts:beheer_reset_requests",
    "accounts:beheer_reset_request",
}
# Decisions are POSTed from the request's page; a GET answers 405.
POST_ONLY = {"accounts:beheer_reset_request_approve", "accounts:beheer_reset_request_decline"}

OUTSIDERS = [r for r in Role.values if r != Role.FUNCTIONEEL_BEHEERDER] + ["superuser", "no_role"]


def _url(name: str, kind: str | None, objects: dict[str, Any]) -> str:
    return reverse(name, args=[objects[kind].pk]) if kind else reverse(name)


@pytest.fixture
def objects(
    partner: Organisation,
    team: Team,
    worker: User,
    worker_membership: Membership,
    api_client: ApiClient,
    partner_beheerder: User,
) -> dict[str, Any]:
    from django.utils import timezone

    reset_request = ResetRequest.objects.create(
        user=worker,
        requested_by=partner_beheerder,
        reason="Telefoon kwijt",
        email=worker.email,
        created_at=timezone.now(),
    )
    return {
        "organisation": partner,
        "team": team,
        "user": worker,
        "membership": worker_membership,
        "api_client": api_client,
        "reset_request": reset_request,
    }


def _snapshot() -> tuple[Any, ...]:
    return (
        AuditEvent.objects.count(),
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "is_active")),
        list(User.objects.order_by("pk").values_list("pk", "username", "is_active", "password")),
        list(Membership.objects.order_by("pk").values_list("pk", "role", "is_active")),
        list(ApiClient.objects.order_by("pk").values_list("pk", "is_active", "scopes")),
        Team.objects.count(),
        list(ResetRequest.objects.order_by("pk").values_list("pk", "status")),
    )


def _client_for(kind: str, organisation: Organisation) -> Client:
    if kind == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    elif kind == "no_role":
        user = UserFactory(username="zonderrol")
    else:
        user = make_user(kind, organisation, username=f"user-{kind}")
    return login_verified(Client(), user)


@pytest.mark.parametrize("kind", OUTSIDERS)
def test_everyone_but_the_functioneel_beheerder_gets_404_everywhere(kind, partner, objects):
    client = _client_for(kind, partner)
    before = _snapshot()
    for name, obj in BEHEER_URLS:
        url = _url(name, obj, objects)
        assert client.get(url).status_code == 404, f"GET {url} as {kind}"
        response = client.post(url, {"name": "x", "role": Role.FUNCTIONEEL_BEHEERDER, "reason": "x" * 20})
        assert response.status_code == 404, f"POST {url} as {kind}"
    assert _snapshot() == before


def test_anonymous_is_sent_to_login(objects):
    client = Client()
    for name, obj in BEHEER_URLS:
        url = _url(name, obj, objects)
        for response in (client.get(url), client.post(url, {"name": "x"})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_factor:login"))


def _beheerder_client(client_for: Any, name: str, obj: str | None, gemeente: User, colleague: User) -> Client:
    """The gemeente's beheerder for municipality and organisation pages; for account pages a (second)
    beheerder of the person's own organisation."""
    account_page = obj in ACCOUNT_KINDS or name in {"accounts:beheer_reset_requests"}
    return client_for(colleague if account_page else gemeente)


def test_functioneel_beheerder_opens_every_page(client_for, beheerder, partner_beheerder_2, objects):
    for name, obj in BEHEER_URLS:
        client = _beheerder_client(client_for, name, obj, beheerder, partner_beheerder_2)
        url = _url(name, obj, objects)
        if name in POST_ONLY:
            assert client.get(url).status_code == 405, url
            continue
        assert client.get(url).status_code == 200, url
        if name in GET_ONLY:
            assert client.post(url).status_code == 405, url


def test_objects_of_another_municipality_are_404(client_for, beheerder, foreign_org, foreign_worker):
    from keten.testing.factories import TeamFactory

    foreign_beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, foreign_org, username="elders-beheer")
    from django.utils import timezone

    foreign = {
        "reset_request": ResetRequest.objects.create(
            user=foreign_worker,
            requested_by=foreign_beheerder,
            reason="Telefoon kwijt",
            email=foreign_worker.email,
            created_at=timezone.now(),
        ),
        "organisation": foreign_org,
        "team": TeamFactory(organisation=foreign_org),
        "user": foreign_worker,
        "membership": foreign_worker.memberships.get(),
        "api_client": ApiClient.objects.create(
            organisation=foreign_org, name="Elders", token_prefix="zzzzzzzz", token_hash="0" * 64, scopes=[]
        ),
    }
    client = client_for(beheerder)
    before = _snapshot()
    for name, obj in BEHEER_URLS:
        if obj is None:
            continue
        url = _url(name, obj, foreign)
        # A read-only (or POST-only) page answers 405 to the other method whatever the object, so that
        # does not leak either.
        assert client.get(url).status_code == (405 if name in POST_ONLY else 404), url
        expected = 405 if name in GET_ONLY else 404
        assert client.post(url, {"name": "x", "role": Role.PROFESSIONAL, "reason": "x" * 20}).status_code == expected
    assert _snapshot() == before


def test_lists_show_only_own_municipality(
    client_for, beheerder, partner_beheerder, partner, worker, foreign_org, foreign_worker
):
    client = client_for(beheerder)
    organisations = client.get(reverse("accounts:beheer_organisations")).content.decode()
    assert partner.name in organisations
    assert foreign_org.name not in organisations
    users = client_for(partner_beheerder).get(reverse("accounts:beheer_users")).content.decode()
    assert worker.username in users
    assert foreign_worker.username not in users


def test_beheer_pages_never_link_to_dossiers(client_for, beheerder, partner_beheerder_2, objects):
    for name, obj in BEHEER_URLS:
        if name in POST_ONLY:
            continue
        client = _beheerder_client(client_for, name, obj, beheerder, partner_beheerder_2)
        content = client.get(_url(name, obj, objects)).content.decode()
        main = content.split('id="main"', 1)[1]
        assert "/dossiers/" not in main, name
