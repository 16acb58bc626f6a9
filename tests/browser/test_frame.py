"""The page frame on a phone and on a laptop: every page is accessible, fits the screen, can be
skipped through by keyboard, uses the theme's self-hosted fonts and names the gemeente."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keten.accounts.models import OrganisationType, Role
from keten.network.models import Agreement, AgreementType, OrganisationEntry, PostcodeRange
from keten.overleg.models import Meeting, OverlegKind, OverlegType
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_user
from tests.browser.conftest import DESKTOP_WIDTH, PHONE_WIDTH, UI, Browse
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

LOGO = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='48' viewBox='0 0 120 48'>"
    "<rect width='120' height='48' fill='#1f5fa8'/></svg>"
)

# Fonts that must have loaded: body text and the bold serif of the headings.
_LOADED_FONTS = """
async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter((face) => face.status === "loaded")
    .map((face) => `${face.family.replaceAll('"', "")} ${face.weight}`);
}
"""


@pytest.fixture
def scene(transactional_db: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "gemeente").mkdir()
    (tmp_path / "gemeente" / "logo.svg").write_text(LOGO, encoding="utf-8")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    settings.KETEN_GEMEENTE_NAAM = "Lindeveld"
    settings.KETEN_GEMEENTE_LOGO = "gemeente/logo.svg"

    municipality = MunicipalityFactory(name="Lindeveld", cbs_code="GM9992")
    noord = WijkFactory(municipality=municipality, name="Noord", code="N")
    zuid = WijkFactory(municipality=municipality, name="Zuid", code="Z")
    PostcodeRange.objects.create(wijk=noord, start=3500, end=3519)
    made = {}
    for name, type_, wijk in (
        ("Wijkteam Noord", OrganisationType.WIJKTEAM, noord),
        ("Wijkteam Zuid", OrganisationType.WIJKTEAM, zuid),
        ("Jeugdgezondheidszorg Lindeveld en omstreken", OrganisationType.JGZ, None),
        ("Openbare Basisschool De Lindeboom", OrganisationType.ONDERWIJS, noord),
        ("Veilig Thuis Regio Lindeveld", OrganisationType.VEILIG_THUIS, None),
        ("Huisartsenpraktijk Zuid", OrganisationType.HUISARTS, zuid),
    ):
        organisation = OrganisationFactory(name=name, type=type_, municipality=municipality)
        if wijk is not None:
            organisation.wijken.add(wijk)
        made[name] = organisation
    OrganisationEntry.objects.filter(organisation=made["Wijkteam Noord"]).update(
        is_public=True,
        visiting_address="Marktstraat 1",
        phone="030-1111111",
        website="https://www.wijkteam-noord-lindeveld.example/hulp-bij-zorgen-over-de-veiligheid-van-een-kind",
    )
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        municipality=municipality,
        type=AgreementType.VERWIJZEN,
        title="Verwijzen tussen jeugdgezondheidszorg en wijkteams",
        promise="Binnen drie werkdagen opgepakt.",
        start_date=today - dt.timedelta(days=100),
        review_date=today - dt.timedelta(days=5),
    )
    agreement.parties.set([made["Jeugdgezondheidszorg Lindeveld en omstreken"], made["Wijkteam Noord"]])
    worker = make_user(Role.PROFESSIONAL, made["Wijkteam Noord"], username="wijkcoach", first_name="Wim")
    chair = make_user(Role.PROFESSIONAL, made["Veilig Thuis Regio Lindeveld"], username="voorzitter")
    overleg = OverlegType.objects.create(
        municipality=municipality,
        name="Afstemmingsoverleg straf–zorg",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=made["Veilig Thuis Regio Lindeveld"],
        chair=chair,
        weekdays=[2, 4],
        start_time=dt.time(10, 0),
        location="Zorg- en Veiligheidshuis",
        privacy_basis="Convenant Zorg- en Veiligheidshuis Lindeveld",
    )
    overleg.members.set([made["Veilig Thuis Regio Lindeveld"], made["Wijkteam Noord"]])
    starts_at = timezone.now() + dt.timedelta(days=2)
    Meeting.objects.create(
        overleg_type=overleg, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=90), location="ZVH"
    )
    gemeente = OrganisationFactory(name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=municipality)
    beleid = make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid", first_name="Bente")
    return {"worker": worker, "beleid": beleid}


def _focus_start(page: Page) -> None:
    """Start keyboard navigation at the top of the document, as after loading a page."""
    page.evaluate(
        """() => {
          const root = document.documentElement;
          root.setAttribute('tabindex', '-1');
          root.focus();
          root.removeAttribute('tabindex');
          window.scrollTo(0, 0);
        }"""
    )


def _check_frame(ui: UI, name: str, width: int, *, menu: bool) -> None:
    """The frame checks on the page that is open (its axe check is done by the navigation)."""
    page = ui.page
    ui.assert_no_horizontal_overflow()
    header = page.locator("header").first
    expect(header).to_contain_text("Gemeente Lindeveld")
    expect(header.get_by_role("img", name="Logo gemeente Lindeveld")).to_be_visible()
    loaded = page.evaluate(_LOADED_FONTS)
    assert "Noto Sans 400" in loaded, f"{name}: the theme's text font did not load: {loaded}"
    assert "Noto Serif 700" in loaded, f"{name}: the theme's heading font did not load: {loaded}"
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert body_font.startswith(("'Noto Sans'", '"Noto Sans"')), body_font
    ui.screenshot(f"{name}-{width}")

    # Keyboard: the first Tab reaches the skip link, Enter moves focus to the content.
    _focus_start(page)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    ui.check()
    if menu:
        _focus_start(page)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        to_menu = page.get_by_role("link", name="Direct naar het hoofdmenu")
        expect(to_menu).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_focused()
        ui.check()


def _assert_targets(ui: UI) -> None:
    """On a phone every menu link and button of the frame is at least 44 px high and wide."""
    small = ui.page.evaluate(
        """() => [...document.querySelectorAll(['.keten-nav a', '.keten-nav button', 'main .utrecht-button',
                   'main .utrecht-button-link', '.utrecht-pagination a'].join(', '))]
          .filter((el) => el.offsetParent !== null)
          .map((el) => [el.textContent.trim(), el.getBoundingClientRect()])
          .filter(([, box]) => box.height < 44 || box.width < 44)
          .map(([text, box]) => `${text} ${Math.round(box.width)}x${Math.round(box.height)}`)"""
    )
    assert small == [], f"touch targets smaller than 44 px: {small}"


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_frame_pages_fit_the_screen_and_work_by_keyboard(browse: Browse, scene: dict[str, Any], width: int) -> None:
    visitor = browse(width=width)
    visitor.goto("/inloggen/")
    _check_frame(visitor, "login", width, menu=False)
    visitor.goto("/publiek/routekaart/?postcode=3505+AB")
    expect(visitor.page.get_by_role("heading", name="Wijkteam Noord")).to_be_visible()
    _check_frame(visitor, "publiek-routekaart", width, menu=False)

    worker = browse(width=width)
    login(worker, scene["worker"])
    _check_frame(worker, "dashboard", width, menu=True)
    if width == PHONE_WIDTH:
        _assert_targets(worker)
    worker.goto("/overleg/")
    expect(worker.page.locator("main")).to_contain_text("Afstemmingsoverleg straf–zorg")
    _check_frame(worker, "overleg", width, menu=True)

    beleid = browse(width=width)
    login(beleid, scene["beleid"])
    beleid.goto("/sociale-kaart/gemeente/")
    expect(beleid.page.get_by_role("heading", name="Samenwerking in beeld", exact=True)).to_be_visible()
    _check_frame(beleid, "netwerk-gaten", width, menu=True)
    if width == PHONE_WIDTH:
        _assert_targets(beleid)


def test_a_table_wider_than_the_phone_scrolls_in_a_named_focusable_region(
    browse: Browse, scene: dict[str, Any]
) -> None:
    ui = browse(width=PHONE_WIDTH)
    login(ui, scene["beleid"])
    ui.goto("/sociale-kaart/gemeente/")
    regions = ui.page.evaluate(
        """() => [...document.querySelectorAll('.utrecht-table-container')].map((box) => ({
             overflows: box.scrollWidth > box.clientWidth + 1,
             tabindex: box.getAttribute('tabindex'),
             role: box.getAttribute('role'),
             name: box.getAttribute('aria-labelledby')
               ? document.getElementById(box.getAttribute('aria-labelledby')).textContent.trim()
               : box.getAttribute('aria-label'),
           }))"""
    )
    assert any(r["overflows"] for r in regions), regions
    for region in regions:
        if region["overflows"]:
            assert region["tabindex"] == "0", region
            assert region["role"] == "region", region
            assert region["name"], region
        else:
            assert region["tabindex"] is None, region
            assert region["role"] is None, region
    # Wider window: the same tables fit, and are plain boxes again (re-evaluated on resize).
    ui.page.set_viewport_size({"width": 1600, "height": 900})
    ui.page.wait_for_function(
        """() => [...document.querySelectorAll('.utrecht-table-container')].every((box) =>
             (box.scrollWidth > box.clientWidth + 1) === (box.getAttribute('role') === 'region'))"""
    )
    ui.check()


def test_a_modal_dialog_gives_focus_back_to_its_opener(browse: Browse, scene: dict[str, Any]) -> None:
    ui = browse()
    ui.goto("/inloggen/")
    page = ui.page
    # A page that uses the pattern: a button naming a native <dialog>, a close button inside it.
    page.evaluate(
        """() => {
          const opener = document.createElement('button');
          opener.type = 'button'; opener.className = 'utrecht-button utrecht-button--secondary-action';
          opener.dataset.ketenDialog = 'uitleg'; opener.textContent = 'Uitleg';
          const dialog = document.createElement('dialog');
          dialog.id = 'uitleg'; dialog.setAttribute('aria-labelledby', 'uitleg-titel');
          dialog.innerHTML = '<h2 id="uitleg-titel">Uitleg</h2><p>Tekst.</p>' +
            '<button type="button" class="utrecht-button" data-keten-dialog-close>Sluiten</button>';
          document.querySelector('main').append(opener, dialog);
        }"""
    )
    opener = page.get_by_role("button", name="Uitleg")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Uitleg")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Sluiten")).to_be_focused()
    ui.check()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
    # Escape closes as well, and focus returns again.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()
