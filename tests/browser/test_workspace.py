"""The dossier workspace in the browser: header, section navigation by keyboard and by click (HTMX swaps
the panel only and moves the focus to its heading), every section axe-clean at 1,280 and 375 px, and
the edit form on a page of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from keten.accounts.models import Organisation, Role, User
from keten.core.actor import actor_for_user
from keten.dossiers import services
from keten.dossiers.models import Dossier
from keten.meldcode.models import Traject
from keten.meldcode.trajecten import services as traject_services
from keten.overleg.models import Agreement, CaseRegistration, OverlegKind, OverlegType, RegistrationStatus
from keten.testing.factories import OrganisationFactory, make_dossier, make_person, make_user
from tests.browser.conftest import TIMEOUT_MS, UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

FAMILY = "Gezin Bakker"
SECTIONS = ["Gezin", "Casusteam", "Meldcode", "Overleg", "Delen", "Notities"]


@pytest.fixture
def organisation(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord")


@pytest.fixture
def professional(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="prof", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def dossier(professional: User, organisation: Organisation) -> Dossier:
    """A dossier with something in every section, and an overdue deadline."""
    dossier = make_dossier(professional, bsn="999994669", family_name=FAMILY)
    make_person(dossier.family, relation="kind", first_name="Noor")
    make_person(dossier.family, relation="ouder", first_name="Sanne")
    actor = actor_for_user(User.objects.get(pk=professional.pk))
    services.dossier_update(
        actor=actor,
        dossier=dossier,
        expected_version=dossier.version,
        summary="Zorgen over schoolverzuim en spanningen thuis. Moeder staat open voor hulp.",
        status="open",
        coordinator_id=professional.pk,
    )
    for text in ("Huisbezoek: moeder vertelt over de spanningen.", "School meldt verzuim van twee weken."):
        services.note_add(actor=actor, dossier=dossier, text=text)
    child = dossier.family.persons.filter(relation="kind").first()
    assert child is not None
    traject = traject_services.traject_start(actor=actor, dossier=dossier, child_id=child.pk)
    today = timezone.localdate()
    Traject.objects.filter(pk=traject.pk).update(
        melding_on=today - dt.timedelta(days=10), vt_feedback_due=today - dt.timedelta(days=2)
    )
    overleg_type = OverlegType.objects.create(
        municipality=organisation.municipality,
        name="Wijk-casusoverleg Noord",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=organisation,
        privacy_basis="Convenant, artikel 4",
    )
    registration = CaseRegistration.objects.create(
        overleg_type=overleg_type,
        dossier=dossier,
        registered_by=professional,
        organisation=organisation,
        reason="Zorgen over de veiligheid thuis.",
        goal="Afstemmen wie wat doet.",
        status=RegistrationStatus.TOEGELATEN,
    )
    Agreement.objects.create(
        registration=registration,
        owner_user=professional,
        what="Huisbezoek afleggen met school.",
        due_on=today + dt.timedelta(days=4),
        created_by=professional,
    )
    return dossier


def test_the_workspace_by_click_and_keyboard(ui: UI, professional: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, professional)
    base = f"/dossiers/{dossier.reference}"
    ui.goto(f"{base}/")
    # The header: the family, the open meldcode step, and the overdue deadline in words.
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    header = page.locator(".keten-workspace__header")
    expect(header).to_contain_text(dossier.reference)
    expect(header).to_contain_text("Stap 1 – Signalen in kaart brengen")
    expect(header).to_contain_text("Te laat: Terugkoppeling van Veilig Thuis")
    expect(header.get_by_role("link", name="Alle termijnen (2)")).to_be_visible()
    nav = page.get_by_role("navigation", name="Dossieronderdelen")
    expect(nav.get_by_role("link").filter(has_not_text="Tijdlijn")).to_have_text(["Overzicht", *SECTIONS])
    expect(nav.get_by_role("link", name="Overzicht")).to_have_attribute("aria-current", "page")
    # The overview fits in about one screen at 1,280 px.
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height <= 1300, f"the overview is {height} px tall"
    ui.screenshot("workspace-overview-1280")

    # By click: HTMX swaps the panel only, the URL follows, the focus lands on the section's heading.
    page.evaluate("() => { window.__ketenSamePage = true; }")
    for label in SECTIONS:
        ui.swap(nav.get_by_role("link", name=label))
        slug = {"Delen": "delen"}.get(label, label.lower())
        assert ui.path() == f"{base}/{slug}/"
        expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        expect(nav.locator("[aria-current]")).to_have_count(1)
        focused = page.evaluate("() => document.activeElement.tagName + ' ' + document.activeElement.textContent")
        assert focused.startswith("H2"), focused
        assert page.evaluate("() => window.__ketenSamePage === true"), "the page was reloaded"
        ui.screenshot(f"workspace-{slug}-1280")
    expect(page.locator("#dossier-panel")).to_contain_text("School meldt verzuim van twee weken.")
    assert page.title().startswith("Notities – Gezin Bakker")

    # Back in the browser's history: the previous section again, from the server (htmx keeps no copy
    # of the dossier in the browser's storage).
    assert page.evaluate("() => localStorage.getItem('htmx-history-cache')") in (None, "[]")
    page.go_back()
    expect(page.locator("#dossier-panel")).to_contain_text("Deelhulp: mag ik informatie delen?")
    ui.check()

    # By keyboard: tab to a section link and press Enter.
    ui.goto(f"{base}/")
    link = nav.get_by_role("link", name="Casusteam")
    link.focus()
    page.evaluate(
        """() => { window.__ketenSettled = new Promise((resolve) =>
             document.body.addEventListener("htmx:afterSettle", () => resolve(true), { once: true })); }"""
    )
    page.keyboard.press("Enter")
    page.evaluate("() => window.__ketenSettled")
    ui.check()
    assert ui.path() == f"{base}/casusteam/"
    expect(page.locator("#dossier-panel").get_by_role("heading", level=2)).to_be_focused()
    expect(page.locator("#dossier-panel")).to_contain_text("Fatima El Amrani")

    # The edit form is a page of its own and returns to the overview.
    ui.goto(f"{base}/")
    ui.submit(page.get_by_role("link", name="Dossier bijwerken"))
    assert ui.path() == f"{base}/wijzigen/"
    ui.screenshot("workspace-edit-1280")
    page.get_by_label("Samenvatting").fill("Zorgen over schoolverzuim. Afspraak met school gemaakt.")
    ui.submit(page.get_by_role("button", name="Opslaan"))
    assert ui.path() == f"{base}/"
    expect(page.get_by_role("status").filter(has_text="De wijzigingen zijn opgeslagen.")).to_be_visible()
    expect(page.locator("#dossier-panel")).to_contain_text("Afspraak met school gemaakt.")

    # The note form too, back to the notes.
    ui.goto(f"{base}/notities/")
    ui.submit(page.locator("#dossier-panel").get_by_role("link", name="Notitie toevoegen"))
    page.get_by_label("Nieuwe notitie").fill("Gesprek met de intern begeleider.")
    ui.submit(page.get_by_role("button", name="Notitie toevoegen"))
    assert ui.path() == f"{base}/notities/"
    expect(page.locator("#dossier-panel")).to_contain_text("Gesprek met de intern begeleider.")


def test_the_workspace_on_a_phone(browser: Browser, live_server: Any, professional: User, dossier: Dossier) -> None:
    # A 375 px wide context, with the same checks as every other UI (axe on every page, no errors).
    context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 812})
    context.set_default_timeout(TIMEOUT_MS)
    ui = UI(context, live_server.url)
    try:
        page = ui.page
        login(ui, professional)
        base = f"/dossiers/{dossier.reference}"
        for slug in ["", "gezin", "casusteam", "meldcode", "overleg", "delen", "notities"]:
            ui.goto(f"{base}/{slug}{'/' if slug else ''}")
            expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
            # Nothing is wider than the screen (the section navigation scrolls sideways in itself).
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 376, f"{slug or 'overzicht'} is {width} px wide"
            ui.screenshot(f"workspace-{slug or 'overview'}-375")
        ui.swap(page.get_by_role("navigation", name="Dossieronderdelen").get_by_role("link", name="Overzicht"))
        assert ui.path() == f"{base}/"
        errors = ui.verify()
    finally:
        context.close()
    assert not errors, errors
