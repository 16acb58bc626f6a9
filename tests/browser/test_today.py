"""The "Vandaag" start page in the browser, for four roles, on a wide screen and on a phone.

Each role signs in and lands on its start page: axe-clean at 1,280 and at 375 pixels wide, with its
blocks most urgent first; the beleidsmedewerker's figures are drawn as charts next to their tables.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import OrganisationType, Role, User
from keten.meldcode.models import Traject
from keten.testing.factories import OrganisationFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login
from tests.client_data_world import World, build_world

pytestmark = pytest.mark.browser

WIDTHS = (1280, 375)


@pytest.fixture
def world(transactional_db: None) -> World:
    world = build_world()
    Traject.objects.filter(pk=world.family.traject.pk).update(
        melding_on=timezone.localdate() - dt.timedelta(days=12),
        vt_feedback_due=timezone.localdate() - dt.timedelta(days=2),
    )
    return world


def _at_each_width(ui: UI, name: str) -> None:
    """The start page as it is now, checked and photographed at each width."""
    for width in WIDTHS:
        ui.page.set_viewport_size({"width": width, "height": 900})
        ui.goto("/")
        expect(ui.page.get_by_role("heading", level=1)).to_have_text("Vandaag")
        overflow = ui.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width}px scrolls sideways by {overflow}px"
        ui.screenshot(f"today-{name}-{width}")


def test_the_professionals_start_page(ui: UI, world: World) -> None:
    login(ui, world.prof)
    page = ui.page
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("Termijnen")
    deadlines = page.locator("[data-block=deadlines]")
    expect(deadlines.get_by_role("heading", name="Te laat (1)")).to_be_visible()
    expect(deadlines.get_by_role("link", name="Terugkoppeling van Veilig Thuis")).to_be_visible()
    expect(deadlines).to_contain_text(str(world.family.dossier.family.name))
    _at_each_width(ui, "professional")
    ui.submit(deadlines.get_by_role("link", name="Terugkoppeling van Veilig Thuis"))
    assert ui.path() == f"/meldcode/{world.family.traject.reference}/"


def test_the_aandachtsfunctionaris_start_page(ui: UI, world: World) -> None:
    login(ui, world.af)
    consultations = ui.page.locator("[data-block=consultations]")
    expect(consultations.get_by_role("heading", level=2)).to_have_text("Consultatievragen aan u (1)")
    expect(ui.page.locator("[data-block=break_glass]").get_by_role("heading", level=2)).to_have_text(
        "Noodtoegang te beoordelen (1)"
    )
    _at_each_width(ui, "aandachtsfunctionaris")
    ui.submit(consultations.get_by_role("link"))
    assert ui.path() == f"/meldcode/consultaties/{world.family.consultation.pk}/"


def test_the_beheerders_start_page(ui: UI, world: World) -> None:
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, world.wijkteam, username="beheer", first_name="Bram")
    login(ui, beheerder)
    stale = ui.page.locator("[data-block=stale_entries]")
    expect(stale.get_by_role("link", name=world.wijkteam.name)).to_be_visible()
    _at_each_width(ui, "beheerder")


def _gemeente_user(world: World) -> User:
    gemeente = OrganisationFactory(
        name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=world.wijkteam.municipality
    )
    return make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid", first_name="Bea")


def test_the_beleidsmedewerkers_start_page_draws_its_figures(ui: UI, world: World) -> None:
    login(ui, _gemeente_user(world))
    _at_each_width(ui, "beleidsmedewerker")
    page = ui.page
    for name in ("wijk", "steps", "vi", "overleg"):
        canvas = page.locator(f"canvas[data-chart-source=table-{name}]")
        expect(canvas).to_have_attribute("data-drawn", "1")
        expect(page.locator(f"table#table-{name}")).to_be_visible()
    assert str(world.family.dossier.family.name) not in page.content()
