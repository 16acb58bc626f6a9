"""Dossier access in the browser: the case team sees, others get 404, break the glass, logout."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from keten.accounts.models import Organisation, Role, User
from keten.core.models import AuditEvent
from keten.dossiers.models import BreakGlassAccess, Dossier
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import assert_theme_applied, login

pytestmark = pytest.mark.browser

FAMILY = "Gezin Bakker"
BSN = "999994669"


@pytest.fixture
def organisation(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord")


@pytest.fixture
def professional(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="prof", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def outsider(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="outsider", first_name="Bram", last_name="de Vries")


@pytest.fixture
def officer(organisation: Organisation) -> User:
    return make_user(Role.AANDACHTSFUNCTIONARIS, organisation, username="af", first_name="Anouk", last_name="Smit")


@pytest.fixture
def dossier(professional: User) -> Dossier:
    make_dossier(professional, family_name="Gezin De Wit")
    return make_dossier(professional, bsn=BSN, family_name=FAMILY)


def test_case_team_member_opens_dossier_from_the_list(ui: UI, professional: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, professional)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    expect(page.locator(".keten-today__welcome")).to_contain_text("Welkom, Fatima.")
    assert_theme_applied(ui)
    ui.screenshot("dashboard")

    ui.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dossiers"))
    assert ui.path() == "/dossiers/"
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header + two dossiers
    # The same search that finds nothing for a non-member finds the dossier for its case team.
    page.get_by_label("Zoeken", exact=True).fill(BSN)
    ui.swap(page.get_by_role("button", name="Zoeken"))
    expect(rows).to_have_count(2)
    expect(page.locator("#dossier-rows .keten-list-count")).to_have_text("1 resultaat")
    ui.submit(page.get_by_role("link", name=FAMILY))

    assert ui.path() == f"/dossiers/{dossier.reference}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    expect(page.locator(".keten-workspace__facts")).to_contain_text(dossier.reference)
    # The BSN is masked on screen; no emergency-access banner for the case team.
    expect(page.locator("main")).not_to_contain_text(BSN)
    expect(page.get_by_text("noodtoegang", exact=False)).to_have_count(0)
    ui.screenshot("dossier")
    assert AuditEvent.objects.filter(action="view", object_type="dossier", actor=professional).exists()


def test_non_member_gets_404_and_cannot_find_the_dossier(ui: UI, outsider: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, outsider)

    response = ui.goto(f"/dossiers/{dossier.reference}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    expect(page.locator("main")).not_to_contain_text("Bakker")

    ui.goto("/dossiers/")
    expect(page.get_by_text("U zit nog in geen enkel casusteam.")).to_be_visible()
    for query in ("Bakker", BSN, dossier.reference):
        page.get_by_label("Zoeken", exact=True).fill(query)
        ui.swap(page.get_by_role("button", name="Zoeken"))
        rows = page.locator("#dossier-rows")
        expect(rows).to_contain_text("Geen dossier gevonden waarvan u in het casusteam zit.")
        expect(rows).not_to_contain_text("Bakker")
        expect(rows).not_to_contain_text(dossier.reference)
        # Searches are posted: names and BSNs never end up in a URL.
        assert query not in page.url


def test_break_the_glass_shows_dossier_with_warning_audits_and_notifies(
    browse: Callable[[], UI], outsider: User, officer: User, dossier: Dossier
) -> None:
    ui = browse()
    page = ui.page
    login(ui, outsider)

    assert ui.goto(f"/dossiers/{dossier.reference}/").status == 404
    ui.submit(page.get_by_role("link", name="Vraag noodtoegang aan"))
    assert ui.path().startswith("/dossiers/noodtoegang/")

    # A reason is mandatory: a short one is refused with a Dutch message next to the field.
    page.get_by_label("Dossiernummer").fill(dossier.reference)
    page.get_by_label("Reden").fill("kort")
    ui.submit(page.get_by_role("button", name="Noodtoegang gebruiken"))
    expect(page.get_by_role("alert")).to_contain_text("Reden")
    assert not AuditEvent.objects.filter(action="break_glass").exists()

    reason = "Politie meldt acute onveiligheid, regievoerder onbereikbaar"
    page.get_by_label("Reden").fill(reason)
    ui.submit(page.get_by_role("button", name="Noodtoegang gebruiken"))

    assert ui.path() == f"/dossiers/{dossier.reference}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)
    expect(page.get_by_role("status").filter(has_text="U heeft noodtoegang tot dit dossier")).to_be_visible()
    expect(page.get_by_text("U bekijkt dit dossier met noodtoegang")).to_be_visible()
    # Read-only: no forms to change the dossier.
    expect(page.get_by_role("button", name="Opslaan")).to_have_count(0)
    ui.screenshot("dossier-break-glass")

    event = AuditEvent.objects.get(action="break_glass")
    assert event.actor_id == outsider.pk
    assert event.object_id == dossier.reference
    # The reason is kept encrypted with the grant and shown only in the review queue.
    grant = BreakGlassAccess.objects.get()
    assert grant.reason == reason
    assert event.reason == ""
    assert event.details == {"grant": grant.pk}
    assert event.client_pseudonym == dossier.family.pseudonym
    notification = Notification.objects.get(recipient=officer, kind="break_glass")
    assert "Bram de Vries" in notification.title
    assert reason not in notification.body

    # The aandachtsfunctionaris sees the notification after signing in.
    officer_ui = browse()
    login(officer_ui, officer)
    heading = officer_ui.page.get_by_role("heading", name="Nieuwe meldingen")
    notifications = officer_ui.page.locator("section", has=heading)
    expect(notifications).to_contain_text(notification.title)

    # ... and judges it in the review queue, reached from the main menu.
    officer_page = officer_ui.page
    officer_ui.submit(
        officer_page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Noodtoegang beoordelen")
    )
    assert officer_ui.path() == "/dossiers/noodtoegang/beoordelen/"
    section = officer_page.locator(
        "section", has=officer_page.get_by_role("heading", name=f"opende {dossier.reference}")
    )
    expect(section).to_contain_text(reason)
    expect(section).to_contain_text("Bram de Vries")
    officer_ui.submit(section.get_by_role("button", name="Oordeel vastleggen"))
    expect(officer_page.get_by_role("alert").first).to_be_visible()
    section = officer_page.locator(
        "section", has=officer_page.get_by_role("heading", name=f"opende {dossier.reference}")
    )
    section.get_by_label("Terecht gebruikt", exact=True).check()
    section.get_by_label("Toelichting").fill("Acute situatie, terecht gebruikt.")
    officer_ui.submit(section.get_by_role("button", name="Oordeel vastleggen"))
    expect(officer_page.get_by_role("status").filter(has_text="Uw oordeel is vastgelegd.")).to_be_visible()
    officer_ui.screenshot("break-glass-review")
    review = grant.reviews.get()
    assert review.justified
    assert review.reviewer_id == officer.pk


def test_a_known_bsn_offers_to_ask_the_regievoerder_who_accepts(
    browse: Callable[[], UI], professional: User, outsider: User, dossier: Dossier
) -> None:
    ui = browse()
    page = ui.page
    login(ui, outsider)
    ui.goto("/dossiers/nieuw/")
    page.get_by_label("Naam van het gezin").fill("Gezin Nieuw")
    page.get_by_label("Eerste gezinslid: relatie").select_option("kind")
    page.get_by_label("Voornaam").fill("Sam")
    page.get_by_label("Achternaam").fill("Nieuw")
    page.get_by_label("BSN").fill(BSN)
    ui.submit(page.get_by_role("button", name="Dossier aanmaken"))
    expect(page.get_by_text("bekend in Keten").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(dossier.reference)
    page.get_by_label("Waarom heeft u toegang nodig?").fill("Ik ben de nieuwe jeugdarts van dit kind.")
    ui.submit(page.get_by_role("button", name="Vraag de regievoerder om toegang"))
    assert ui.path() == "/dossiers/toegangsverzoeken/"
    expect(page.locator("body")).not_to_contain_text(dossier.reference)
    expect(page.get_by_role("table")).to_contain_text("Open")

    regie = browse()
    login(regie, professional)
    regie.goto("/dossiers/toegangsverzoeken/")
    expect(regie.page.get_by_role("table")).to_contain_text(dossier.reference)
    expect(regie.page.get_by_role("table")).to_contain_text("Bram de Vries")
    regie.submit(regie.page.get_by_role("button", name="Toekennen"))
    expect(regie.page.get_by_role("status").filter(has_text="toegekend")).to_be_visible()
    regie.screenshot("access-request-accepted")

    assert ui.goto(f"/dossiers/{dossier.reference}/").status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)


def test_logout_returns_to_login_and_closes_the_dossier(ui: UI, professional: User, dossier: Dossier) -> None:
    page = ui.page
    login(ui, professional)
    ui.goto(f"/dossiers/{dossier.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMILY)

    ui.submit(page.get_by_role("button", name="Uitloggen"))
    assert ui.path() == "/inloggen/"
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Keten")

    # The session is gone: the dossier URL now leads to the login page.
    ui.goto(f"/dossiers/{dossier.reference}/")
    assert ui.path() == f"/inloggen/?next=/dossiers/{dossier.reference}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Keten")
    expect(page.locator("body")).not_to_contain_text(FAMILY)
