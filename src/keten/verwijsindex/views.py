"""Verwijsindex pages. Views translate HTTP to service and selector calls; they hold no rules."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keten.core.actor import actor_from_request
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.policy import allows
from keten.verwijsindex import selectors, services
from keten.verwijsindex.models import Match


def _require_case_role(request: HttpRequest) -> None:
    if not allows("verwijsindex.register", request.user):
        raise Http404


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _require_case_role(request)
    actor = actor_from_request(request)
    return render(
        request,
        "verwijsindex/overview.html",
        {
            "signals": selectors.my_signals(actor=actor),
            "matches": selectors.my_matches(actor=actor),
            "is_regievoerder": selectors.is_regievoerder(request.user),
        },
    )


@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_case_role(request)
    try:
        signal = selectors.signal_get(actor=actor_from_request(request), signal_id=pk)
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "verwijsindex/signal.html", {"signal": signal})


@require_GET
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        view = selectors.match_get(actor=actor_from_request(request), match_id=pk)
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "verwijsindex/match.html", {"view": view, "match": view.match})


@require_POST
def match_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_case_role(request)
    actor = actor_from_request(request)
    match = Match.objects.filter(pk=pk).first()
    if match is None:
        raise Http404
    try:
        if action == "contact":
            services.match_record_contact(actor=actor, match=match)
            messages.success(request, _("Vastgelegd: er is contact gelegd."))
        elif action == "afgestemd":
            services.match_record_coordinated(actor=actor, match=match)
            messages.success(request, _("Vastgelegd: de hulp is afgestemd."))
        elif action == "coordinator":
            services.match_set_coordinator(
                actor=actor,
                match=match,
                signal_id=int(request.POST.get("signal") or 0),
                expected_version=int(request.POST.get("version") or 0) or None,
            )
            messages.success(request, _("De coördinator is vastgelegd."))
        elif action == "uitnodigen":
            raw = request.POST.get("proposed_on", "")
            try:
                proposed = date.fromisoformat(raw)
            except ValueError:
                proposed = None
            services.match_invite(actor=actor, match=match, proposed_on=proposed)
            messages.success(request, _("De andere professionals zijn uitgenodigd."))
        else:
            raise Http404
    except NotFoundError as exc:
        raise Http404 from exc
    except (ConflictError, DomainError) as exc:
        messages.error(request, exc.message)
    return redirect("verwijsindex:match", pk=pk)


@require_GET
def regie(request: HttpRequest) -> HttpResponse:
    try:
        overview_ = selectors.regie_overview(actor=actor_from_request(request))
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "verwijsindex/regie.html", {"overview": overview_})
