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


def test_beheer_cijfers_proposal_history_and_withdrawal(browse: Callable[[], UI], people: dict[str, User]) -> None:
    municipality = people["regie"].active_membership.organisation.municipality  # type: ignore[union-attr]
    gemeente = people["regie"].active_membership.organisation  # type: ignore[union-attr]
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="fb", first_name="Kees", last_name="Beheer")
    beleid = make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid", first_name="Bente", last_name="Beleid")

    # The functioneel beheerder shortens the active period and designates the nurse as regievoerder.
    ui = browse()
    login(ui, beheerder)
    page = ui.page
    ui.submit(page.get_by_role("link", name="Instellingen en regievoerders van de verwijsindex"))
    page.get_by_label("Looptijd van een signaal (maanden)").fill("30")
    ui.submit(page.get_by_role("button", name="Instellingen opslaan"))
    expect(page.get_by_role("alert")).to_contain_text("1 tot en met 24 maanden")
    page.get_by_label("Looptijd van een signaal (maanden)").fill("12")
    ui.submit(page.get_by_role("button", name="Instellingen opslaan"))
    expect(page.get_by_text("De instellingen van de verwijsindex zijn opgeslagen.")).to_be_visible()
    assert municipality.vi_settings.active_months == 12
    page.get_by_label("Gebruikersnaam of e-mailadres").fill("jgz")
    ui.submit(page.get_by_role("button", name="Regievoerder aanwijzen"))
    expect(page.get_by_role("table", name="Aangewezen regievoerders")).to_contain_text("Judith Verpleeg")

    # Without a BSN, the second registration is a proposal a person confirms.
    nurse = browse()
    login(nurse, people["nurse"])
    page = nurse.page
    nurse.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verwijsindex"))
    nurse.submit(page.get_by_role("link", name="Signaal afgeven"))
    today = timezone.localdate().isoformat()
    page.get_by_label("Ik heb een redelijk vermoeden").check()
    page.get_by_label("Ik bevestig dat deze registratie voldoet").check()
    page.get_by_label("Voornaam").fill("Sem")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("2012-05-06")
    page.get_by_label("k. Ouders of verzorgers").check()
    page.get_by_label("Ik stel het informeren uit").check()
    page.get_by_label("Waarom stelt u het informeren uit?").fill(
        "Eerst overleggen met Veilig Thuis over de veiligheid."
    )
    nurse.submit(page.get_by_role("button", name="Signaal afgeven"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal: Sem Jansen")
    expect(page.get_by_text("Eerst overleggen met Veilig Thuis")).to_be_visible()
    page.get_by_label("Ouders geïnformeerd op").fill(today)
    page.get_by_label("Jongere geïnformeerd op").fill(today)
    nurse.submit(page.get_by_role("button", name="Informeren vastleggen"))
    expect(page.get_by_text("Vastgelegd: de ouders of de jongere zijn geïnformeerd.")).to_be_visible()
    # The nurse withdraws after a confirmation.
    nurse.submit(page.get_by_role("link", name="Signaal intrekken"))
    nurse.submit(page.get_by_role("button", name="Ja, signaal intrekken"))
    expect(page.get_by_text("Uw signaal is ingetrokken")).to_be_visible()

    teacher = browse()
    login(teacher, people["teacher"])
    page = teacher.page
    teacher.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verwijsindex"))
    teacher.submit(page.get_by_role("link", name="Signaal afgeven"))
    page.get_by_label("Ik heb een redelijk vermoeden").check()
    page.get_by_label("Ik bevestig dat deze registratie voldoet").check()
    page.get_by_label("Voornaam").fill("Sem")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Geboortedatum").fill("2012-05-06")
    page.get_by_label("e. Vaak afwezig op school").check()
    page.get_by_label("Ouders geïnformeerd op").fill(today)
    page.get_by_label("Jongere geïnformeerd op").fill(today)
    teacher.submit(page.get_by_role("button", name="Signaal afgeven"))
    expect(page.get_by_text("Gaat het om dezelfde jongere?")).to_be_visible()
    page.get_by_label("Dezelfde jongere", exact=True).check()
    teacher.submit(page.get_by_role("button", name="Keuze bevestigen en signaal afgeven"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaal: Sem Jansen")
    # The nurse's withdrawn signal is history: looked up with a reason.
    page.get_by_label("Waarom heeft u de geschiedenis nodig?").fill("Afstemmen met de eerdere begeleiding")
    teacher.submit(page.get_by_role("button", name="Geschiedenis bekijken"))
    expect(page.get_by_role("table", name="Signalen in het archief")).to_contain_text("GGD Jeugdgezondheidszorg")

    # The beleidsmedewerker sees counts only, as a table and a chart.
    ui = browse()
    login(ui, beleid)
    page = ui.page
    ui.submit(page.get_by_role("link", name="Verwijsindex in cijfers", exact=False))
    expect(page.get_by_role("table", name="Actieve signalen per soort organisatie")).to_contain_text("x (niet getoond)")
    expect(page.locator("#chart-type")).to_have_attribute("data-drawn", "1")
    expect(page.get_by_text("Sem Jansen")).to_have_count(0)
