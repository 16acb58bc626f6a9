"""The minutes (verslag) of a meeting as an A4 PDF, made with WeasyPrint.

Built from the same selector as the meeting page, so a reader sees exactly the cases they may see
on that page: attendees and the chair all of the agenda, anyone else only the cases they registered
or coordinate. The number of cases left out is stated, never what they are. The download is audited
as an export, with one read event per case shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from keten.core import audit
from keten.core.access import requires
from keten.core.actor import actor_from_request
from keten.core.models import AuditAction
from keten.overleg import selectors


def minutes_html(request: HttpRequest | None, page: selectors.MeetingPage) -> str:
    return render_to_string(
        "overleg/minutes_pdf.html",
        {"page": page, "meeting": page.meeting, "generated_at": timezone.localtime()},
        request=request,
    )


def minutes_pdf(request: HttpRequest | None, page: selectors.MeetingPage) -> bytes:
    from weasyprint import HTML

    base_url = request.build_absolute_uri("/") if request is not None else None
    return bytes(HTML(string=minutes_html(request, page), base_url=base_url).write_pdf())


@requires("overleg.work_on_cases")
@require_GET
def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """/overleg/bijeenkomsten/<pk>/verslag.pdf — for case roles who may see the meeting; 404 otherwise
    (the meeting page's selector asks ``overleg.view_meeting`` and shows only the cases the reader may see)."""
    actor = actor_from_request(request)
    page = selectors.meeting_page(actor=actor, pk=pk, with_case_texts=False)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="overleg.minutes",
        object_id=page.meeting.pk,
        details={"format": "pdf", "cases": len(page.rows), "left_out": page.hidden},
    )
    response = HttpResponse(minutes_pdf(request, page), content_type="application/pdf")
    stamp = timezone.localtime(page.meeting.starts_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="verslag-overleg-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
