"""Sociale kaart in the browser: a professional finds the aandachtsfunctionaris for a postcode."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.network.models import Agreement, AgreementType, PostcodeRange
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def jgz(transactional_db: None) -> Organisation:
    municipality = MunicipalityFactory()
    noord = WijkFactory(municipality=municipality, name="Noord", code="N")
    zuid = WijkFactory(municipality=municipality, name="Zuid", code="Z")
    PostcodeRange.objects.create(wijk=noord, start=3500, end=3519)
    PostcodeRange.objects.create(wijk=zuid, start=3520, end=3539)
    organisation = OrganisationFactory(name="JGZ Noord", type=OrganisationType.JGZ, municipality=municipality)
    organisation.wijken.add(noord)
    other = OrganisationFactory(name="JGZ Zuid", type=OrganisationType.JGZ, municipality=municipality)
    other.wijken.add(zuid)
    make_user(Role.AANDACHTSFUNCTIONARIS, other, username="af-zuid", first_name="Bram", last_name="Zuidema")
    return organisation


@pytest.fixture
def officer(jgz: Organisation) -> User:
    return make_user(
        Role.AANDACHTSFUNCTIONARIS, jgz, username="af", first_name="Anouk", last_name="Smit", phone="030-1234567"
    )


@pytest.fixture
def professional(jgz: Organisation) -> User:
    school = OrganisationFactory(
        name="Basisschool De Linde", type=OrganisationType.ONDERWIJS, municipality=jgz.municipality
    )
    for n in range(4):
        agreement = Agreement.objects.create(
            municipality=jgz.municipality,
            type=AgreementType.VERWIJZEN,
            title=f"Verwijsafspraak {n + 1}",
            promise="Binnen twee werkdagen contact.",
            start_date=date(2024, 1, n + 1),
        )
        agreement.parties.set([jgz, school])
    return make_user(Role.PROFESSIONAL, school, username="juf", first_name="Fatima", last_name="El Amrani")


def test_professional_finds_the_aandachtsfunctionaris_for_a_postcode(ui: UI, professional: User, officer: User) -> None:
    login(ui, professional)
    ui.submit(ui.page.get_by_role("link", name="Sociale kaart"))
    ui.page.get_by_label("Postcode").fill("3512 AB")
    ui.page.get_by_label("Soort organisatie").select_option("jgz")
    ui.submit(ui.page.get_by_role("button", name="Zoeken"))
    results = ui.page.locator("main")
    expect(results.get_by_role("heading", name="JGZ Noord")).to_be_visible()
    expect(results.get_by_text("Anouk Smit")).to_be_visible()
    expect(results.get_by_text("030-1234567")).to_be_visible()
    expect(results.get_by_text("Bram Zuidema")).to_have_count(0)
    # The card shows the three newest agreements and links to the organisation page for all four.
    expect(results.get_by_text("Verwijsafspraak 4", exact=False)).to_be_visible()
    expect(results.get_by_text("Verwijsafspraak 1", exact=False)).to_have_count(0)
    ui.submit(results.get_by_role("link", name="4 afspraken"))
    expect(ui.page.get_by_text("Verwijsafspraak 1", exact=False)).to_be_visible()
    expect(ui.page.get_by_role("heading", name="Consultatie of verwijzing vragen")).to_be_visible()
