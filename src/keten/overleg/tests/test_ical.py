"""The iCalendar export of meetings holds calendar data only."""

from __future__ import annotations

from collections.abc import Callable

from icalendar import Calendar

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.overleg.calendar import selectors as calendar_selectors
from keten.overleg.ical import meetings_ical
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import CaseRegistration
from keten.overleg.tests.conftest import World


def test_ical_has_no_client_data(world: World, admitted: CaseRegistration, actor_of: Callable[[User], Actor]) -> None:
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Feestdag")
    meetings = calendar_selectors.calendar_meetings(actor=actor_of(world.member))
    assert {m.pk for m in meetings} == {world.now_meeting.pk, world.next_meeting.pk}
    body = meetings_ical(meetings)
    text = body.decode("utf-8")
    parsed = Calendar.from_ical(body)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {world.overleg.name}
    assert {str(e["status"]) for e in events} == {"CONFIRMED", "CANCELLED"}
    assert str(events[0]["location"]).startswith("Stadhuis")
    for secret in (
        world.dossier.reference,
        world.dossier.family.pseudonym,
        world.dossier.family.name,
        admitted.reason,
        admitted.goal,
        "Feestdag",
    ):
        assert secret not in text
