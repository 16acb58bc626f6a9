"""Meetings as an iCalendar file (RFC 5545), built with the ``icalendar`` library.

An entry holds only what a calendar needs: the overleg's name, the time, the place and the link
for joining online. Never a case, a family, an agenda or a note: calendars are synchronised to
phones and mail servers outside Keten.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from keten.overleg.models import Meeting, MeetingStatus

PRODID = "-//Keten//Overleg//NL"


def meeting_uid(meeting: Meeting) -> str:
    return f"keten-overleg-meeting-{meeting.pk}@keten"


def meetings_ical(meetings: Iterable[Meeting], *, name: str = "Keten overleg") -> bytes:
    """An iCalendar file with one event per meeting (cancelled ones as STATUS:CANCELLED)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.overleg_type.name)
        event.add("sequence", meeting.version)
        where = ", ".join(part for part in (meeting.location, meeting.online_link) if part)
        if where:
            event.add("location", where)
        if meeting.online_link:
            event.add("url", meeting.online_link)
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
