"""Overleg pages over HTTP: who sees what (404 for everyone else), bad input (422, nothing written),
concurrent edits (409), audit events on reads of case content, the iCal export and the minutes PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.models import AuditAction, AuditEvent
from keten.overleg.agreements import services as agreement_services
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    RegistrationStatus,
)
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]


def _html(response: Any) -> str:
    return str(response.content.decode())


def _stranger() -> User:
    """A professional of another municipality: sees nothing of this one."""
    other = OrganisationFactory(name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders"))
    return make_user(Role.PROFESSIONAL, other, username="elders")


def _agreement(world: World, actor_of: ActorOf, item: AgendaItem, **kwargs: Any) -> Agreement:
    values: dict[str, Any] = {
        "what": "Huisbezoek afleggen en veiligheidsplan bespreken",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kwargs)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)


def _item(registration: CaseRegistration) -> AgendaItem:
    return AgendaItem.objects.get(registration=registration, state="on_agenda")


# --- overview, menu, dossier and dashboard links -------------------------------------------------


def test_overview_lists_types_meetings_and_own_registrations(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    register()
    html = _html(client_for(world.registrant).get("/overleg/"))
    assert "Afstemmingsoverleg straf–zorg" in html
    assert "Gezin Bakker" in html  # own registration
    assert "Mijn afspraken" in html
    chair_html = _html(client_for(world.chair).get("/overleg/"))
    assert "Aanmeldingen beoordelen (triage)" in chair_html
    assert f"/overleg/bijeenkomsten/{world.next_meeting.pk}/" in chair_html
    beleid_html = _html(client_for(world.beleid).get("/overleg/"))
    assert "Gezin Bakker" not in beleid_html
    assert "Overleg in cijfers" in beleid_html
    assert "Overleggen inrichten" in beleid_html


def test_menu_dossier_and_dashboard_link_to_the_overleg(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    dashboard = _html(client.get("/"))
    assert 'href="/overleg/"' in dashboard
    assert 'href="/overleg/afspraken/"' in dashboard
    dossier_page = _html(client.get(f"/dossiers/{world.dossier.reference}/"))
    assert f"/overleg/aanmelden/dossier/{world.dossier.reference}/" in dossier_page


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get("/overleg/")
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


# --- registering a case ----------------------------------------------------------------------


def _registration_post(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "overleg": world.overleg.pk,
        "process_step": world.steps[0].pk,
        "criteria": "Zorgen bij twee partners",
        "reason": "Zorgen over de veiligheid van de kinderen na een incident.",
        "goal": "Afspraken over bescherming en hulp.",
        "partners": [world.politie.pk],
        "family_informed": "ja",
        "family_not_informed_reason": "",
    }
    data.update(overrides)
    return data


def test_register_from_dossier_creates_a_registration_and_tells_the_chair(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    page = _html(client.get(url))
    assert "Reden van aanmelding" in page
    assert "Signalering" in page
    assert AuditEvent.objects.filter(
        object_type="overleg.register_form", client_pseudonym=world.dossier.family.pseudonym
    ).exists()
    response = client.post(url, _registration_post(world))
    registration = CaseRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/aanmeldingen/{registration.pk}/"
    assert registration.status == RegistrationStatus.AANGEMELD
    assert list(registration.invited_organisations.all()) == [world.politie]
    assert world.chair.notifications.filter(kind="overleg.registration").exists()


def test_register_with_bad_input_shows_dutch_messages_and_writes_nothing(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    response = client.post(url, _registration_post(world, reason="kort"))
    assert response.status_code == 422
    assert "waarom u de casus aanmeldt" in _html(response)
    response = client.post(url, _registration_post(world, family_informed="nee"))
    assert response.status_code == 422
    assert "waarom het gezin niet" in _html(response)
    response = client.post(url, _registration_post(world, process_step=""))
    assert response.status_code == 422
    assert "processtap" in _html(response)
    assert not CaseRegistration.objects.exists()


def test_register_a_dossier_the_professional_may_not_see_is_404(client_for: ClientFor, world: World) -> None:
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    for user in (world.outsider, world.beleid, _stranger()):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, _registration_post(world)).status_code == 404
    assert not CaseRegistration.objects.exists()


def _match_for(world: World, actor_of: ActorOf) -> Any:
    from keten.verwijsindex import services as vi

    def _registration() -> vi.Registration:
        return vi.Registration(
            identity=vi.Identity(
                bsn="999994669", first_name="Noor", last_name="Bakker", date_of_birth=dt.date(2014, 3, 2)
            ),
            risk_categories=["c"],
            criteria_confirmed=True,
            parents_informed_on=timezone.localdate(),
            youth_informed_on=timezone.localdate(),
        )

    vi.signal_register(actor=actor_of(world.registrant), data=_registration())
    result = vi.signal_register(actor=actor_of(world.member), data=_registration())
    assert result.matches
    return result.matches[0]


def test_register_from_a_match_prefills_partners_and_links_the_match(
    client_for: ClientFor, world: World, actor_of: ActorOf
) -> None:
    match = _match_for(world, actor_of)
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/match/{match.pk}/"
    page = _html(client.get(url))
    assert "Aangemeld vanuit een match in de verwijsindex" in page
    assert world.dossier.reference in page
    assert re.search(rf'name="partners" value="{world.politie.pk}"[^>]*checked', page)
    # A dossier the professional is not on the case team of is refused next to the field.
    foreign = make_dossier(world.member)
    response = client.post(url, _registration_post(world, dossier=foreign.reference))
    assert response.status_code == 422
    assert not CaseRegistration.objects.exists()
    response = client.post(url, _registration_post(world, dossier=world.dossier.reference))
    assert response.status_code == 302
    registration = CaseRegistration.objects.get()
    assert registration.match_id == match.pk
    assert registration.dossier == world.dossier


def test_register_from_a_match_is_for_its_coordinator_only(
    client_for: ClientFor, world: World, actor_of: ActorOf
) -> None:
    match = _match_for(world, actor_of)
    response = client_for(world.member).get(f"/overleg/aanmelden/match/{match.pk}/")
    assert response.status_code == 403
    assert "coördinator" in _html(response)
    assert client_for(world.outsider).get(f"/overleg/aanmelden/match/{match.pk}/").status_code == 404


# --- triage ------------------------------------------------------------------------------------


def test_triage_admit_puts_the_case_on_the_agenda(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    client = client_for(world.chair)
    page = _html(client.get("/overleg/triage/"))
    assert "Gezin Bakker" in page
    assert "Zorgen over veiligheid" in page
    assert AuditEvent.objects.filter(object_type="overleg.triage_queue", action=AuditAction.VIEW).exists()
    response = client.post(
        f"/overleg/triage/{registration.pk}/toelaten/",
        {
            f"admit{registration.pk}-meeting": world.next_meeting.pk,
            f"admit{registration.pk}-casusregisseur": world.registrant.pk,
            f"admit{registration.pk}-version": registration.version,
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.TOEGELATEN
    assert registration.casusregisseur == world.registrant
    assert AgendaItem.objects.filter(meeting=world.next_meeting, registration=registration).exists()


def test_triage_refuses_a_cancelled_meeting_and_a_short_reason(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration], actor_of: ActorOf
) -> None:
    registration = register()
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Voorzitter ziek")
    client = client_for(world.chair)
    response = client.post(
        f"/overleg/triage/{registration.pk}/toelaten/", {f"admit{registration.pk}-meeting": world.next_meeting.pk}
    )
    assert response.status_code == 422
    assert "afgelast" in _html(response)
    response = client.post(f"/overleg/triage/{registration.pk}/afwijzen/", {f"decline{registration.pk}-reason": "nee"})
    assert response.status_code == 422
    assert "reden van de afwijzing" in _html(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD
    assert not AgendaItem.objects.exists()


def test_triage_decline_tells_the_registrant(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    response = client_for(world.chair).post(
        f"/overleg/triage/{registration.pk}/afwijzen/",
        {f"decline{registration.pk}-reason": "Past beter in het wijk-casusoverleg."},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AFGEWEZEN
    assert world.registrant.notifications.filter(kind="overleg.declined").exists()


def test_only_the_chair_triages(client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]) -> None:
    registration = register()
    for user in (world.member, world.registrant, world.outsider, _stranger()):
        client = client_for(user)
        assert "Gezin Bakker" not in _html(client.get("/overleg/triage/"))
        assert (
            client.post(
                f"/overleg/triage/{registration.pk}/toelaten/",
                {f"admit{registration.pk}-meeting": world.next_meeting.pk},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/overleg/triage/{registration.pk}/afwijzen/",
                {f"decline{registration.pk}-reason": "Past beter elders, echt waar."},
            ).status_code
            == 404
        )
    assert client_for(world.beleid).get("/overleg/triage/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD


# --- meeting page, discussion and agreements ------------------------------------------------------


def test_meeting_page_shows_cases_to_attendees_and_audits_each_case(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    _agreement(world, actor_of, _item(admitted))
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/"
    before = AuditEvent.objects.filter(object_type="overleg.meeting_case").count()
    page = _html(client_for(world.member).get(url))
    assert "Gezin Bakker" in page
    assert "Huisbezoek afleggen" in page
    assert "Bespreken: verslag en afspraken" in page
    assert AuditEvent.objects.filter(object_type="overleg.meeting_case").count() == before + 1
    chair_page = _html(client_for(world.chair).get(url))
    assert "Bijeenkomst afronden" in chair_page
    assert "Deelnemer op de lijst zetten" in chair_page


def test_meeting_page_hides_cases_from_members_who_do_not_attend(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/"
    response = client_for(world.outsider).get(url)  # politie is a member organisation, but not on the list
    assert response.status_code == 200
    html = _html(response)
    assert "Gezin Bakker" not in html
    assert "1 casus op deze agenda is niet voor u zichtbaar." in html
    assert client_for(_stranger()).get(url).status_code == 404


def test_attendance_and_holding_the_meeting_carry_open_agreements(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    _agreement(world, actor_of, _item(admitted))
    client = client_for(world.chair)
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/"
    assert client.post(url + "aanwezigheid/", {"user": world.member.pk, "present": "ja"}).status_code == 302
    assert world.now_meeting.attendances.get(user=world.member).present is True
    assert client_for(world.member).post(url + "afronden/", {}).status_code == 404
    response = client.post(url + "afronden/", {"version": world.now_meeting.version})
    assert response.status_code == 302
    world.now_meeting.refresh_from_db()
    assert world.now_meeting.status == MeetingStatus.HELD
    assert AgendaItem.objects.filter(meeting=world.next_meeting, registration=admitted, source="follow_up").exists()


def test_chair_puts_someone_on_the_attendance_list(client_for: ClientFor, world: World) -> None:
    url = f"/overleg/bijeenkomsten/{world.next_meeting.pk}/deelnemers/"
    client = client_for(world.chair)
    page = _html(client.get(url))
    assert world.outsider.get_full_name() in page
    assert world.member.get_full_name() not in page  # already on the list
    assert client.post(url, {"user": ""}).status_code == 422
    assert client.post(url, {"user": world.outsider.pk}).status_code == 302
    assert world.next_meeting.attendances.filter(user=world.outsider, present__isnull=True).exists()
    for user in (world.member, world.registrant, world.beleid):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"user": world.registrant.pk}).status_code == 404
    assert not world.next_meeting.attendances.filter(user=world.registrant).exists()


def test_presence_cannot_be_recorded_before_the_meeting(client_for: ClientFor, world: World) -> None:
    url = f"/overleg/bijeenkomsten/{world.next_meeting.pk}/aanwezigheid/"
    response = client_for(world.chair).post(url, {"user": world.member.pk, "present": "ja"})
    assert response.status_code == 422
    assert "tijdens of na de bijeenkomst" in _html(response)
    assert world.next_meeting.attendances.get(user=world.member).present is None


def test_attendance_only_for_invited_participants(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    """Issue 13, hole 4: the chair cannot put just anyone on the meeting (and so on its cases)."""
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/aanwezigheid/"
    client = client_for(world.chair)
    huisarts = OrganisationFactory(
        name="Huisartsenpraktijk Test", type=OrganisationType.HUISARTS, municipality=world.wijkteam.municipality
    )
    not_taking_part = make_user(Role.PROFESSIONAL, huisarts, username="dokter")
    for user in (_stranger(), not_taking_part, world.beleid):
        response = client.post(url, {"user": user.pk, "present": "ja"})
        assert response.status_code == 422
        assert "Kies iemand van een organisatie die aan dit overleg deelneemt." in _html(response)
        assert not world.now_meeting.attendances.filter(user=user).exists()
        assert client_for(user).get(f"/overleg/aanmeldingen/{admitted.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="overleg.attendance").exists()
    # A professional of a taking-part organisation can still be recorded present.
    assert client.post(url, {"user": world.outsider.pk, "present": "ja"}).status_code == 302
    assert world.now_meeting.attendances.get(user=world.outsider).present is True


def test_cancelling_needs_a_reason(client_for: ClientFor, world: World) -> None:
    client = client_for(world.chair)
    url = f"/overleg/bijeenkomsten/{world.next_meeting.pk}/afgelasten/"
    response = client.post(url, {"cancel-reason": "", "cancel-version": world.next_meeting.version})
    assert response.status_code == 422
    assert client.post(url, {"cancel-reason": "Voorzitter ziek", "cancel-version": 1}).status_code == 302
    world.next_meeting.refresh_from_db()
    assert world.next_meeting.status == MeetingStatus.CANCELLED


def test_item_page_records_discussion_and_agreements(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = _item(admitted)
    client = client_for(world.member)
    url = f"/overleg/agendapunten/{item.pk}/"
    page = _html(client.get(url))
    assert "Zorgen over veiligheid" in page
    assert "Wie zijn de mensen?" in page
    response = client.post(url + "verslag/", {"d-summary": ""})
    assert response.status_code == 422
    assert "minstens één onderdeel" in _html(response)
    response = client.post(url + "verslag/", {"d-feiten": "Politie-melding van 3 november.", "d-decisions": "MDA++"})
    assert response.status_code == 302
    assert "Politie-melding van 3 november." in _html(client.get(url))


@pytest.mark.parametrize(
    ("owner", "due", "message"),
    [
        ("", 7, "Kies wie de afspraak uitvoert"),
        ("member", None, "Vul de datum in"),
        ("member", -1, "in het verleden"),
    ],
)
def test_agreement_bad_input_is_refused(
    client_for: ClientFor, world: World, admitted: CaseRegistration, owner: str, due: int | None, message: str
) -> None:
    item = _item(admitted)
    response = client_for(world.chair).post(
        f"/overleg/agendapunten/{item.pk}/afspraak/",
        {
            "a-what": "Contact opnemen met school",
            "a-owner": f"u{world.member.pk}" if owner else "",
            "a-due_on": (timezone.localdate() + dt.timedelta(days=due)).isoformat() if due is not None else "",
        },
    )
    assert response.status_code == 422
    assert message in _html(response)
    assert not Agreement.objects.exists()


def test_agreement_with_an_organisation_as_owner(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = _item(admitted)
    response = client_for(world.chair).post(
        f"/overleg/agendapunten/{item.pk}/afspraak/",
        {
            "a-what": "Contact opnemen met school",
            "a-owner": f"o{world.politie.pk}",
            "a-due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.owner_organisation == world.politie
    assert agreement.owner_user is None


def test_item_page_is_404_for_those_not_at_the_meeting(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = _item(admitted)
    for user in (world.outsider, world.beleid, _stranger()):
        client = client_for(user)
        assert client.get(f"/overleg/agendapunten/{item.pk}/").status_code == 404
        assert client.post(f"/overleg/agendapunten/{item.pk}/verslag/", {"d-summary": "x" * 20}).status_code == 404
    assert not item.discussion.exists()


def test_chair_takes_a_case_off_the_agenda_and_puts_it_on_another(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    # Admitted onto the meeting going on now; the chair moves it to the next one.
    meeting_services.agenda_item_remove(
        actor=actor_of(world.chair), item=_item(admitted), reason="Eerst bespreken met school"
    )
    client = client_for(world.chair)
    registration_url = f"/overleg/aanmeldingen/{admitted.pk}/"
    assert "Op deze agenda zetten" in _html(client.get(registration_url))
    response = client.post(registration_url + "agenderen/", {"plan-meeting": world.next_meeting.pk})
    assert response.status_code == 302
    item = _item(admitted)
    assert item.meeting == world.next_meeting
    assert client_for(world.member).post(registration_url + "agenderen/", {"plan-meeting": 1}).status_code == 404
    # On the planned meeting the chair can take it off again, with a reason.
    item_url = f"/overleg/agendapunten/{item.pk}/"
    assert "Van de agenda halen" in _html(client.get(item_url))
    assert "Van de agenda halen" not in _html(client_for(world.member).get(item_url))
    assert client.post(item_url + "van-de-agenda/", {"rm-reason": ""}).status_code == 422
    assert client_for(world.member).post(item_url + "van-de-agenda/", {"rm-reason": "Weg ermee"}).status_code == 404
    response = client.post(item_url + "van-de-agenda/", {"rm-reason": "Gezin is verhuisd"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "removed"
    assert item.events.filter(kind="removed", reason="Gezin is verhuisd").exists()


def test_item_page_audits_the_case_read_once(client_for: ClientFor, world: World, admitted: CaseRegistration) -> None:
    item = _item(admitted)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW, client_pseudonym=world.dossier.family.pseudonym).count()
    client_for(world.member).get(f"/overleg/agendapunten/{item.pk}/")
    after = AuditEvent.objects.filter(action=AuditAction.VIEW, client_pseudonym=world.dossier.family.pseudonym).count()
    assert after == before + 1


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_page_close_with_result_and_conflict(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    client = client_for(world.member)
    url = f"/overleg/afspraken/{agreement.pk}/"
    page = _html(client.get(url))
    assert "Huisbezoek afleggen" in page
    assert AuditEvent.objects.filter(object_type="overleg.agreement", action=AuditAction.VIEW).exists()
    # Someone else changed it meanwhile: the stale version is a conflict, nothing closed.
    agreement_services.agreement_update(
        actor=actor_of(world.chair), agreement=agreement, expected_version=1, what="Huisbezoek en schoolgesprek"
    )
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 1})
    assert response.status_code == 409
    assert "Iemand anders heeft" in _html(response)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "", "c-version": 2})
    assert response.status_code == 422
    assert "Beschrijf het resultaat" in _html(response)
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 2})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    assert "Uitgevoerd" in _html(client.get(url))


def test_agreement_update_conflict_keeps_the_input(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    agreement_services.agreement_update(
        actor=actor_of(world.chair), agreement=agreement, expected_version=1, what="Anders"
    )
    response = client_for(world.member).post(
        f"/overleg/afspraken/{agreement.pk}/wijzigen/",
        {
            "u-what": "Mijn eigen tekst",
            "u-owner": f"u{world.member.pk}",
            "u-due_on": agreement.due_on.isoformat(),
            "u-version": 1,
        },
    )
    assert response.status_code == 409
    assert "Mijn eigen tekst" in _html(response)
    agreement.refresh_from_db()
    assert agreement.what == "Anders"


def test_agreement_pages_are_404_for_outsiders(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    for user in (world.outsider, world.beleid, _stranger()):
        client = client_for(user)
        assert client.get(f"/overleg/afspraken/{agreement.pk}/").status_code == 404
        assert (
            client.post(
                f"/overleg/afspraken/{agreement.pk}/afronden/",
                {"c-status": "done", "c-result": "Zomaar afgerond.", "c-version": 1},
            ).status_code
            == 404
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN


def test_my_agreements_flags_overdue_ones(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    Agreement.objects.filter(pk=agreement.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    page = _html(client_for(world.member).get("/overleg/afspraken/"))
    assert "Huisbezoek afleggen" in page
    assert "verlopen" in page
    assert "1 afspraak is verlopen" in page
    assert AuditEvent.objects.filter(object_type="overleg.my_agreements").exists()
    chair_page = _html(client_for(world.chair).get("/overleg/afspraken/"))
    assert "Verlopen afspraken in overleggen die u voorzit" in chair_page
    assert "Huisbezoek afleggen" not in _html(client_for(world.outsider).get("/overleg/afspraken/"))
    assert client_for(world.beleid).get("/overleg/afspraken/").status_code == 404


def test_my_agreements_are_paged_with_counts_over_all(
    client_for: ClientFor,
    world: World,
    admitted: CaseRegistration,
    actor_of: ActorOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keten.overleg.agreements import views

    monkeypatch.setattr(views, "AGREEMENTS_PAGE_SIZE", 2)
    item = _item(admitted)
    for n in range(3):
        due = timezone.localdate() + dt.timedelta(days=n)
        _agreement(world, actor_of, item, what=f"Afspraak nummer {n}", due_on=due)
    late = _agreement(world, actor_of, item, what="Afspraak te laat")
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(world.member)
    first = _html(client.get("/overleg/afspraken/"))
    second = _html(client.get("/overleg/afspraken/", {"pagina": "2"}))
    assert "4 open afspraken" in first
    assert "1 afspraak is verlopen" in second  # the counts cover every page
    assert "Pagina 1 van 2" in first
    assert "Afspraak te laat" in first  # earliest due first
    assert "Afspraak nummer 2" in second
    assert "Afspraak nummer 2" not in first
    assert client.get("/overleg/afspraken/", {"pagina": "x"}).status_code == 200
    assert "Afspraak nummer 2" in _html(client.get("/overleg/afspraken/", {"pagina": "9"}))


# --- one registration -------------------------------------------------------------------------


def test_registration_page_and_leaving_the_overleg(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    client = client_for(world.chair)
    url = f"/overleg/aanmeldingen/{admitted.pk}/"
    page = _html(client.get(url))
    assert "Casus uit het overleg halen" in page
    assert AuditEvent.objects.filter(object_type="overleg.registration", object_id=str(admitted.pk)).exists()
    response = client.post(url + "afsluiten/", {"close-reason": "kort", "close-follow_up": "Wijkteam"})
    assert response.status_code == 422
    response = client.post(
        url + "afsluiten/",
        {
            "close-reason": "Veiligheid is hersteld, hulp loopt.",
            "close-follow_up": "De wijkcoach blijft in contact.",
            "close-follow_up_organisation": world.wijkteam.pk,
            "close-version": admitted.version,
        },
    )
    assert response.status_code == 302
    admitted.refresh_from_db()
    assert admitted.status == RegistrationStatus.AFGESLOTEN
    assert admitted.follow_up_organisation == world.wijkteam
    assert "De wijkcoach blijft in contact." in _html(client.get(url))


def test_registration_page_is_404_for_outsiders(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    assert client_for(world.registrant).get(f"/overleg/aanmeldingen/{registration.pk}/").status_code == 200
    for user in (world.outsider, world.member, world.beleid, _stranger()):
        assert client_for(user).get(f"/overleg/aanmeldingen/{registration.pk}/").status_code == 404


def test_casusregisseur_from_the_item_page_returns_there(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = _item(admitted)
    response = client_for(world.chair).post(
        f"/overleg/aanmeldingen/{admitted.pk}/casusregisseur/",
        {
            "regie-casusregisseur": world.member.pk,
            "regie-version": admitted.version,
            "next": f"/overleg/agendapunten/{item.pk}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/agendapunten/{item.pk}/"
    admitted.refresh_from_db()
    assert admitted.casusregisseur == world.member


# --- calendar and minutes --------------------------------------------------------------------------


def test_calendar_holds_meetings_without_client_data(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    response = client_for(world.member).get("/overleg/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Afstemmingsoverleg straf" in body
    assert "Bakker" not in body
    assert "veiligheid" not in body.lower()
    assert AuditEvent.objects.filter(object_type="overleg.calendar", action=AuditAction.EXPORT).exists()


def _pdf_text(response: Any) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_minutes_pdf_leaves_out_cases_the_reader_may_not_see(
    client_for: ClientFor,
    world: World,
    admitted: CaseRegistration,
    actor_of: ActorOf,
) -> None:
    # A second case, registered by the member (politie) and admitted on the same meeting.
    politie_dossier = make_dossier(world.member, family_name="Gezin Jansen")
    second = registration_services.registration_create(
        actor=actor_of(world.member),
        overleg_type=world.overleg,
        dossier=politie_dossier,
        data=registration_services.RegistrationData(
            reason="Huiselijk geweld gemeld bij de politie.",
            goal="Afstemmen straf en zorg.",
            process_step_id=world.steps[1].pk,
        ),
    )
    registration_services.registration_admit(
        actor=actor_of(world.chair), registration=second, meeting=world.now_meeting
    )
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/verslag.pdf"
    chair_text = _pdf_text(client_for(world.chair).get(url))
    assert "Gezin Bakker" in chair_text
    assert "Gezin Jansen" in chair_text
    # The member is recorded absent: only the case they registered themselves is in their minutes.
    meeting_services.attendance_set(
        actor=actor_of(world.chair), meeting=world.now_meeting, user_id=world.member.pk, present=False
    )
    member_text = _pdf_text(client_for(world.member).get(url))
    assert "Gezin Jansen" in member_text
    assert "Gezin Bakker" not in member_text
    assert "1 casus van deze bijeenkomst staat niet in uw verslag" in member_text
    assert AuditEvent.objects.filter(object_type="overleg.minutes", action=AuditAction.EXPORT).count() == 2
    assert client_for(world.beleid).get(url).status_code == 404
    assert client_for(_stranger()).get(url).status_code == 404


# --- set-up and figures ----------------------------------------------------------------------------


def _type_post(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Wijk-casusoverleg Noord",
        "kind": "wijk",
        "lead_organisation": world.wijkteam.pk,
        "members": [world.wijkteam.pk, world.politie.pk],
        "chair": world.registrant.pk,
        "weekdays": [3],
        "start_time": "14:00",
        "duration_minutes": 60,
        "location": "Wijkcentrum Noord",
        "online_link": "",
        "convenant": "",
        "privacy_basis": "Toestemming van ouders, vastgelegd per casus.",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_municipality_sets_up_an_overleg_with_steps(client_for: ClientFor, world: World) -> None:
    client = client_for(world.beleid)
    assert client.get("/overleg/inrichting/").status_code == 200
    assert client.get("/overleg/inrichting/nieuw/").status_code == 200
    response = client.post("/overleg/inrichting/nieuw/", _type_post(world, privacy_basis=""))
    assert response.status_code == 422
    assert "grondslag" in _html(response)
    response = client.post("/overleg/inrichting/nieuw/", _type_post(world))
    assert response.status_code == 302
    overleg = OverlegType.objects.get(name="Wijk-casusoverleg Noord")
    assert overleg.weekdays == [3]
    url = f"/overleg/inrichting/{overleg.pk}/"
    assert client.post(url + "processtappen/", {"step-name": "", "step-criteria": ""}).status_code == 422
    response = client.post(url + "processtappen/", {"step-name": "Signalering", "step-criteria": "Zorgen van 2"})
    assert response.status_code == 302
    assert overleg.steps.count() == 1
    response = client.post(url, {**_type_post(world, name="Wijkoverleg Noord"), "version": overleg.version})
    assert response.status_code == 302
    overleg.refresh_from_db()
    assert overleg.name == "Wijkoverleg Noord"
    response = client.post(url, {**_type_post(world), "version": 1})
    assert response.status_code == 409


def test_set_up_is_404_for_professionals(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    assert client.get("/overleg/inrichting/").status_code == 404
    assert client.post("/overleg/inrichting/nieuw/", _type_post(world)).status_code == 404
    assert client.post(f"/overleg/inrichting/{world.overleg.pk}/", _type_post(world)).status_code == 404
    assert not OverlegType.objects.filter(name="Wijk-casusoverleg Noord").exists()


def test_chair_plans_an_extra_meeting(client_for: ClientFor, world: World) -> None:
    client = client_for(world.chair)
    url = f"/overleg/inrichting/{world.overleg.pk}/"
    assert client.get(url).status_code == 200
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url + "bijeenkomsten/", {"m-starts_at": past, "m-location": ""})
    assert response.status_code == 422
    assert "verleden" in _html(response)
    future = (timezone.localtime() + dt.timedelta(days=9)).replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url + "bijeenkomsten/", {"m-starts_at": future, "m-location": "Stadhuis"})
    assert response.status_code == 302
    assert Meeting.objects.filter(location="Stadhuis").exists()
    assert client_for(world.member).post(url + "bijeenkomsten/", {"m-starts_at": future}).status_code == 404


def test_figures_for_the_municipality_only(client_for: ClientFor, world: World, admitted: CaseRegistration) -> None:
    response = client_for(world.beleid).get("/overleg/cijfers/")
    assert response.status_code == 200
    html = _html(response)
    assert "Afstemmingsoverleg straf–zorg" in html
    assert 'x<span class="keten-visually-hidden"> (niet getoond)</span>' in html  # a hidden count
    assert "Gezin Bakker" not in html
    assert 'data-chart-source="table-registered"' in html
    for user in (world.registrant, world.chair):
        assert client_for(user).get("/overleg/cijfers/").status_code == 404


def test_organisation_type_of_gemeente_matters_for_set_up(client_for: ClientFor, world: World) -> None:
    """A beleidsmedewerker outside a gemeente organisation cannot set up overleg types."""
    other = OrganisationFactory(
        name="Adviesbureau", type=OrganisationType.WELZIJN, municipality=world.wijkteam.municipality
    )
    advisor = make_user(Role.BELEIDSMEDEWERKER, other, username="advies")
    assert client_for(advisor).get("/overleg/inrichting/").status_code == 404
