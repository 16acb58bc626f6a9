"""Pages for access outside the case team: break the glass, its review queue, and access requests.

Views translate HTTP to service and selector calls; the policy decides who reaches each page, and
anything outside the actor's scope answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.pages import attempt, submit
from keten.dossiers.access import break_glass
from keten.dossiers.access import requests as access_requests
from keten.dossiers.access.forms import AccessDecisionForm, AccessRequestForm, BreakGlassForm, BreakGlassReviewForm
from keten.dossiers.access.offers import drop_offer, take_offer
from keten.dossiers.models import AccessRequest, BreakGlassAccess, CaseRole, Dossier

# --- break the glass --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("dossiers.break_glass")
def break_glass_open(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None, initial={"reference": request.GET.get("dossier", "")[:20]})
    actor = actor_from_request(request)

    def open_dossier(data: dict[str, Any]) -> Dossier:
        try:
            return break_glass.break_glass(actor=actor, reference=data["reference"], reason=data["reason"])
        except DomainError as exc:
            # A refusal without a field (no such dossier, not allowed) is about the number typed.
            if exc.field:
                raise
            raise DomainError(exc.message, field="reference") from exc

    if request.method == "POST":
        outcome = submit(form, open_dossier)
        if outcome.ok and outcome.value is not None:
            messages.warning(
                request,
                _(
                    "U heeft noodtoegang tot dit dossier. De regievoerder en de aandachtsfunctionarissen van het "
                    "casusteam zijn op de hoogte gebracht; uw reden wordt beoordeeld."
                ),
            )
            return redirect("dossiers:detail", reference=outcome.value.reference)
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
    outcome = submit(
        form,
        lambda data: break_glass.break_glass_review_add(
            actor=actor_from_request(request),
            grant_id=grant_id,
            justified=data["verdict"] == "justified",
            note=data["note"],
        ),
    )
    if outcome.ok:
        messages.success(request, _("Uw oordeel is vastgelegd."))
        return redirect("dossiers:break_glass_queue")
    return _queue_page(request, failed=(grant_id, form), status=422)


# --- access requests --------------------------------------------------------------------------


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
    outcome = submit(
        form,
        lambda data: access_requests.access_request_create(
            actor=actor_from_request(request),
            dossier_ids=take_offer(request, data["token"]),
            motivation=data["motivation"],
        ),
    )
    if outcome.ok:
        drop_offer(request, form.cleaned_data["token"])
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
    outcome = attempt(
        lambda: access_requests.access_request_decide(
            actor=actor_from_request(request),
            request_id=request_id,
            accept=form.cleaned_data["decision"] == "accept",
            case_role=form.cleaned_data.get("case_role") or CaseRole.HULPVERLENER,
        )
    )
    decided = outcome.value
    if not outcome.ok or decided is None:
        return _requests_page(request, failed=(request_id, outcome.error), status=422)
    if decided.status == decided.Status.ACCEPTED:
        messages.success(request, _("Het verzoek is toegekend: de aanvrager zit nu in het casusteam."))
    else:
        messages.success(request, _("Het verzoek is afgewezen. De aanvrager krijgt daarvan een melding."))
    return redirect("dossiers:access_requests")
