"""Fixtures of the beheer tests: a municipality with a functioneel beheerder, and a second one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import (
    ApiClient,
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
    Role,
    Team,
    User,
    Wijk,
)
from keten.core.crypto import hash_token
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, TeamFactory, WijkFactory, make_user


@pytest.fixture(autouse=True)
def _each_request_commits(monkeypatch: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Run what a request queued for after its commit (e-mails) when the request ends.

    Outside tests every service transaction commits; inside a test the whole test is one transaction
    that is rolled back, so ``transaction.on_commit`` callbacks would never run. Callbacks of a
    rolled-back (refused) write are dropped, as they would be for real.
    """
    original = Client.request

    def request(self: Client, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def municipality(db: Any) -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def elsewhere(db: Any) -> Municipality:
    return MunicipalityFactory(name="Andere gemeente", cbs_code="GM9998")


@pytest.fixture
def gemeente_org(municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="Gemeente Teststad", type=OrganisationType.GEMEENTE, municipality=municipality)


@pytest.fixture
def beheerder(gemeente_org: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente_org, username="beheerder", first_name="Bea", last_name="Heer")


@pytest.fixture
def wijk(municipality: Municipality) -> Wijk:
    return WijkFactory(municipality=municipality, name="Centrum", code="WK01")


@pytest.fixture
def partner(municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="JGZ Teststad", municipality=municipality)


@pytest.fixture
def team(partner: Organisation) -> Team:
    return TeamFactory(organisation=partner, name="JGZ Noord")


@pytest.fixture
def worker(partner: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, partner, username="werker", email="werker@example.org")


@pytest.fixture
def worker_membership(worker: User) -> Membership:
    return worker.memberships.get()


@pytest.fixture
def api_client(partner: Organisation) -> ApiClient:
    return ApiClient.objects.create(
        organisation=partner,
        name="Bronsysteem",
        token_prefix="abcdefgh",
        token_hash=hash_token("bestaand-token"),
        scopes=["organisations:read"],
    )


@pytest.fixture
def foreign_org(elsewhere: Municipality) -> Organisation:
    return OrganisationFactory(name="Wijkteam Elders", municipality=elsewhere)


@pytest.fixture
def foreign_worker(foreign_org: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, foreign_org, username="elders", email="elders@example.org")


# --- scope of account management (issue 13) ---------------------------------------------------


@pytest.fixture
def partner_beheerder(partner: Organisation) -> User:
    """The functioneel beheerder of the partner organisation: manages the accounts of that organisation."""
    return make_user(Role.FUNCTIONEEL_BEHEERDER, partner, username="jgz-beheer", email="jgz-beheer@example.org")


@pytest.fixture
def partner_beheerder_2(partner: Organisation) -> User:
    """A second beheerder of the partner organisation (the second pair of eyes)."""
    return make_user(Role.FUNCTIONEEL_BEHEERDER, partner, username="jgz-beheer-2", email="jgz-beheer-2@example.org")


@pytest.fixture
def sport_org(municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="Sportclub De Bal", type=OrganisationType.SPORT, municipality=municipality)


@pytest.fixture
def sport_beheerder(sport_org: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, sport_org, username="sport-beheer", email="sport@example.org")


@pytest.fixture
def vt_org(municipality: Municipality) -> Organisation:
    return OrganisationFactory(
        name="Veilig Thuis Teststad", type=OrganisationType.VEILIG_THUIS, municipality=municipality
    )


@pytest.fixture
def vt_worker(vt_org: Organisation) -> User:
    return make_user(Role.VEILIG_THUIS, vt_org, username="vt-werker", email="vt-werker@example.org")


@pytest.fixture
def gemeente_worker(gemeente_org: Organisation) -> User:
    """A beleidsmedewerker of the gemeente organisation: no case role, managed by the gemeente's beheerder."""
    return make_user(Role.BELEIDSMEDEWERKER, gemeente_org, username="beleid", email="beleid@example.org")
