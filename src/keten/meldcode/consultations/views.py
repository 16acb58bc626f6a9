"""Pages of the consultations: the inbox of the one asked, and a request with its traject, answered there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.core.access import check, may, requires
from keten.core.actor import actor_from_request
from keten.core.pages import or_404, submit
from keten.meldcode.consultations import selectors, services
from keten.meldcode.consultations.forms import AdviceForm
from keten.meldcode.timeline.pages import traject_context


@requires("meldcode.view_trajecten")
@require_GET
def consultation_inbox(request: HttpRequest) -> HttpResponse:
    """The consultation requests addressed to the user: open ones, and the latest answered."""
    actor = actor_from_request(request)
    inbox = selectors.consultation_inbox_page(actor=actor)
    return render(request, "meldcode/inbox.html", {"open": inbox.open, "answered": inbox.answered})


@requires("meldcode.view_trajecten")
@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A consultation request with its traject; its addressee answers it here (404 for anyone else's answer)."""
    actor = actor_from_request(request)
    consultation = or_404(selectors.consultation_get, actor=actor, consultation_id=pk)
    if request.method == "POST":
        check(request, "meldcode.answer_consultation", consultation)
    context = traject_context(request, consultation.traject.reference)
    form = AdviceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda d: services.consultation_answer(actor=actor, consultation=consultation, advice=d["advice"]),
        )
        if outcome.ok:
            messages.success(request, _("Uw advies is vastgelegd en de vrager is ingelicht."))
            return redirect("meldcode:inbox")
        if outcome.conflict:
            # Answered meanwhile: the message above the form, as for any other refusal here.
            form.add_error(None, outcome.error)
        status = 422
    context.update(
        consultation=consultation, form=form, is_addressee=may(request, "meldcode.answer_consultation", consultation)
    )
    return render(request, "meldcode/consultation.html", context, status=status)
