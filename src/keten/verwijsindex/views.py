"""Verwijsindex pages. Views translate HTTP to service and selector calls; they hold no rules.

Bad input re-renders the page with Dutch messages next to the fields and status 422; nothing is
written. Pages for people without the right role, and objects they may not see, answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.models import Membership, OrganisationType
from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.listing import list_context
from keten.core.pages import attempt, data_of, or_404, posted_version, submit
from keten.core.smallcells import SMALL_CELL
from keten.verwijsindex import forms as vf
from keten.verwijsindex import selectors, services
from keten.verwijsindex.models import IndexSettings, Signal


def _membership(request: HttpRequest) -> Membership:
    """The signed-in professional's active membership (a page without one does not exist for them)."""
    membership: Membership | None = getattr(request.user, "active_membership", None)
    if membership is None:
        raise Http404
    return membership


@requires("verwijsindex.view_signals")
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    listing = selectors.MY_SIGNALS.parse(request.GET)
    page = selectors.overview(actor=actor_from_request(request), listing=listing)
    htmx = getattr(request, "htmx", False)
    return render(
        request,
        "verwijsindex/_signal_rows.html" if htmx else "verwijsindex/overview.html",
        {
            "signals": page.signals,
            "matches": page.matches,
            "is_regievoerder": may(request, "verwijsindex.view_regie"),
            "listing": list_context(
                listing, page.signal_page, url=reverse("verwijsindex:overview"), target_id="signalen"
            ),
        },
    )


# --- registration ------------------------------------------------------------------------------


def _register_form(request: HttpRequest, rules: Any, data: Any = None) -> vf.RegistrationForm:
    _text, items = vf.criteria_for(rules)
    user = request.user
    membership = _membership(request)
    initial = {
        "contact_phone": getattr(user, "phone", "") or membership.organisation.phone,
        "contact_email": getattr(user, "email", ""),
    }
    return vf.RegistrationForm(data, initial=initial, criteria_items=items)


@requires("verwijsindex.register")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    organisation = _membership(request).organisation
    rules = services.settings_for(organisation.municipality_id)
    text, _items = vf.criteria_for(rules)
    context: dict[str, Any] = {"criteria_text": text}
    if organisation.type not in rules.registering_types:
        return render(request, "verwijsindex/not_authorised.html", {"organisation": organisation}, status=403)
    form = _register_form(request, rules, data_of(request))
    context["form"] = form
    if request.method == "GET":
        return render(request, "verwijsindex/register.html", context)
    if not form.is_valid():
        return render(request, "verwijsindex/register.html", context, status=422)
    try:
        result = services.signal_register(actor=actor_from_request(request), data=form.registration())
    except services.NotAuthorisedError as exc:
        return render(
            request,
            "verwijsindex/not_authorised.html",
            {"organisation": organisation, "message": exc.message},
            status=403,
        )
    except services.IdentityConfirmationError as exc:
        context["proposal"] = exc.candidates
        context["proposal_message"] = exc.message
        return render(request, "verwijsindex/register.html", context, status=409)
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        if exc.field in ("confirm_youth_id", "identity"):
            form.add_error(None, exc.message)
        else:
            apply_domain_error(form, exc)
        return render(request, "verwijsindex/register.html", context, status=422)
    messages.success(request, _("Uw signaal staat in de verwijsindex."))
    if result.matches:
        messages.info(
            request,
            _("Er zijn andere professionals betrokken bij deze jongere of het gezin. Bekijk hieronder de match."),
        )
    return redirect("verwijsindex:signal", pk=result.signal.pk)


# --- one signal --------------------------------------------------------------------------------


def _own_signal(request: HttpRequest, pk: int, permission: str = "verwijsindex.view_signal") -> tuple[Actor, Signal]:
    """One of the actor's own signals (through the selector), if the policy allows ``permission`` on it."""
    actor = actor_from_request(request)
    signal = or_404(selectors.signal_get, actor=actor, signal_id=pk)
    check(request, permission, signal)
    return actor, signal


def _signal_page(
    request: HttpRequest,
    actor: Actor,
    signal: Signal,
    *,
    notice_form: vf.NoticeForm | None = None,
    history_form: vf.HistoryForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page of one of the actor's own signals (its read is audited by the selector)."""
    page = selectors.signal_page(actor=actor, signal=signal)
    return render(
        request,
        "verwijsindex/signal.html",
        {
            "signal": signal,
            "risks": [vf.RISK_LABELS.get(c, c) for c in signal.record.risk_categories],
            "matches": page.matches,
            "history": page.history,
            "notice_form": notice_form or vf.NoticeForm(prefix="notice"),
            "history_form": history_form or vf.HistoryForm(prefix="history"),
        },
        status=status,
    )


@requires("verwijsindex.view_signals")
@require_GET
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk)
    return _signal_page(request, actor, signal)


@requires("verwijsindex.register")
@require_http_methods(["GET", "POST"])
def signal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk, "verwijsindex.change_signal")
    if signal.status != "actief":
        raise Http404
    if request.method == "GET":
        selectors.signal_shown(actor=actor, signal=signal)
        return render(request, "verwijsindex/withdraw.html", {"signal": signal})
    or_404(services.signal_withdraw, actor=actor, signal_id=signal.pk)
    messages.success(request, _("Uw signaal is ingetrokken en staat nu in het archief."))
    return redirect("verwijsindex:overview")


@requires("verwijsindex.register")
@require_POST
def signal_notice(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk, "verwijsindex.change_signal")
    form = vf.NoticeForm(request.POST, prefix="notice")
    outcome = submit(
        form,
        lambda data: services.notice_record(
            actor=actor,
            signal_id=signal.pk,
            parents_informed_on=data.get("parents_informed_on"),
            youth_informed_on=data.get("youth_informed_on"),
        ),
    )
    if outcome.ok:
        messages.success(request, _("Vastgelegd: de ouders of de jongere zijn geïnformeerd."))
        return redirect("verwijsindex:signal", pk=signal.pk)
    return _signal_page(request, actor, signal, notice_form=form, status=422)


@requires("verwijsindex.view_signals")
@require_POST
def signal_history(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk)
    form = vf.HistoryForm(request.POST, prefix="history")
    outcome = submit(
        form, lambda data: selectors.youth_history(actor=actor, signal_id=signal.pk, reason=data["reason"])
    )
    if outcome.ok:
        return render(request, "verwijsindex/history.html", {"signal": signal, "rows": outcome.value})
    return _signal_page(request, actor, signal, history_form=form, status=422)


# --- matches -----------------------------------------------------------------------------------


def _match_page(
    request: HttpRequest, pk: int, *, invite_form: vf.InviteForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    view = selectors.match_get(actor=actor_from_request(request), match_id=pk)
    check(request, "verwijsindex.view_match", view.match)
    return render(
        request,
        "verwijsindex/match.html",
        {
            "view": view,
            "match": view.match,
            "invite_form": invite_form or vf.InviteForm(),
            "error": error,
        },
        status=status,
    )


@requires("verwijsindex.view_matches")
@require_GET
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_page(request, pk)


@requires("verwijsindex.register")
@require_POST
def match_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_from_request(request)
    if action not in ("contact", "afgestemd", "coordinator", "uitnodigen"):
        raise Http404
    match = or_404(selectors.match_for_participant, actor=actor, match_id=pk)
    check(request, "verwijsindex.act_on_match", match)
    if action == "uitnodigen":
        form = vf.InviteForm(request.POST)
        invited = submit(
            form, lambda data: services.match_invite(actor=actor, match=match, proposed_on=data["proposed_on"])
        )
        if not invited.ok:
            if invited.error and (invited.conflict or form.non_field_errors()):
                # Not about the date: the message above a fresh form.
                return _match_page(request, pk, error=invited.error, status=invited.status)
            return _match_page(request, pk, invite_form=form, status=invited.status)
        messages.success(request, _("De andere professionals hebben een uitnodiging gekregen."))
        return redirect("verwijsindex:match", pk=pk)
    if action == "contact":
        outcome = attempt(lambda: services.match_record_contact(actor=actor, match=match))
        done = _("Vastgelegd: er is contact gelegd.")
    elif action == "afgestemd":
        outcome = attempt(lambda: services.match_record_coordinated(actor=actor, match=match))
        done = _("Vastgelegd: de hulp is afgestemd.")
    else:
        signal_raw = request.POST.get("signal", "")
        outcome = attempt(
            lambda: services.match_set_coordinator(
                actor=actor,
                match=match,
                signal_id=int(signal_raw) if signal_raw.isdigit() else 0,
                expected_version=posted_version(request),
            )
        )
        done = _("De coördinator is vastgelegd.")
    if not outcome.ok:
        return _match_page(request, pk, error=outcome.error, status=outcome.status)
    messages.success(request, done)
    return redirect("verwijsindex:match", pk=pk)


# --- municipality ------------------------------------------------------------------------------


@requires("verwijsindex.view_regie")
@require_GET
def regie(request: HttpRequest) -> HttpResponse:
    overview_ = selectors.regie_overview(actor=actor_from_request(request))
    return render(request, "verwijsindex/regie.html", {"overview": overview_})


def _type_label(code: str) -> str:
    return str(OrganisationType(code).label) if code in OrganisationType.values else code or "—"


@requires("core.view_aggregates")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    data = selectors.aggregates(actor=actor_from_request(request))
    for row in data["signals_by_type"]:
        row["label"] = _type_label(row["type"])
    kinds = data["matches_by_kind"]
    return render(
        request,
        "verwijsindex/figures.html",
        {
            "data": data,
            "client_matches": kinds.get("client"),
            "family_matches": kinds.get("gezin"),
            "small_cell": SMALL_CELL,
        },
    )


def _beheer_page(
    request: HttpRequest,
    actor: Actor,
    *,
    settings_form: vf.SettingsForm | None = None,
    regie_form: vf.RegievoerderForm | None = None,
    rules: IndexSettings | None = None,
    status: int = 200,
) -> HttpResponse:
    assert actor.membership is not None
    rules = rules or services.settings_for(actor.membership.organisation.municipality_id)
    return render(
        request,
        "verwijsindex/beheer.html",
        {
            "settings_form": settings_form or vf.SettingsForm(initial=vf.SettingsForm.initial_for(rules), prefix="s"),
            "regie_form": regie_form or vf.RegievoerderForm(prefix="r"),
            "regievoerders": selectors.regievoerders(actor=actor),
            "municipality": actor.membership.organisation.municipality,
        },
        status=status,
    )


@requires("verwijsindex.manage")
@require_http_methods(["GET", "POST"])
def beheer(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if request.method == "GET":
        return _beheer_page(request, actor, rules=or_404(selectors.index_settings, actor=actor))
    assert actor.membership is not None
    municipality = actor.membership.organisation.municipality
    form = vf.SettingsForm(request.POST, prefix="s")
    outcome = submit(
        form, lambda _data: services.index_settings_update(actor=actor, municipality=municipality, **form.values())
    )
    if outcome.ok:
        messages.success(request, _("De instellingen van de verwijsindex zijn opgeslagen."))
        return redirect("verwijsindex:beheer")
    return _beheer_page(request, actor, settings_form=form, status=422)


@requires("verwijsindex.manage")
@require_POST
def regievoerder_add(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = vf.RegievoerderForm(request.POST, prefix="r")
    outcome = submit(form, lambda data: services.regievoerder_add(actor=actor, username=data["username"]))
    if outcome.ok:
        messages.success(request, _("De regievoerder is aangewezen."))
        return redirect("verwijsindex:beheer")
    return _beheer_page(request, actor, regie_form=form, status=422)


@requires("verwijsindex.manage")
@require_POST
def regievoerder_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    or_404(services.regievoerder_remove, actor=actor, regievoerder_id=pk)
    messages.success(request, _("De aanwijzing als regievoerder is beëindigd."))
    return redirect("verwijsindex:beheer")
