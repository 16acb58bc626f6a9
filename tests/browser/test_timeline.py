"""The dossier timeline in the browser: newest first, filtered by kind (HTMX swaps the list and
pushes the URL), older entries behind a link; axe-clean at every step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from keten.accounts.models import Organisation, Role, User
from keten.core.actor import actor_for_user
from keten.dossiers import services
from keten.dossiers.models import Dossier
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

FAMILY = "Gezin Bakker"


@pytest.fixture
def organisation(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord")


@pytest.fixture
def professional(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="prof", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def dossier(professional: User) -> Dossier:
    dossier = make_dossier(professional, family_name=FAMILY)
    actor = actor_for_user(User.objects.get(pk=professional.pk))
    child = dossier.family.persons.get()
    traject_services.traject_start(actor=actor, dossier=dossier, child_id=child.pk)
    for i in range(30):
        services.note_add(actor=actor, dossier=dossier, text=f"Gesprek nummer {i} met moeder.")
    return dossier


def test_the_timeline_filtered_by_kind_and_paged(ui: UI, professional: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, professional)
    ui.goto(f"/dossiers/{dossier.reference}/tijdlijn/")
    # The Tijdlijn section of the dossier's workspace.
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    expect(page.get_by_role("heading", level=2, name="Tijdlijn")).to_be_visible()
    sections = page.get_by_role("navigation", name="Dossieronderdelen")
    expect(sections.get_by_role("link", name="Tijdlijn")).to_have_attribute("aria-current", "page")
    items = page.locator("#dossier-timeline ol > li")
    expect(items).to_have_count(25)
    # Newest first: the last note, then the others.
    expect(items.first).to_contain_text("Gesprek nummer 29 met moeder.")
    expect(items.first.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"))
    expect(items.first.locator(".utrecht-data-badge")).to_have_text("Notitie")
    ui.screenshot("timeline")

    # Only the meldcode trajecten: HTMX swaps the list and puts the filter in the address.
    page.get_by_label("Meldcode-traject").check()
    ui.swap(page.get_by_role("button", name="Filteren"))
    assert "soort=meldcode.trajecten" in ui.path()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Meldcode-traject gestart")
    expect(items.first.get_by_role("link", name="Meldcode-traject gestart")).to_have_attribute(
        "href", f"/meldcode/{dossier.trajecten.get().reference}/"
    )
    expect(page.get_by_role("link", name="Oudere gebeurtenissen")).to_have_count(0)
    ui.screenshot("timeline-filtered")

    # Everything again, then the older entries.
    ui.swap(page.get_by_role("link", name="Alles tonen"))
    expect(items).to_have_count(25)
    ui.swap(page.get_by_role("link", name="Oudere gebeurtenissen"))
    assert "voor=" in ui.path()
    # 30 notes, the traject, the case-team member and the dossier itself: 33 entries, 8 on page two.
    expect(items).to_have_count(8)
    expect(items.last).to_contain_text("Dossier aangemaakt")
    expect(page.get_by_role("link", name="Nieuwste gebeurtenissen")).to_be_visible()


def test_a_garbled_link_shows_a_message_and_the_newest_entries(ui: UI, professional: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, professional)
    ui.goto(f"/dossiers/{dossier.reference}/tijdlijn/?voor=kapot")
    expect(page.get_by_role("alert")).to_contain_text("De link naar oudere gebeurtenissen klopt niet.")
    expect(page.locator("#dossier-timeline ol > li")).to_have_count(25)
