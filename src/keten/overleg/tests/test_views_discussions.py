"""Overleg pages over HTTP: one case at a meeting, with its discussion record and agreements, and taking it
off the agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keten.core.models import AuditAction, AuditEvent
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    Agreement,
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ActorOf, ClientFor, agenda_item_of, html_of, stranger

pytestmark = pytest.mark.django_db


def test_item_page_records_discussion_and_agreements(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = agenda_item_of(admitted)
    client = client_for(world.member)
    url = f"/overleg/agendapunten/{item.pk}/"
    page = html_of(client.get(url))
    assert "Zorgen over veiligheid" in page
    assert "Wie zijn de mensen?" in page
    response = client.post(url + "verslag/", {"d-summary": ""})
    assert response.status_code == 422
    assert "minstens één onderdeel" in html_of(response)
    response = client.post(url + "verslag/", {"d-feiten": "Politie-melding van 3 november.", "d-decisions": "MDA++"})
    assert response.status_code == 302
    assert "Politie-melding van 3 november." in html_of(client.get(url))


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
    item = agenda_item_of(admitted)
    response = client_for(world.chair).post(
        f"/overleg/agendapunten/{item.pk}/afspraak/",
        {
            "a-what": "Contact opnemen met school",
            "a-owner": f"u{world.member.pk}" if owner else "",
            "a-due_on": (timezone.localdate() + dt.timedelta(days=due)).isoformat() if due is not None else "",
        },
    )
    assert response.status_code == 422
    assert message in html_of(response)
    assert not Agreement.objects.exists()


def test_agreement_with_an_organisation_as_owner(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = agenda_item_of(admitted)
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
    item = agenda_item_of(admitted)
    for user in (world.outsider, world.beleid, stranger()):
        client = client_for(user)
        assert client.get(f"/overleg/agendapunten/{item.pk}/").status_code == 404
        assert client.post(f"/overleg/agendapunten/{item.pk}/verslag/", {"d-summary": "x" * 20}).status_code == 404
    assert not item.discussion.exists()


def test_chair_takes_a_case_off_the_agenda_and_puts_it_on_another(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    # Admitted onto the meeting going on now; the chair moves it to the next one.
    meeting_services.agenda_item_remove(
        actor=actor_of(world.chair), item=agenda_item_of(admitted), reason="Eerst bespreken met school"
    )
    client = client_for(world.chair)
    registration_url = f"/overleg/aanmeldingen/{admitted.pk}/"
    assert "Op deze agenda zetten" in html_of(client.get(registration_url))
    response = client.post(registration_url + "agenderen/", {"plan-meeting": world.next_meeting.pk})
    assert response.status_code == 302
    item = agenda_item_of(admitted)
    assert item.meeting == world.next_meeting
    assert client_for(world.member).post(registration_url + "agenderen/", {"plan-meeting": 1}).status_code == 404
    # On the planned meeting the chair can take it off again, with a reason.
    item_url = f"/overleg/agendapunten/{item.pk}/"
    assert "Van de agenda halen" in html_of(client.get(item_url))
    assert "Van de agenda halen" not in html_of(client_for(world.member).get(item_url))
    assert client.post(item_url + "van-de-agenda/", {"rm-reason": ""}).status_code == 422
    assert client_for(world.member).post(item_url + "van-de-agenda/", {"rm-reason": "Weg ermee"}).status_code == 404
    response = client.post(item_url + "van-de-agenda/", {"rm-reason": "Gezin is verhuisd"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "removed"
    assert item.events.filter(kind="removed", reason="Gezin is verhuisd").exists()


def test_item_page_audits_the_case_read_once(client_for: ClientFor, world: World, admitted: CaseRegistration) -> None:
    item = agenda_item_of(admitted)
    before = AuditEvent.objects.filter(action=AuditAction.VIEW, client_pseudonym=world.dossier.family.pseudonym).count()
    client_for(world.member).get(f"/overleg/agendapunten/{item.pk}/")
    after = AuditEvent.objects.filter(action=AuditAction.VIEW, client_pseudonym=world.dossier.family.pseudonym).count()
    assert after == before + 1
