"""Routekaart in the browser: a professional opens the routekaart of a wijk and its PDF."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect
from pypdf import PdfReader

from keten.accounts.models import OrganisationType, Role, User
from keten.network.models import Agreement, AgreementType
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def professional(transactional_db: None) -> User:
    municipality = MunicipalityFactory()
    noord = WijkFactory(municipality=municipality, name="Noord", code="N")
    WijkFactory(municipality=municipality, name="Zuid", code="Z")
    wijkteam = OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM, municipality=municipality)
    wijkteam.wijken.add(noord)
    jgz = OrganisationFactory(name="JGZ Noord", type=OrganisationType.JGZ, municipality=municipality)
    jgz.wijken.add(noord)
    make_user(Role.AANDACHTSFUNCTIONARIS, jgz, username="af", first_name="Anouk", last_name="Smit", phone="030-1234567")
    agreement = Agreement.objects.create(
        municipality=municipality,
        type=AgreementType.TERUGKOPPELING,
        title="Terugkoppeling JGZ en wijkteam",
        promise="Terugkoppeling binnen 5 werkdagen",
        start_date=timezone.localdate() - timedelta(days=10),
    )
    agreement.parties.set([jgz, wijkteam])
    agreement.wijken.set([noord])
    school = OrganisationFactory(
        name="Basisschool De Linde", type=OrganisationType.ONDERWIJS, municipality=municipality
    )
    return make_user(Role.PROFESSIONAL, school, username="juf", first_name="Fatima", last_name="El Amrani")


def test_professional_opens_the_routekaart_of_a_wijk(ui: UI, professional: User) -> None:
    login(ui, professional)
    ui.goto("/routekaart/")
    ui.submit(ui.page.get_by_role("link", name="Noord"))
    main = ui.page.locator("main")
    expect(main.get_by_role("heading", name="Routekaart wijk Noord")).to_be_visible()
    expect(main.get_by_role("heading", name="Stap 2. Overleg met de aandachtsfunctionaris")).to_be_visible()
    expect(main.get_by_role("rowheader", name="Anouk Smit")).to_be_visible()
    expect(main.get_by_text("Terugkoppeling binnen 5 werkdagen")).to_be_visible()
    expect(main.get_by_text("Gegenereerd op")).to_be_visible()
    href = main.get_by_role("link", name="Routekaart als PDF (A4) om te printen").get_attribute("href")
    assert href is not None
    response = ui.page.request.get(ui.url(href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(BytesIO(response.body())).pages).split())
    assert "Routekaart wijk Noord" in text
    with translation.override("nl"):
        today = date_format(timezone.localdate(), "j F Y")
    assert f"Gegenereerd op {today}" in text
    assert "0800-2000" in text
    assert "112" in text
    assert "Anouk Smit" in text
