"""Pages of a meeting: its agenda and attendance list, recording presence, adding someone to the list,
closing it as held, cancelling it, and its minutes as a PDF."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import may, requires
from keten.core.actor import actor_from_request
from keten.core.pages import attempt, data_of, or_404, posted_version, submit, version_of
from keten.core.paths import pk_path
from keten.overleg.meetings import selectors, services
from keten.overleg.meetings.forms import AttendeeForm, CancelMeetingForm
from keten.overleg.meetings.minutes import minutes_pdf
from keten.overleg.models import MeetingStatus
from keten.overleg.pages import CASES, USE, acting, conflict_message


def _meeting_page(
    request: HttpRequest,
    pk: int,
    *,
    cancel_form: CancelMeetingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = acting(request)
    page = or_404(selectors.meeting_agenda, actor=actor, pk=pk)
    meeting = page.meeting
    agreement_path = pk_path("overleg:agreement")
    for row in page.rows:
        for agreement in row.open_agreements:
            agreement.url = agreement_path(agreement.pk)
    return render(
        request,
        "overleg/meeting.html",
        {
            "page": page,
            "meeting": meeting,
            "manage": page.can_manage and meeting.status == MeetingStatus.PLANNED,
            "started": meeting.starts_at <= timezone.now() + dt.timedelta(hours=1),
            "cancel_form": cancel_form or CancelMeetingForm(prefix="cancel", initial={"version": meeting.version}),
            "today": timezone.localdate(),
            "error": error,
            "case_role": may(request, CASES),
        },
        status=status,
    )


@requires(USE)
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, pk)


@requires(CASES)
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record presence or absence of someone on the list."""
    actor = acting(request)
    meeting = or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    user_raw = request.POST.get("user", "")
    present = {"ja": True, "nee": False}.get(request.POST.get("present", ""))
    outcome = attempt(
        lambda: services.attendance_set(
            actor=actor, meeting=meeting, user_id=int(user_raw) if user_raw.isdigit() else 0, present=present
        )
    )
    if not outcome.ok:
        return _meeting_page(request, pk, error=outcome.error, status=422)
    messages.success(request, _("De aanwezigheid is vastgelegd."))
    return redirect("overleg:meeting", pk=pk)


@requires(CASES)
@require_http_methods(["GET", "POST"])
def meeting_attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put someone of a taking-part organisation on the meeting's attendance list."""
    actor = acting(request)
    meeting = or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    form = AttendeeForm(data_of(request), people=selectors.attendee_candidates(actor=actor, meeting=meeting))
    if request.method == "GET":
        return render(request, "overleg/attendee_add.html", {"meeting": meeting, "form": form})
    outcome = submit(
        form, lambda d: services.attendance_set(actor=actor, meeting=meeting, user_id=d["user"], present=None)
    )
    if outcome.ok:
        messages.success(request, _("De deelnemer staat op de lijst."))
        return redirect("overleg:meeting", pk=pk)
    return render(request, "overleg/attendee_add.html", {"meeting": meeting, "form": form}, status=422)


@requires(CASES)
@require_POST
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    meeting = or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    outcome = attempt(
        lambda: services.meeting_hold(actor=actor, meeting=meeting, expected_version=posted_version(request))
    )
    if not outcome.ok or outcome.value is None:
        return _meeting_page(request, pk, error=outcome.error, status=outcome.status)
    messages.success(
        request,
        _("De bijeenkomst is afgerond. %(n)d casus(sen) met open afspraken staan op de volgende agenda.")
        % {"n": outcome.value.carried},
    )
    return redirect("overleg:meeting", pk=pk)


@requires(CASES)
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    meeting = or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    form = CancelMeetingForm(request.POST, prefix="cancel")
    outcome = submit(
        form,
        lambda d: services.meeting_cancel(
            actor=actor, meeting=meeting, reason=d["reason"], expected_version=version_of(form)
        ),
    )
    if outcome.ok:
        messages.success(request, _("De bijeenkomst is afgelast. De deelnemers krijgen bericht."))
        return redirect("overleg:meeting", pk=pk)
    return _meeting_page(request, pk, cancel_form=form, error=conflict_message(outcome), status=outcome.status)


@requires(CASES)
@require_GET
def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """/overleg/bijeenkomsten/<pk>/verslag.pdf — for case roles who may see the meeting; 404 otherwise
    (the meeting page's selector asks ``overleg.view_meeting`` and shows only the cases the reader may see)."""
    actor = actor_from_request(request)
    page = selectors.meeting_minutes(actor=actor, pk=pk)
    response = HttpResponse(minutes_pdf(request, page), content_type="application/pdf")
    stamp = timezone.localtime(page.meeting.starts_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="verslag-overleg-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
