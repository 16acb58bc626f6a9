"""Samenwerking in beeld in the browser: a beleidsmedewerker reads the gap view and downloads the CSV."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from keten.accounts.models import OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.network.models import Agreement, AgreementType, OrganisationEntry
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def beleid(transactional_db: None) -> User:
    municipality = MunicipalityFactory()
    noord = WijkFactory(municipality=municipality, name="Noord", code="N")
    zuid = WijkFactory(municipality=municipality, name="Zuid", code="Z")
    made = {}
    for name, type_, wijk in (
        ("Wijkteam Noord", OrganisationType.WIJKTEAM, noord),
        ("Wijkteam Zuid", OrganisationType.WIJKTEAM, zuid),
        ("JGZ Lindeveld", OrganisationType.JGZ, None),
        ("Basisschool De Linde", OrganisationType.ONDERWIJS, noord),
        ("Veilig Thuis Regio", OrganisationType.VEILIG_THUIS, None),
        ("Huisartsenpraktijk Zuid", OrganisationType.HUISARTS, zuid),
    ):
        organisation = OrganisationFactory(name=name, type=type_, municipality=municipality)
        if wijk is not None:
            organisation.wijken.add(wijk)
        made[name] = organisation
    OrganisationEntry.objects.exclude(organisation=made["Huisartsenpraktijk Zuid"]).update(
        last_confirmed_at=timezone.now()
    )
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        municipality=municipality,
        type=AgreementType.VERWIJZEN,
        title="Verwijzen JGZ en wijkteams",
        promise="Binnen drie werkdagen opgepakt.",
        start_date=today - timedelta(days=100),
        review_date=today - timedelta(days=5),
    )
    agreement.parties.set([made["JGZ Lindeveld"], made["Wijkteam Noord"], made["Wijkteam Zuid"]])
    gemeente = OrganisationFactory(name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=municipality)
    return make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid", first_name="Bente", last_name="de Vries")


def test_beleidsmedewerker_reads_the_gap_view_and_downloads_csv(ui: UI, beleid: User, tmp_path: Path) -> None:
    login(ui, beleid)
    ui.submit(ui.page.get_by_role("link", name="Netwerkanalyse", exact=True))
    main = ui.page.locator("main")
    expect(main.get_by_role("heading", name="Samenwerking in beeld", exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Samenvatting")).to_be_visible()
    expect(main.get_by_role("table", name="Aanwezige en ontbrekende soorten organisaties per wijk")).to_be_visible()
    pairs = main.get_by_role("table", name="Afspraken tussen belangrijke paren per wijk")
    expect(pairs.get_by_text("geen afspraak").first).to_be_visible()
    expect(main.get_by_role("table", name="Actieve afspraken die geëvalueerd hadden moeten worden")).to_contain_text(
        "Verwijzen JGZ en wijkteams"
    )
    expect(main.get_by_role("table", name="Organisaties met een verouderde vermelding")).to_contain_text(
        "Huisartsenpraktijk Zuid"
    )
    # The network picture is drawn by cytoscape on a canvas.
    graph = main.get_by_role("img", name="Netwerkplaat van de organisaties en hun afspraken", exact=False)
    expect(graph).to_be_visible()
    expect(graph.locator("canvas").first).to_be_attached()
    box = graph.bounding_box()
    assert box is not None
    assert box["height"] > 200
    ui.screenshot("gaps-overview")

    with ui.page.expect_download() as info:
        main.get_by_role("link", name="Downloaden als CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("samenwerking-testgemeente-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    body = target.read_text(encoding="utf-8-sig")
    assert "Samenvatting" in body
    assert "Verwijzen JGZ en wijkteams" in body
    assert AuditEvent.objects.filter(object_type="network_gaps", action="export").count() == 1

    ui.submit(main.get_by_role("link", name="Zuid", exact=True).first)
    expect(main.get_by_role("heading", name="Samenwerking in beeld: wijk Zuid")).to_be_visible()
    expect(main.get_by_role("img", name="Netwerkplaat", exact=False).locator("canvas").first).to_be_attached()


def test_gap_view_without_javascript_shows_the_tables(ui: UI, browser: Browser, live_server: Any, beleid: User) -> None:
    login(ui, beleid)
    context = browser.new_context(java_script_enabled=False, storage_state=ui.context.storage_state(), locale="nl-NL")
    try:
        page = context.new_page()
        response = page.goto(live_server.url + "/sociale-kaart/gemeente/")
        assert response is not None
        assert response.status == 200
        main = page.locator("main")
        expect(main.get_by_role("table", name="Aanwezige en ontbrekende soorten organisaties per wijk")).to_be_visible()
        expect(main.get_by_role("table", name="Afspraken tussen belangrijke paren per wijk")).to_be_visible()
        expect(main.get_by_role("link", name="Downloaden als CSV")).to_be_visible()
        # The picture needs JavaScript; without it the section stays hidden and the tables tell the story.
        expect(page.locator("[data-keten-graph]")).to_be_hidden()
    finally:
        context.close()
