"""The verwijsindex in the browser: two professionals meet in a match; the regievoerder follows up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import OrganisationType, Role, User
from keten.notifications.models import Notification
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user
from keten.verwijsindex.models import Match, Regievoerder, Signal
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

BSN = "999994669"


@pytest.fixture
def people(transactional_db: None) -> dict[str, User]:
    municipality = MunicipalityFactory(name="Lindeveld", cbs_code="GM9990")
    jgz = OrganisationFactory(name="GGD Jeugdgezondheidszorg", type=OrganisationType.JGZ, municipality=municipality)
    school = OrganisationFactory(
        name="Basisschool De Regenboog", type=OrganisationType.ONDERWIJS, municipality=municipality
    )
    gemeente = OrganisationFactory(name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=municipality)
    regie = make_user(Role.BELEIDSMEDEWERKER, gemeente, username="regie", first_name="Rita", last_name="Regie")
    Regievoerder.objects.create(municipality=municipality, user=regie)
    return {
        "nurse": make_user(Role.PROFESSIONAL, jgz, username="jgz", first_name="Judith", last_name="Verpleeg"),
        "teacher": make_user(Role.PROFESSIONAL, school, username="juf", first_name="Tessa", last_name="Leraar"),
        "regie": regie,
    }


def _register(ui: UI) -> None:
    page = ui.page
    ui.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verwijsindex"))
    ui.submit(page.get_by_role("link", name="Signaal afgeven"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal afgeven in de verwijsindex")
    ui.screenshot("verwijsindex-register")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.get_by_label("Ik heb een redelijk vermoeden").check()
    page.get_by_label("Ik bevestig dat deze registratie voldoet").check()
    page.get_by_label("BSN van de jongere").fill(BSN)
    page.get_by_label("Voornaam").fill("Noor")
    page.get_by_label("Achternaam").fill("de Vries")
    page.get_by_label("Geboortedatum").fill("2014-03-02")
    page.get_by_label("c. Meer dan gewone ernstige problemen").check()
    page.get_by_label("Ouders geïnformeerd op").fill(yesterday)
    page.get_by_label("Jongere geïnformeerd op").fill(yesterday)
    ui.submit(page.get_by_role("button", name="Signaal afgeven"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal: Noor de Vries")
    expect(page.get_by_text("Uw signaal staat in de verwijsindex.")).to_be_visible()


def test_two_professionals_meet_in_a_match_and_the_regievoerder_follows(
    browse: Callable[[], UI], people: dict[str, User]
) -> None:
    nurse_ui = browse()
    login(nurse_ui, people["nurse"])
    _register(nurse_ui)
    expect(nurse_ui.page.get_by_text("Er is nog geen andere professional")).to_be_visible()
    # A mistake is answered in Dutch next to the field, and nothing is written.
    teacher_ui = browse()
    login(teacher_ui, people["teacher"])
    page = teacher_ui.page
    teacher_ui.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verwijsindex"))
    teacher_ui.submit(page.get_by_role("link", name="Signaal afgeven"))
    page.get_by_label("BSN van de jongere").fill("123456789")
    teacher_ui.submit(page.get_by_role("button", name="Signaal afgeven"))
    expect(page.get_by_role("alert")).to_contain_text("Controleer de volgende punten")
    expect(page.locator("#id_bsn_error")).to_contain_text("elfproef")
    assert Signal.objects.count() == 1

    _register(teacher_ui)
    expect(page.get_by_text("Er zijn andere professionals betrokken").first).to_be_visible()
    teacher_ui.submit(page.get_by_role("link", name="Cliëntmatch — Nog geen contact"))
    table = page.get_by_role("table", name="Betrokken professionals")
    expect(table).to_contain_text("Judith Verpleeg")
    expect(table).to_contain_text("GGD Jeugdgezondheidszorg")
    expect(table.get_by_role("row", name="Judith Verpleeg coördinator", exact=False)).to_be_visible()
    expect(page.get_by_text("voorgesteld volgens de afspraken van de gemeente")).to_be_visible()
    teacher_ui.screenshot("verwijsindex-match")
    expect(page.get_by_text("Meer dan gewone ernstige problemen")).to_have_count(0)

    # The nurse sees the match too (counted in the menu) and, as coordinator, invites the teacher.
    page = nurse_ui.page
    nurse_ui.goto("/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Verwijsindex")).to_contain_text("1")
    nurse_ui.submit(menu.get_by_role("link", name="Verwijsindex"))
    nurse_ui.submit(page.get_by_role("link", name="Cliëntmatch: Noor de Vries"))
    expect(page.get_by_role("table", name="Betrokken professionals")).to_contain_text("Tessa Leraar")
    nurse_ui.submit(page.get_by_role("button", name="Voorstel overnemen"))
    expect(page.get_by_text("De coördinator is vastgelegd.")).to_be_visible()
    page.get_by_label("Voorgestelde datum voor een casusoverleg").fill(
        (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    nurse_ui.submit(page.get_by_role("button", name="Anderen uitnodigen"))
    expect(page.get_by_text("De andere professionals hebben een uitnodiging gekregen.")).to_be_visible()
    assert Notification.objects.filter(kind="verwijsindex.invite", recipient=people["teacher"]).exists()

    # Nobody recorded contact in time: the regievoerder sees the match on the regie page.
    Match.objects.update(contact_due=date(2026, 1, 5))
    regie_ui = browse()
    login(regie_ui, people["regie"])
    page = regie_ui.page
    regie_ui.submit(page.get_by_role("link", name="Regie: matches zonder contact en over gemeentegrenzen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Regie verwijsindex")
    overdue = page.get_by_role("table", name="Oudste termijn bovenaan")
    expect(overdue).to_contain_text("05-01-2026")
    regie_ui.screenshot("verwijsindex-regie")
    expect(overdue).to_contain_text("Judith Verpleeg (GGD Jeugdgezondheidszorg)")
    regie_ui.submit(overdue.get_by_role("link").first)
    expect(page.get_by_text("Er is nog geen contact vastgelegd")).to_be_visible()
    expect(page.get_by_role("button", name="Er is contact gelegd")).to_have_count(0)
