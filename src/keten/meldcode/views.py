"""Meldcode pages. Views translate HTTP to service and selector calls; they hold no rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.core.actor import actor_from_request
from keten.core.errors import DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.policy import allows, may_see_client_data
from keten.meldcode import selectors, services
from keten.meldcode.forms import AdviceForm
from keten.meldcode.models import Consultation


def _require_case_role(request: HttpRequest) -> None:
    if not may_see_client_data(request.user):
        raise Http404


def traject_context(request: HttpRequest, reference: str) -> dict[str, Any]:
    """What every traject page shows: the traject, its timeline, the tree and the step progress."""
    actor = actor_from_request(request)
    try:
        traject = selectors.traject_get(actor=actor, reference=reference)
    except NotFoundError as exc:
        raise Http404 from exc
    entries = selectors.timeline(traject)
    return {
        "traject": traject,
        "entries": entries,
        "evaluation": selectors.evaluation(traject, entries),
        "progress": selectors.progress(traject, entries),
        "show_names": selectors.may_see_names(actor, traject),
        "may_change": allows("meldcode.change_traject", request.user, traject),
    }


@require_GET
def traject_detail(request: HttpRequest, reference: str) -> HttpResponse:
    _require_case_role(request)
    return render(request, "meldcode/traject.html", traject_context(request, reference))


@require_GET
def consultation_inbox(request: HttpRequest) -> HttpResponse:
    _require_case_role(request)
    actor = actor_from_request(request)
    return render(
        request,
        "meldcode/inbox.html",
        {
            "open": selectors.consultation_inbox(actor=actor),
            "answered": [
                c
                for c in selectors.consultation_inbox(actor=actor, include_answered=True)
                if c.state != Consultation.State.OPEN
            ][:50],
        },
    )


@require_http_methods(["GET", "POST"])
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_case_role(request)
    actor = actor_from_request(request)
    try:
        consultation = selectors.consultation_get(actor=actor, consultation_id=pk)
    except NotFoundError as exc:
        raise Http404 from exc
    context = traject_context(request, consultation.traject.reference)
    form = AdviceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.consultation_answer(actor=actor, consultation=consultation, advice=form.cleaned_data["advice"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Uw advies is vastgelegd en de vrager is ingelicht."))
                return redirect("meldcode:inbox")
    context.update(consultation=consultation, form=form, is_addressee=consultation.requested_to_id == request.user.pk)
    return render(request, "meldcode/consultation.html", context, status=status)
