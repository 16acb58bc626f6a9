"""Pages for access outside the case team: break the glass, its review queue, and access requests.

Views translate HTTP to service and selector calls; the policy decides who reaches each page, and
anything outside the actor's scope answers 404.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.dossiers import access_requests, break_glass
from keten.dossiers.forms import AccessDecisionForm, AccessRequestForm, BreakGlassForm, BreakGlassReviewForm
from keten.dossiers.models import AccessRequest, BreakGlassAccess, CaseRole

OFFER_SESSION_KEY = "keten_access_offers"
OFFER_SECONDS = 30 * 60
OFFERS_KEPT = 10


# --- break the glass --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("dossiers.break_glass")
def break_glass_open(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None, initial={"reference": request.GET.get("dossier", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            dossier = break_glass.break_glass(
                actor=actor_from_request(request),
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc) if exc.field else form.add_error("reference", exc.message)
        else:
            messages.warning(
                request,
                _(
                    "U heeft noodtoegang tot dit dossier. De regievoerder en de aandachtsfunctionarissen van het "
                    "casusteam zijn op de hoogte gebracht; uw reden wordt beoordeeld."
                ),
            )
            return redirect("dossiers:detail", reference=dossier.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/break_glass.html", {"form": form}, status=status)


def _queue_page(
    request: HttpRequest, *, failed: tuple[int, BreakGlassReviewForm] | None = None, status: int = 200
) -> HttpResponse:
    show_all = request.GET.get("status") == "alle"
    rows = break_glass.review_queue(actor=actor_from_request(request), unreviewed_only=not show_all)
    context = {
        "rows": rows,
        "show_all": show_all,
        "failed_grant": failed[0] if failed else None,
        "failed_form": failed[1] if failed else None,
        "working_days": break_glass.REVIEW_WORKING_DAYS,
    }
    return render(request, "dossiers/break_glass_queue.html", context, status=status)


@require_GET
@requires("dossiers.review_break_glass")
def break_glass_queue(request: HttpRequest) -> HttpResponse:
    return _queue_page(request)


@require_POST
@requires("dossiers.review_break_glass")
def break_glass_review(request: HttpRequest, grant_id: int) -> HttpResponse:
    check(request, "dossiers.review_break_glass_grant", BreakGlassAccess.objects.filter(pk=grant_id).first())
    form = BreakGlassReviewForm(request.POST)
    if form.is_valid():
        try:
            break_glass.break_glass_review_add(
                actor=actor_from_request(request),
                grant_id=grant_id,
                justified=form.cleaned_data["verdict"] == "justified",
                note=form.cleaned_data["note"],
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Uw oordeel is vastgelegd."))
            return redirect("dossiers:break_glass_queue")
    return _queue_page(request, failed=(grant_id, form), status=422)


# --- access requests --------------------------------------------------------------------------


def remember_offer(request: HttpRequest, dossier_ids: Sequence[int]) -> str:
    """Keep the dossiers a duplicate check found on the server; the page only gets a random token."""
    now = int(time.time())
    offers = {
        token: offer
        for token, offer in request.session.get(OFFER_SESSION_KEY, {}).items()
        if offer["at"] > now - OFFER_SECONDS
    }
    token = secrets.token_urlsafe(16)
    offers[token] = {"dossiers": [int(pk) for pk in dossier_ids], "at": now}
    request.session[OFFER_SESSION_KEY] = dict(sorted(offers.items(), key=lambda kv: kv[1]["at"])[-OFFERS_KEPT:])
    return token


def _take_offer(request: HttpRequest, token: str) -> list[int]:
    offers = request.session.get(OFFER_SESSION_KEY, {})
    offer = offers.get(token)
    if offer is None or offer["at"] <= int(time.time()) - OFFER_SECONDS:
        return []
    return [int(pk) for pk in offer["dossiers"]]


def _drop_offer(request: HttpRequest, token: str) -> None:
    offers = dict(request.session.get(OFFER_SESSION_KEY, {}))
    offers.pop(token, None)
    request.session[OFFER_SESSION_KEY] = offers


def _requests_page(request: HttpRequest, *, failed: tuple[int, str] | None = None, status: int = 200) -> HttpResponse:
    lists = access_requests.access_request_lists(actor=actor_from_request(request))
    context: dict[str, Any] = {
        **lists,
        "case_roles": CaseRole.choices,
        "default_case_role": CaseRole.HULPVERLENER,
        "failed_request": failed[0] if failed else None,
        "failed_message": failed[1] if failed else "",
    }
    return render(request, "dossiers/access_requests.html", context, status=status)


@require_GET
@requires("dossiers.view_access_requests")
def access_request_list(request: HttpRequest) -> HttpResponse:
    return _requests_page(request)


@require_POST
@requires("dossiers.request_access")
def access_request_create(request: HttpRequest) -> HttpResponse:
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        token = form.cleaned_data["token"]
        try:
            access_requests.access_request_create(
                actor=actor_from_request(request),
                dossier_ids=_take_offer(request, token),
                motivation=form.cleaned_data["motivation"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            _drop_offer(request, token)
            messages.success(
                request,
                _("Uw verzoek is verstuurd naar de regievoerder. U krijgt een melding zodra erover is beslist."),
            )
            return redirect("dossiers:access_requests")
    return render(request, "dossiers/access_request_form.html", {"form": form}, status=422)


@require_POST
@requires("dossiers.view_access_requests")
def access_request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    check(request, "dossiers.decide_access_request", AccessRequest.objects.filter(pk=request_id).first())
    form = AccessDecisionForm(request.POST)
    if not form.is_valid():
        return _requests_page(request, failed=(request_id, _("Kies toekennen of afwijzen.")), status=422)
    try:
        decided = access_requests.access_request_decide(
            actor=actor_from_request(request),
            request_id=request_id,
            accept=form.cleaned_data["decision"] == "accept",
            case_role=form.cleaned_data.get("case_role") or CaseRole.HULPVERLENER,
        )
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _requests_page(request, failed=(request_id, exc.message), status=422)
    if decided.status == decided.Status.ACCEPTED:
        messages.success(request, _("Het verzoek is toegekend: de aanvrager zit nu in het casusteam."))
    else:
        messages.success(request, _("Het verzoek is afgewezen. De aanvrager krijgt daarvan een melding."))
    return redirect("dossiers:access_requests")
