"""Sociale kaart import in the browser: the gemeente beheerder uploads a CSV, sees one row error, imports the rest."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

CSV = (
    "naam;soort;wijken;postcode;openbaar\n"
    "Wijkteam Oost;Wijkteam / sociaal team;Noord;3512 AB;ja\n"
    "Kinderopvang Kiekeboe;kinderopvang;Noord;12AB;nee\n"
)


@pytest.fixture
def beheerder(transactional_db: None) -> User:
    municipality = MunicipalityFactory()
    WijkFactory(municipality=municipality, name="Noord", code="N")
    gemeente = OrganisationFactory(name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=municipality)
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="fb", first_name="Bea", last_name="Heer")


def test_beheerder_imports_the_valid_rows_of_a_csv(ui: UI, beheerder: User) -> None:
    login(ui, beheerder)
    ui.goto("/account/beheer/")
    ui.submit(ui.page.get_by_role("link", name="Sociale kaart: import, export en postcodegebieden"))
    ui.submit(ui.page.get_by_role("link", name="organisaties importeren"))
    ui.page.get_by_label("Bestand").set_input_files(
        files=[{"name": "kaart.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}]
    )
    ui.submit(ui.page.get_by_role("button", name="Bestand controleren"))
    main = ui.page.locator("main")
    expect(main.get_by_role("heading", name="Fouten in het bestand")).to_be_visible()
    expect(main.get_by_role("alert")).to_contain_text("Rij 3: de postcode '12AB' is geen geldige Nederlandse postcode.")
    expect(main.get_by_role("rowheader", name="Wijkteam Oost")).to_be_visible()
    ui.screenshot("import-preview")

    ui.submit(main.get_by_role("button", name="Importeren", exact=True))
    expect(ui.page.locator("main")).to_contain_text("Er staan fouten in het bestand. Er is niets geïmporteerd.")
    assert not Organisation.objects.filter(name="Wijkteam Oost").exists()

    ui.page.get_by_label("Alleen de geldige rijen importeren").check()
    ui.submit(ui.page.locator("main").get_by_role("button", name="Importeren", exact=True))
    assert ui.path() == "/sociale-kaart/beheer/"
    expect(ui.page.get_by_text("1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 overgeslagen")).to_be_visible()
    assert Organisation.objects.filter(name="Wijkteam Oost", entry__postcode="3512 AB").exists()
    assert not Organisation.objects.filter(name="Kinderopvang Kiekeboe").exists()
    assert AuditEvent.objects.filter(object_type="import").count() == 1

    ui.submit(ui.page.get_by_role("link", name="Postcodegebieden bekijken, toevoegen en verwijderen"))
    ui.page.get_by_label("Wijk").select_option(label="Noord")
    ui.page.get_by_label("Van postcode").fill("3500")
    ui.page.get_by_label("Tot en met postcode").fill("3519")
    ui.submit(ui.page.get_by_role("button", name="Toevoegen"))
    expect(ui.page.get_by_role("rowheader", name="Noord")).to_be_visible()
    expect(ui.page.locator("main")).to_contain_text("3500–3519")
    ui.screenshot("import-postcodes")
