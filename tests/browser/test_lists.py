"""A list in the browser: sorting by a column header, filtering and paging update the table in place
(HTMX), the address follows so the view can be bookmarked, and every state passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import Organisation, Role, User
from keten.dossiers.models import Dossier
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def organisation(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord")


@pytest.fixture
def professional(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="prof", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def dossiers(professional: User) -> list[Dossier]:
    """30 dossiers, one updated per day; every third one closed."""
    made = [make_dossier(professional, family_name=f"Gezin Lijst {n:02d}") for n in range(30)]
    now = timezone.now()
    for n, d in enumerate(made):
        status = Dossier.Status.CLOSED if n % 3 == 0 else Dossier.Status.OPEN
        Dossier.objects.filter(pk=d.pk).update(updated_at=now - timedelta(days=n), status=status)
    return made


def test_sort_filter_and_page_the_dossier_list(ui: UI, professional: User, dossiers: list[Dossier]) -> None:
    page = ui.page
    login(ui, professional)
    ui.goto("/dossiers/")
    rows = page.locator("#dossier-rows tbody tr")
    count = page.locator("#dossier-rows .keten-list-count")
    expect(rows).to_have_count(25)
    expect(count).to_have_text("30 resultaten · 1–25 getoond")
    expect(page.get_by_role("navigation", name="Paginering")).to_contain_text("Pagina 1 van 2")
    expect(rows.first).to_contain_text("Gezin Lijst 00")  # last changed first
    changed = page.get_by_role("columnheader", name="Laatst gewijzigd")
    expect(changed).to_have_attribute("aria-sort", "descending")

    # Sort on the dossier number: the table is replaced in place and the address follows.
    ui.swap(page.get_by_role("link", name="Dossiernummer"))
    number = page.get_by_role("columnheader", name="Dossiernummer")
    expect(number).to_have_attribute("aria-sort", "ascending")
    expect(changed).not_to_have_attribute("aria-sort", "descending")
    assert ui.path() == "/dossiers/?sorteer=nummer"
    references = sorted(d.reference for d in dossiers)
    expect(rows.first).to_contain_text(references[0])
    ui.swap(page.get_by_role("link", name="Dossiernummer"))
    expect(number).to_have_attribute("aria-sort", "descending")
    expect(rows.first).to_contain_text(references[-1])

    # Filter on status: the chosen order is kept.
    page.get_by_label("Status").select_option("closed")
    ui.swap(page.get_by_role("button", name="Zoeken"))
    expect(count).to_have_text("10 resultaten")
    expect(rows).to_have_count(10)
    closed = sorted((d.reference for n, d in enumerate(dossiers) if n % 3 == 0), reverse=True)
    expect(rows.first).to_contain_text(closed[0])
    expect(page.get_by_role("navigation", name="Paginering")).to_have_count(0)
    assert "status=closed" in ui.path()
    assert "sorteer=-nummer" in ui.path()
    ui.screenshot("list-filtered")

    # Back to all, then page 2 via the numbered link.
    ui.goto("/dossiers/?sorteer=-nummer")
    ui.swap(page.get_by_role("link", name="Pagina 2"))
    expect(rows).to_have_count(5)
    expect(count).to_have_text("30 resultaten · 26–30 getoond")
    expect(page.get_by_role("navigation", name="Paginering")).to_contain_text("Pagina 2 van 2")
    expect(rows.last).to_contain_text(references[0])
    assert ui.path() == "/dossiers/?sorteer=-nummer&pagina=2"

    # Without JavaScript the same address gives the same page; a bad value is explained, not an error.
    response = ui.goto("/dossiers/?status=weg&sorteer=family__name&pagina=x")
    assert response.status == 200
    expect(page.get_by_text("Kies een van de mogelijkheden; er is niet gefilterd op status.")).to_be_visible()
    expect(page.get_by_label("Status")).to_have_attribute("aria-invalid", "true")
    expect(rows).to_have_count(25)
    ui.screenshot("list-bad-filter")


def test_a_search_keeps_names_out_of_the_address_while_paging(
    ui: UI, professional: User, dossiers: list[Dossier]
) -> None:
    page = ui.page
    login(ui, professional)
    ui.goto("/dossiers/")
    page.get_by_label("Zoeken", exact=True).fill("Lijst")
    ui.swap(page.get_by_role("button", name="Zoeken"))
    count = page.locator("#dossier-rows .keten-list-count")
    expect(count).to_have_text("30 resultaten · 1–25 getoond")
    ui.swap(page.get_by_role("button", name="Volgende"))
    expect(count).to_have_text("30 resultaten · 26–30 getoond")
    ui.swap(page.get_by_role("button", name="Dossiernummer"))
    expect(page.get_by_role("columnheader", name="Dossiernummer")).to_have_attribute("aria-sort", "ascending")
    assert "Lijst" not in page.url
