"""Overleg in the browser: a case from a verwijsindex match goes through triage into a meeting, its
agreements are followed up across meetings, and the minutes leave out a case the reader may not see."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.overleg.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    Attendance,
    CaseRegistration,
    Meeting,
    OverlegKind,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.registrations import services as registration_services
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_user
from keten.verwijsindex import services as vi
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser

BSN = "999994669"


def _actor(user: User) -> Any:
    return actor_for_user(User.objects.get(pk=user.pk))


def _signal(user: User) -> vi.RegistrationResult:
    return vi.signal_register(
        actor=_actor(user),
        data=vi.Registration(
            identity=vi.Identity(bsn=BSN, first_name="Noor", last_name="Bakker", date_of_birth=dt.date(2014, 3, 2)),
            risk_categories=["c"],
            criteria_confirmed=True,
            parents_informed_on=timezone.localdate(),
            youth_informed_on=timezone.localdate(),
        ),
    )


@pytest.fixture
def scene(transactional_db: None) -> dict[str, Any]:
    municipality = MunicipalityFactory(name="Lindeveld", cbs_code="GM9991")
    wijkteam = OrganisationFactory(
        name="Wijkteam Lindeveld-Oost", type=OrganisationType.WIJKTEAM, municipality=municipality
    )
    vt = OrganisationFactory(
        name="Veilig Thuis Lindeveld", type=OrganisationType.VEILIG_THUIS, municipality=municipality
    )
    politie = OrganisationFactory(name="Politie Lindeveld", type=OrganisationType.POLITIE, municipality=municipality)
    worker = make_user(Role.PROFESSIONAL, wijkteam, username="wijkcoach", first_name="Wim", last_name="Wijkcoach")
    chair = make_user(Role.PROFESSIONAL, vt, username="voorzitter", first_name="Vera", last_name="Voorzitter")
    agent = make_user(Role.PROFESSIONAL, politie, username="agent", first_name="Paul", last_name="Agent")
    overleg = OverlegType.objects.create(
        municipality=municipality,
        name="Afstemmingsoverleg straf–zorg",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=vt,
        chair=chair,
        weekdays=[2, 4],
        start_time=dt.time(10, 0),
        location="Zorg- en Veiligheidshuis",
        privacy_basis="Convenant Zorg- en Veiligheidshuis Lindeveld",
    )
    overleg.members.set([vt, politie, wijkteam])
    ProcessStep.objects.create(overleg_type=overleg, order=1, name="Signalering", criteria="Zorgen bij twee partners")
    ProcessStep.objects.create(overleg_type=overleg, order=2, name="Inzet hulp", criteria="Hulp loopt vast")
    now = timezone.now()
    meetings = []
    for starts_at in (now - dt.timedelta(minutes=10), now + dt.timedelta(days=3)):
        meeting = Meeting.objects.create(
            overleg_type=overleg, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=90), location="ZVH"
        )
        for user, org in ((chair, vt), (agent, politie)):
            Attendance.objects.create(meeting=meeting, user=user, organisation=org)
        meetings.append(meeting)
    dossier = make_dossier(worker, bsn=BSN, family_name="Gezin Bakker")
    # A second case on today's agenda, brought by the police: the wijkcoach may not see it.
    other = make_dossier(agent, family_name="Gezin Jansen")
    jansen = registration_services.registration_create(
        actor=_actor(agent),
        overleg_type=overleg,
        dossier=other,
        data=registration_services.RegistrationData(
            reason="Huiselijk geweld gemeld bij de politie.",
            goal="Straf en zorg afstemmen.",
            process_step_id=overleg.steps.get(order=2).pk,
        ),
    )
    registration_services.registration_admit(actor=_actor(chair), registration=jansen, meeting=meetings[0])
    # The wijkcoach and the police officer are both in the verwijsindex for the same child: a match.
    _signal(worker)
    match = _signal(agent).matches[0]
    return {
        "worker": worker,
        "chair": chair,
        "agent": agent,
        "overleg": overleg,
        "today": meetings[0],
        "next": meetings[1],
        "dossier": dossier,
        "match": match,
    }


def _agreement(start: str) -> Agreement:
    """An agreement by the start of its text (encrypted in the database, so compared here)."""
    return next(a for a in Agreement.objects.all() if a.what.startswith(start))


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_case_from_a_match_to_agreements_followed_up_over_two_meetings(
    browse: Callable[[], UI], scene: dict[str, Any]
) -> None:
    today = timezone.localdate()

    # 1. The wijkcoach, coordinator of the match, registers the case for the overleg.
    worker = browse()
    login(worker, scene["worker"])
    page = worker.page
    worker.submit(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleg"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleg en afspraken")
    worker.goto(f"/overleg/aanmelden/match/{scene['match'].pk}/")
    expect(page.get_by_label("Reden van aanmelding")).to_have_value(
        "Aangemeld vanuit een match in de verwijsindex: meerdere professionals zijn betrokken."
    )
    expect(page.get_by_label("Politie Lindeveld")).to_be_checked()
    worker.submit(page.get_by_role("button", name="Casus aanmelden"))
    expect(page.get_by_role("alert")).to_contain_text("Kies een dossier")
    assert not CaseRegistration.objects.filter(match=scene["match"]).exists()
    page.get_by_label("Dossier van het gezin").select_option(label=f"Gezin Bakker ({scene['dossier'].reference})")
    page.get_by_label("1. Signalering").check()
    page.get_by_label("Doel", exact=True).fill("Afspraken over veiligheid thuis en hulp voor Noor.")
    worker.submit(page.get_by_role("button", name="Casus aanmelden"))
    expect(page.get_by_text("De casus is aangemeld.")).to_be_visible()
    registration = CaseRegistration.objects.get(match=scene["match"])
    assert registration.dossier == scene["dossier"]
    worker.screenshot("overleg-registration")

    # 2. The chair admits it onto today's meeting.
    chair = browse()
    login(chair, scene["chair"])
    page = chair.page
    chair.submit(page.get_by_role("link", name="Overleggen en komende bijeenkomsten"))
    chair.submit(page.get_by_role("link", name="Aanmeldingen beoordelen (triage)"))
    expect(page.get_by_role("heading", name="Gezin Bakker — Afstemmingsoverleg straf–zorg")).to_be_visible()
    chair.screenshot("overleg-triage")
    chair.submit(page.get_by_role("button", name="Toelaten en agenderen"))
    expect(page.get_by_text("De casus is toegelaten en staat op de agenda.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.TOEGELATEN
    assert scene["worker"].notifications.filter(kind="overleg.admitted").exists()

    # 3. At the meeting: a discussion record and two agreements.
    chair.goto(f"/overleg/bijeenkomsten/{scene['today'].pk}/")
    expect(page.get_by_role("heading", name="2. Gezin Bakker")).to_be_visible()
    chair.submit(page.get_by_role("link", name="Bespreken: verslag en afspraken — Gezin Bakker"))
    page.get_by_label("Wat zijn de feiten?").fill("Twee signalen in de verwijsindex; politie-melding vorige week.")
    page.get_by_label("Besluiten").fill("Wijkteam neemt de casusregie.")
    chair.submit(page.get_by_role("button", name="Verslag vastleggen"))
    expect(page.get_by_text("Het verslag van de bespreking is vastgelegd.")).to_be_visible()
    page.get_by_label("Wat is er afgesproken?").fill("Huisbezoek afleggen met de ouders.")
    chair.submit(page.get_by_role("button", name="Afspraak vastleggen"))
    expect(page.get_by_role("alert")).to_contain_text("Kies wie de afspraak uitvoert")
    page.get_by_label("Wie voert de afspraak uit?").select_option(label="Wim Wijkcoach")
    page.get_by_label("Uiterlijk op").fill((today + dt.timedelta(days=7)).isoformat())
    chair.submit(page.get_by_role("button", name="Afspraak vastleggen"))
    expect(page.get_by_text("De afspraak is vastgelegd.")).to_be_visible()
    page.get_by_label("Wat is er afgesproken?").fill("Proces-verbaal afstemmen met de officier.")
    page.get_by_label("Wie voert de afspraak uit?").select_option(label="Politie Lindeveld")
    page.get_by_label("Uiterlijk op").fill((today + dt.timedelta(days=2)).isoformat())
    chair.submit(page.get_by_role("button", name="Afspraak vastleggen"))
    expect(page.get_by_role("table", name="Open afspraken")).to_contain_text("Proces-verbaal afstemmen")
    chair.screenshot("overleg-item")
    assert Agreement.objects.filter(registration=registration).count() == 2

    # 4. The wijkcoach closes their agreement with a result from "Mijn afspraken".
    page = worker.page
    worker.goto("/")
    worker.submit(page.get_by_role("link", name="Mijn afspraken uit overleggen"))
    table = page.get_by_role("table", name="Open afspraken van u en uw organisatie")
    expect(table).to_contain_text("Huisbezoek afleggen met de ouders.")
    expect(table).not_to_contain_text("Proces-verbaal")
    worker.submit(table.get_by_role("link", name="Huisbezoek afleggen met de ouders."))
    page.get_by_label("Resultaat of reden").fill("Huisbezoek gedaan; ouders werken mee aan een veiligheidsplan.")
    worker.submit(page.get_by_role("button", name="Afspraak afronden"))
    expect(page.get_by_text("De afspraak is afgerond.")).to_be_visible()
    assert _agreement("Huisbezoek").status == AgreementStatus.DONE

    # 5. The police agreement is not done in time; the chair closes the meeting and it comes back.
    Agreement.objects.filter(pk=_agreement("Proces-verbaal").pk).update(due_on=today - dt.timedelta(days=1))
    page = chair.page
    chair.goto(f"/overleg/bijeenkomsten/{scene['today'].pk}/")
    chair.submit(page.get_by_role("button", name="Bijeenkomst afronden"))
    expect(page.get_by_text("De bijeenkomst is afgerond.")).to_be_visible()
    assert AgendaItem.objects.filter(meeting=scene["next"], registration=registration, source="follow_up").exists()
    chair.goto(f"/overleg/bijeenkomsten/{scene['next'].pk}/")
    carried = page.get_by_role("table", name="Open afspraken: Gezin Bakker")
    expect(carried).to_contain_text("Proces-verbaal afstemmen met de officier.")
    expect(carried).to_contain_text("verlopen")
    expect(carried).not_to_contain_text("Huisbezoek")
    chair.screenshot("overleg-next-meeting")
    agent = browse()
    login(agent, scene["agent"])
    agent.submit(agent.page.get_by_role("link", name="Mijn afspraken uit overleggen"))
    expect(agent.page.get_by_role("status")).to_contain_text("1 afspraak is verlopen")

    # 6. The wijkcoach's minutes of today's meeting leave out the police case they may not see.
    page = worker.page
    worker.goto(f"/overleg/aanmeldingen/{registration.pk}/")
    worker.submit(page.get_by_role("region", name="Op de agenda").get_by_role("link").first)
    expect(page.get_by_text("1 casus op deze agenda is niet voor u zichtbaar.")).to_be_visible()
    expect(page.get_by_text("Gezin Jansen")).to_have_count(0)
    href = page.get_by_role("link", name="Verslag van deze bijeenkomst (PDF)").get_attribute("href")
    assert href is not None
    response = page.request.get(worker.url(href))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.body())
    assert "Gezin Bakker" in text
    assert "Wijkteam neemt de casusregie." in text
    assert "Gezin Jansen" not in text
    assert "Huiselijk geweld" not in text
    chair_pdf = chair.page.request.get(chair.url(href))
    assert "Gezin Jansen" in _pdf_text(chair_pdf.body())


def test_set_up_figures_registration_from_a_dossier_and_the_attendance_list(
    browse: Callable[[], UI], scene: dict[str, Any]
) -> None:
    municipality = scene["overleg"].municipality
    gemeente = OrganisationFactory(name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=municipality)
    beleid = make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid", first_name="Bente", last_name="Beleid")

    # The municipality sets up a wijk-casusoverleg with a process step, and looks at the figures.
    ui = browse()
    login(ui, beleid)
    page = ui.page
    ui.submit(page.get_by_role("link", name="Overleggen en komende bijeenkomsten"))
    ui.submit(page.get_by_role("link", name="Overleggen inrichten"))
    ui.submit(page.get_by_role("link", name="Nieuw overleg inrichten"))
    page.get_by_label("Naam van het overleg").fill("Wijk-casusoverleg Oost")
    page.get_by_label("Soort overleg").select_option(label="Wijk-casusoverleg")
    page.get_by_label("Organisatie die het overleg voert").select_option(label="Wijkteam Lindeveld-Oost")
    page.get_by_label("Politie Lindeveld").check()
    page.get_by_label("woensdag").check()
    ui.submit(page.get_by_role("button", name="Overleg inrichten"))
    expect(page.get_by_role("alert")).to_contain_text("aanvangstijd")
    page.get_by_label("Aanvangstijd").fill("14:00")
    page.get_by_label("Grondslag voor het delen van gegevens").fill("Toestemming van de ouders per casus.")
    ui.submit(page.get_by_role("button", name="Overleg inrichten"))
    expect(page.get_by_text("Het overleg is ingericht.")).to_be_visible()
    page.get_by_label("Naam van de processtap").fill("Signalering")
    page.get_by_role("textbox", name="Toelatingscriteria").fill("Zorgen die de wijkcoach niet alleen kan oplossen.")
    ui.submit(page.get_by_role("button", name="Processtap toevoegen"))
    expect(page.get_by_role("list").filter(has_text="Signalering")).to_contain_text("niet alleen kan oplossen")
    assert OverlegType.objects.get(name="Wijk-casusoverleg Oost").weekdays == [3]
    ui.goto("/overleg/cijfers/")
    expect(page.get_by_role("table", name="Aangemelde casussen per overleg")).to_contain_text("Wijk-casusoverleg Oost")
    ui.screenshot("overleg-figures")

    # A professional registers a case from the dossier page: two overleggen, so first a choice.
    worker = browse()
    login(worker, scene["worker"])
    page = worker.page
    worker.goto(f"/dossiers/{scene['dossier'].reference}/overleg/")
    worker.submit(page.get_by_role("link", name="Casus aanmelden voor een overleg"))
    page.get_by_label("Voor welk overleg meldt u de casus aan?").select_option(
        label="Wijk-casusoverleg Oost (Wijk-casusoverleg)"
    )
    worker.submit(page.get_by_role("button", name="Verder"))
    page.get_by_label("1. Signalering").check()
    page.get_by_label("Reden van aanmelding").fill("Schoolverzuim en zorgen over de thuissituatie.")
    page.get_by_label("Doel", exact=True).fill("Eén plan met school en wijkteam.")
    page.get_by_label("Nee").check()
    worker.submit(page.get_by_role("button", name="Casus aanmelden"))
    expect(page.locator("#id_family_not_informed_reason_error")).to_contain_text("niet over de aanmelding")
    page.get_by_label("Waarom is het gezin niet geïnformeerd?").fill(
        "Informeren brengt de veiligheid van moeder in gevaar."
    )
    worker.submit(page.get_by_role("button", name="Casus aanmelden"))
    expect(page.get_by_text("De casus is aangemeld.")).to_be_visible()

    # The chair puts the wijkcoach on the list of the next meeting.
    chair = browse()
    login(chair, scene["chair"])
    page = chair.page
    chair.goto(f"/overleg/bijeenkomsten/{scene['next'].pk}/")
    chair.submit(page.get_by_role("link", name="Deelnemer op de lijst zetten"))
    page.get_by_label("Wie komt op de deelnemerslijst?").select_option(label="Wim Wijkcoach")
    chair.submit(page.get_by_role("button", name="Op de deelnemerslijst zetten"))
    expect(page.get_by_role("table", name="Deelnemerslijst en aanwezigheid")).to_contain_text("Wim Wijkcoach")


def test_agenda_subscription_link_made_used_and_revoked(browse: Callable[[], UI], scene: dict[str, Any]) -> None:
    ui = browse()
    login(ui, scene["agent"])
    page = ui.page
    ui.goto("/overleg/")
    section = page.get_by_role("region", name="Agenda-abonnement")
    expect(section).to_contain_text("geen gegevens over gezinnen")
    ui.submit(section.get_by_role("button", name="Abonnementslink maken"))

    link = page.get_by_label("Uw abonnementslink")
    expect(link).to_have_attribute("readonly", "")
    url = link.input_value()
    assert url.startswith(ui.base_url + "/overleg/agenda/")
    webcal = page.get_by_role("link", name="Abonnement direct openen in uw agenda-app (webcal-link)")
    expect(webcal).to_have_attribute("href", "webcal://" + url.split("://", 1)[1])

    # An agenda app has no session: a context that never signed in fetches the feed.
    app = browse().page.request
    feed = app.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert "Afstemmingsoverleg straf" in body
    assert "Bakker" not in body
    assert "Jansen" not in body

    ui.goto("/overleg/")
    section = page.get_by_role("region", name="Agenda-abonnement")
    expect(section).to_contain_text("Er is een actieve link")
    expect(section.get_by_label("Uw abonnementslink")).to_have_count(0)
    ui.submit(section.get_by_role("button", name="Link intrekken"))
    expect(page.get_by_text("De abonnementslink is ingetrokken.")).to_be_visible()
    assert app.get(url).status == 404
