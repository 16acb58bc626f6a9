"""Fixtures of the sociale kaart tests: one municipality with wijken, organisations and roles."""

from __future__ import annotations

from typing import Any

import pytest

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.network.kaart.search_text import search_text_for
from keten.network.models import OrganisationEntry, PostcodeRange
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user


@pytest.fixture
def municipality(db: Any) -> Municipality:
    return MunicipalityFactory()


@pytest.fixture
def other_municipality(db: Any) -> Municipality:
    return MunicipalityFactory(name="Andere gemeente", cbs_code="GM9998")


@pytest.fixture
def wijk_noord(municipality: Municipality) -> Wijk:
    wijk = WijkFactory(municipality=municipality, name="Noord", code="N")
    PostcodeRange.objects.create(wijk=wijk, start=3500, end=3519)
    return wijk


@pytest.fixture
def wijk_zuid(municipality: Municipality) -> Wijk:
    wijk = WijkFactory(municipality=municipality, name="Zuid", code="Z")
    PostcodeRange.objects.create(wijk=wijk, start=3520, end=3539)
    return wijk


@pytest.fixture
def gemeente(municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="Gemeente Test", type=OrganisationType.GEMEENTE, municipality=municipality)


@pytest.fixture
def jgz(municipality: Municipality, wijk_noord: Wijk) -> Organisation:
    organisation = OrganisationFactory(
        name="Jeugdgezondheidszorg Noord", type=OrganisationType.JGZ, municipality=municipality
    )
    organisation.wijken.add(wijk_noord)
    entry = OrganisationEntry.objects.get(organisation=organisation)
    entry.description = "Consultatiebureau en jeugdarts"
    entry.expertise = ["zuigelingen", "opvoedsteun"]
    entry.age_min = 0
    entry.age_max = 18
    entry.search_text = search_text_for(organisation, entry)
    entry.save()
    return organisation


@pytest.fixture
def school(municipality: Municipality, wijk_zuid: Wijk) -> Organisation:
    organisation = OrganisationFactory(
        name="Basisschool De Zoë", type=OrganisationType.ONDERWIJS, municipality=municipality
    )
    organisation.wijken.add(wijk_zuid)
    return organisation


@pytest.fixture
def foreign_org(other_municipality: Municipality) -> Organisation:
    return OrganisationFactory(name="Wijkteam Elders", municipality=other_municipality)


@pytest.fixture
def jgz_officer(jgz: Organisation) -> User:
    return make_user(
        Role.AANDACHTSFUNCTIONARIS, jgz, username="af-jgz", first_name="Anouk", last_name="Smit", phone="030-1234567"
    )


@pytest.fixture
def school_prof(school: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, school, username="juf")


@pytest.fixture
def fb_gemeente(gemeente: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="fb")


@pytest.fixture
def fb_school(school: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, school, username="fb-school")


@pytest.fixture
def beleid(gemeente: Organisation) -> User:
    return make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid")


@pytest.fixture
def fb_elders(foreign_org: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, foreign_org, username="fb-elders")
