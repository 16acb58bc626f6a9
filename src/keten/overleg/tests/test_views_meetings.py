"""Overleg pages over HTTP: the meeting page (cases for attendees only, each read audited), the attendance
list, holding and cancelling a meeting, and the minutes PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from keten.accounts.models import OrganisationType, Role
from keten.core.models import AuditAction, AuditEvent
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaItem,
    CaseRegistration,
    MeetingStatus,
)
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ActorOf, ClientFor, agenda_item_of, agreement_on, html_of, stranger
from keten.testing.factories import OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db


def _pdf_text(response: Any) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


# --- meeting page, discussion and agreements ------------------------------------------------------


def test_meeting_page_shows_cases_to_attendees_and_audits_each_case(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement_on(world, actor_of, agenda_item_of(admitted))
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/"
    before = AuditEvent.objects.filter(object_type="overleg.meeting_case").count()
    page = html_of(client_for(world.member).get(url))
    assert "Gezin Bakker" in page
    assert "Huisbezoek afleggen" in page
    assert "Bespreken: verslag en afspraken" in page
    assert AuditEvent.objects.filter(object_type="overleg.meeting_case").count() == before + 1
    chair_page = html_of(client_for(world.chair).get(url))
    assert "Bijeenkomst afronden" in chair_page
    assert "Deelnemer op de lijst zetten" in chair_page


def test_meeting_page_hides_cases_from_members_who_do_not_attend(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    url = f"/overleg/bijeenkomsten/{world.now_meeting.pk}/"
    response = client_for(world.outsider).get(url)  # politie is a member organisation, but not on the list
    assert response.status_code == 200
    html = html_of(response)
    assert "Gezin Bakker" not in html
    assert "1 casus op deze agenda is niet voor u zichtbaar." in html
    assert client_for(stranger()).get(url).status_code == 404


def test_attendance_and_holding_the_meeting_carry_open_agreements(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement_on(world, actor_of, agenda_item_of(admitted))
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
    page = html_of(client.get(url))
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
    assert "tijdens of na de bijeenkomst" in html_of(response)
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
    for user in (stranger(), not_taking_part, world.beleid):
        response = client.post(url, {"user": user.pk, "present": "ja"})
        assert response.status_code == 422
        assert "Kies iemand van een organisatie die aan dit overleg deelneemt." in html_of(response)
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
    assert client_for(stranger()).get(url).status_code == 404
