"""The minutes (verslag) of a meeting as an A4 PDF, made with WeasyPrint.

Built from the same selector as the meeting page, so a reader sees exactly the cases they may see
on that page: attendees and the chair all of the agenda, anyone else only the cases they registered
or coordinate. The number of cases left out is stated, never what they are. The download is audited
as an export, with one read event per case shown (:func:`keten.overleg.meetings.selectors.meeting_minutes`).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from keten.overleg.meetings.selectors import MeetingPage


def minutes_html(request: HttpRequest | None, page: MeetingPage) -> str:
    return render_to_string(
        "overleg/minutes_pdf.html",
        {"page": page, "meeting": page.meeting, "generated_at": timezone.localtime()},
        request=request,
    )


def minutes_pdf(request: HttpRequest | None, page: MeetingPage) -> bytes:
    from weasyprint import HTML

    base_url = request.build_absolute_uri("/") if request is not None else None
    return bytes(HTML(string=minutes_html(request, page), base_url=base_url).write_pdf())
