"""The meldcode in the browser: a teacher walks the five steps to a melding, the aandachtsfunctionaris advises."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.dossiers.models import Dossier
from keten.meldcode.models import Checklist, Consultation, EntryKind, Status, Traject
from keten.meldcode.reference import load_default_checklists
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

MOTIVATION = "Gewogen op basis van de signalen, het advies en het gesprek."


@pytest.fixture
def school(transactional_db: None) -> Organisation:
    # A transactional test database starts empty: the default checklists come from a data migration.
    load_default_checklists(Checklist, now=timezone.now())
    return OrganisationFactory(name="Basisschool De Linde", type=OrganisationType.ONDERWIJS)


@pytest.fixture
def teacher(school: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, school, username="juf", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def officer(school: Organisation) -> User:
    return make_user(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anouk", last_name="Smit")


@pytest.fixture
def dossier(teacher: User) -> Dossier:
    return make_dossier(teacher, family_name="Gezin Bakker")


def test_teacher_walks_the_meldcode_to_a_melding(
    browse: Callable[[], UI], teacher: User, officer: User, dossier: Dossier
) -> None:
    ui = browse()
    page = ui.page
    login(ui, teacher)
    today = timezone.localdate().isoformat()

    # Start the traject for the child from the dossier's meldcode section.
    ui.goto(f"/dossiers/{dossier.reference}/meldcode/")
    child = dossier.family.persons.get()
    meldcode = page.locator("section", has=page.get_by_role("heading", name="Meldcode", exact=True))
    meldcode.get_by_label(child.full_name).check()
    ui.submit(meldcode.get_by_role("button", name="Meldcode-traject starten"))
    traject = Traject.objects.get(dossier=dossier)
    assert ui.path() == f"/meldcode/{traject.reference}/"
    expect(page.get_by_role("status").filter(has_text="Het meldcode-traject is gestart")).to_be_visible()
    expect(page.get_by_text("Een signaal is nooit een bewijs")).to_be_visible()

    # Step 1: signals from the checklist, facts apart from interpretation. A missing fact is refused first.
    kind = traject.checklists.get(kind="kindsignalen")
    # The child is 10: the signals for other ages are folded away, so pick two that fit.
    fitting = [i for i in kind.items if i.get("age_band") in ("4-12", "alle")]
    first, second = fitting[0], fitting[1]
    expect(page.get_by_text("Signalen bij andere leeftijden").first).to_be_visible()
    signals = page.locator("form", has=page.get_by_role("button", name="Signalen vastleggen"))
    signals.get_by_label(first["label"], exact=True).check()
    signals.get_by_label(second["label"], exact=True).check()
    signals.get_by_label("Waargenomen op").fill(today)
    ui.submit(signals.get_by_role("button", name="Signalen vastleggen"))
    expect(page.get_by_role("alert")).to_contain_text("Dit veld is vereist")
    assert not traject.entries.exists()
    signals = page.locator("form", has=page.get_by_role("button", name="Signalen vastleggen"))
    expect(signals.get_by_label(first["label"], exact=True)).to_be_checked()
    signals.get_by_label("Feiten: wat is er gezien of gehoord?").fill("Komt drie dagen zonder lunch op school.")
    signals.get_by_label("Uw interpretatie").fill("Mogelijk verwaarlozing.")
    ui.submit(signals.get_by_role("button", name="Signalen vastleggen"))
    expect(page.get_by_role("status").filter(has_text="De signalen zijn vastgelegd.")).to_be_visible()
    timeline = page.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))
    expect(timeline).to_contain_text(first["label"])
    ui.screenshot("meldcode-stap1")

    # Step 2: ask the aandachtsfunctionaris, without names.
    ui.submit(page.get_by_role("button", name="Naar stap 2"))
    expect(page.get_by_role("heading", name="Stap 2: Collegiale consultatie")).to_be_visible()
    ask = page.locator("form", has=page.get_by_role("button", name="Vraag versturen"))
    ask.get_by_label("Aandachtsfunctionaris").check()
    ask.get_by_label("Naam").select_option(str(officer.pk))
    ask.get_by_label("Uw vraag").fill("Zijn deze signalen reden om verder te gaan met de meldcode?")
    ui.submit(ask.get_by_role("button", name="Vraag versturen"))
    expect(page.get_by_role("status").filter(has_text="Uw consultatievraag is verstuurd")).to_be_visible()

    # The aandachtsfunctionaris answers in the inbox.
    af = browse()
    login(af, officer)
    menu = af.page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Consultaties")).to_contain_text("1")
    af.submit(menu.get_by_role("link", name="Consultaties"))
    af.submit(af.page.get_by_role("link", name="Vraag van Fatima El Amrani"))
    expect(af.page.get_by_text("Zijn deze signalen reden om verder te gaan").first).to_be_visible()
    expect(af.page.locator("main")).not_to_contain_text("Bakker")
    af.page.get_by_label("Uw advies").fill("Bespreek de zorgen met moeder en houd het kind in het oog.")
    af.submit(af.page.get_by_role("button", name="Advies vastleggen"))
    expect(af.page.get_by_role("status").filter(has_text="Uw advies is vastgelegd")).to_be_visible()
    assert Consultation.objects.get().state == Consultation.State.BEANTWOORD

    # Step 3: the conversation with the parents.
    ui.goto(f"/meldcode/{traject.reference}/")
    expect(page.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))).to_contain_text(
        "Bespreek de zorgen met moeder"
    )
    ui.submit(page.get_by_role("button", name="Naar stap 3"))
    talk = page.locator("form", has=page.get_by_role("button", name="Gesprek vastleggen"))
    talk.get_by_label("Datum van het gesprek").fill(today)
    talk.get_by_label("Ouders").check()
    talk.get_by_label("Wat heeft u besproken?").fill("De lunch, de vermoeidheid en hoe het thuis gaat.")
    talk.get_by_label("Hoe reageerden de betrokkenen?").fill("Moeder schrok en wil hulp, vader was boos.")
    ui.submit(talk.get_by_role("button", name="Gesprek vastleggen"))
    expect(page.get_by_role("status").filter(has_text="Het gesprek is vastgelegd.")).to_be_visible()

    # Steps 4-5: the afwegingen one by one; afweging 2 "ja" sets meldnorm 1.
    ui.submit(page.get_by_role("button", name="Naar stap 5"))
    for number in (1, 2):
        expect(page.get_by_role("heading", name=f"Afweging {number}:")).to_be_visible()
        weigh = page.locator("form", has=page.get_by_role("button", name="Afweging vastleggen"))
        weigh.get_by_label("Ja", exact=True).check()
        weigh.get_by_label("Motivering").fill(MOTIVATION)
        ui.submit(weigh.get_by_role("button", name="Afweging vastleggen"))
        expect(page.get_by_role("status").filter(has_text=f"Afweging {number} is vastgelegd.")).to_be_visible()
    expect(page.get_by_text("Meldnorm 1: er is acute of structurele onveiligheid")).to_be_visible()
    ui.screenshot("meldcode-stap5")

    # The decision: only decisions that fit the tree are offered.
    decide = page.locator("form", has=page.get_by_role("button", name="Besluit vastleggen"))
    expect(decide.get_by_label("Afsluiten: er is geen vermoeden meer")).to_have_count(0)
    decide.get_by_label("Melden bij Veilig Thuis", exact=True).check()
    decide.get_by_label("Motivering").fill(MOTIVATION)
    ui.submit(decide.get_by_role("button", name="Besluit vastleggen"))
    expect(page.get_by_role("status").filter(has_text="Het besluit is vastgelegd.")).to_be_visible()

    # The melding, with the feedback deadline on Dutch working days.
    report = page.locator("form", has=page.get_by_role("button", name="Melding vastleggen"))
    report.get_by_label("Gemeld op").fill(today)
    report.get_by_label("Veilig Thuis-regio").fill("Veilig Thuis Lindeveld")
    report.get_by_label("Welke informatie heeft u gedeeld?").fill("De signalen, het gesprek en de afwegingen.")
    report.get_by_label("Ja", exact=True).check()
    ui.submit(report.get_by_role("button", name="Melding vastleggen"))
    expect(page.get_by_role("status").filter(has_text="De melding is vastgelegd.")).to_be_visible()
    traject.refresh_from_db()
    assert traject.status == Status.GEMELD
    assert traject.vt_feedback_due is not None
    expect(page.locator(".keten-facts").first).to_contain_text(traject.vt_feedback_due.strftime("%d-%m-%Y"))
    expect(page.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))).to_contain_text(
        "Melden bij Veilig Thuis"
    )
    kinds = set(traject.entries.values_list("kind", flat=True))
    assert {EntryKind.SIGNAAL, EntryKind.CONSULTATIEADVIES, EntryKind.GESPREK, EntryKind.MELDING} <= kinds

    # The report of the whole traject, when that page is there.
    link = page.get_by_role("link", name="Verslag van het traject downloaden (PDF)")
    if link.count():
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith(".pdf")


def test_start_from_scratch_and_the_aandachtsfunctionaris_overview(
    browse: Callable[[], UI], teacher: User, officer: User
) -> None:
    ui = browse()
    page = ui.page
    login(ui, teacher)

    # From scratch: the dossier is made with the traject; a date of birth in the future is refused.
    ui.submit(page.get_by_role("link", name="Nieuw meldcode-traject"))
    assert ui.path() == "/meldcode/nieuw/"
    page.get_by_label("Naam van het gezin").fill("Gezin Yilmaz")
    page.get_by_label("Voornaam van het kind").fill("Elif")
    page.get_by_label("Achternaam van het kind").fill("Yilmaz")
    page.get_by_label("Geboortedatum van het kind").fill("2999-01-01")
    ui.submit(page.get_by_role("button", name="Dossier aanmaken en traject starten"))
    expect(page.get_by_role("alert")).to_contain_text("De geboortedatum kan niet in de toekomst liggen.")
    assert not Traject.objects.exists()
    page.get_by_label("Geboortedatum van het kind").fill("2016-04-01")
    ui.submit(page.get_by_role("button", name="Dossier aanmaken en traject starten"))
    traject = Traject.objects.get()
    assert ui.path() == f"/meldcode/{traject.reference}/"
    expect(page.locator(".keten-facts").first).to_contain_text("Elif Yilmaz")

    # A motivated exception instead of the conversation.
    ui.submit(page.get_by_role("button", name="Naar stap 3"))
    page.get_by_text("Het gesprek vindt niet plaats").click()
    skip = page.locator("form", has=page.get_by_role("button", name="Reden vastleggen"))
    skip.get_by_label("De veiligheid van het kind komt in gevaar").check()
    skip.get_by_label("Motivering").fill("kort")
    ui.submit(skip.get_by_role("button", name="Reden vastleggen"))
    expect(page.get_by_role("alert").first).to_contain_text("Motiveer waarom het gesprek niet plaatsvindt")
    skip = page.locator("form", has=page.get_by_role("button", name="Reden vastleggen"))
    skip.get_by_label("Motivering").fill("Vader dreigde eerder de juf iets aan te doen.")
    ui.submit(skip.get_by_role("button", name="Reden vastleggen"))
    expect(page.get_by_role("status").filter(has_text="Vastgelegd waarom het gesprek niet plaatsvindt")).to_be_visible()

    # A correction is a new entry; the corrected one stays, marked.
    timeline = page.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))
    ui.submit(timeline.get_by_role("link", name="Corrigeren").last)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vastlegging corrigeren")
    page.get_by_label("Correctie en reden").fill("Het was de oom, niet de vader, die dreigde.")
    ui.submit(page.get_by_role("button", name="Correctie vastleggen"))
    assert ui.path().startswith(f"/meldcode/{traject.reference}/")
    timeline = page.locator("section", has=page.get_by_role("heading", name="Tijdlijn"))
    expect(timeline).to_contain_text("Gecorrigeerd")
    expect(timeline).to_contain_text("Het was de oom, niet de vader, die dreigde.")

    # The aandachtsfunctionaris sees the traject from the dashboard, without names (not consulted).
    af = browse()
    login(af, officer)
    af.submit(af.page.get_by_role("link", name="Open trajecten van mijn organisatie"))
    assert af.path() == "/meldcode/organisatie/"
    table = af.page.get_by_role("table")
    expect(table).to_contain_text(traject.reference)
    expect(table).to_contain_text("Fatima El Amrani")
    expect(table).to_contain_text("niet zichtbaar")
    expect(af.page.locator("main")).not_to_contain_text("Yilmaz")


def test_the_gemeente_beheerder_publishes_a_checklist_for_the_own_municipality(
    browse: Callable[[], UI], school: Organisation
) -> None:
    gemeente = OrganisationFactory(
        name="Gemeente Lindeweg", type=OrganisationType.GEMEENTE, municipality=school.municipality
    )
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="gem-beheer", first_name="Gerrit")
    ui = browse()
    page = ui.page
    login(ui, beheerder)
    ui.submit(page.get_by_role("link", name="Checklists van de meldcode beheren"))
    assert ui.path() == "/meldcode/beheer/checklists/"
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Landelijke versie")

    link = page.get_by_role("link", name="Nieuwe versie voor uw gemeente maken op basis van landelijke versie").first
    ui.submit(link)
    title = page.get_by_label("Titel")
    title.fill("")
    # An empty title is refused with a Dutch message; nothing is published.
    ui.submit(page.get_by_role("button", name="Nieuwe versie publiceren"))
    expect(page.get_by_role("alert").first).to_be_visible()
    assert not Checklist.objects.filter(municipality=school.municipality).exists()

    title.fill("Signalen bij het kind (Lindeweg)")
    ui.submit(page.get_by_role("button", name="Nieuwe versie publiceren"))
    expect(page.get_by_role("status").filter(has_text="is gepubliceerd voor gemeente")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signalen bij het kind (Lindeweg)")
    ui.screenshot("checklist-municipal")
    published = Checklist.objects.get(municipality=school.municipality)
    assert published.title == "Signalen bij het kind (Lindeweg)"

    # The school's own beheerder neither sees the link nor reaches the pages.
    club = browse()
    login(club, make_user(Role.FUNCTIONEEL_BEHEERDER, school, username="school-beheer"))
    expect(club.page.get_by_role("link", name="Checklists van de meldcode beheren")).to_have_count(0)
    assert club.goto("/meldcode/beheer/checklists/").status == 404
    assert club.goto(f"/meldcode/beheer/checklists/{published.pk}/").status == 404
