"""Fixtures of the beheer tests: a municipality with a functioneel beheerder, and a second one."""

from __future__ import annotations

from typing import Any

import pytest

from keten.accounts.models import ApiClient, Membership, Municipality, Organisation, Role, Team, User, Wijk
from keten.core.api.authentication import hash_token
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, TeamFactory, WijkFactory, make_user


@pytest.fixture
def municipality(db: Any) -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def elsewhere(db: Any) -> Municipality:
    return MunicipalityFactory(name="Andere gemeente", cbs_code="GM9998")


@pytest.fixture
def gemeente_org(municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="Gemeente Teststad", municipality=municipality)


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
