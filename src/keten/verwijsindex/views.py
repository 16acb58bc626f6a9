"""Verwijsindex pages. Views translate HTTP to service and selector calls; they hold no rules.

Bad input re-renders the page with Dutch messages next to the fields and status 422; nothing is
written. Pages for people without the right role, and objects they may not see, answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.models import OrganisationType
from keten.core import audit
from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.models import AuditAction
from keten.core.smallcells import SMALL_CELL
from keten.verwijsindex import forms as vf
from keten.verwijsindex import selectors, services
from keten.verwijsindex.models import Signal


def _municipality_id(request: HttpRequest) -> int:
    membership = getattr(request.user, "active_membership", None)
    if membership is None:
        raise Http404
    return int(membership.organisation.municipality_id)


@requires("verwijsindex.view_signals")
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    page = selectors.overview(actor=actor_from_request(request))
    return render(
        request,
        "verwijsindex/overview.html",
        {"signals": page.signals, "matches": page.matches, "is_regievoerder": may(request, "verwijsindex.view_regie")},
    )


# --- registration ------------------------------------------------------------------------------


def _register_form(request: HttpRequest, rules: Any, data: Any = None) -> vf.RegistrationForm:
    _text, items = vf.criteria_for(rules)
    user = request.user
    membership = user.active_membership  # type: ignore[union-attr]
    assert membership is not None
    initial = {
        "contact_phone": getattr(user, "phone", "") or membership.organisation.phone,
        "contact_email": getattr(user, "email", ""),
    }
    return vf.RegistrationForm(data, initial=initial, criteria_items=items)


@requires("verwijsindex.register")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    rules = services.settings_for(_municipality_id(request))
    organisation = request.user.active_membership.organisation  # type: ignore[union-attr]
    text, _items = vf.criteria_for(rules)
    context: dict[str, Any] = {"criteria_text": text}
    if organisation.type not in rules.registering_types:
        return render(request, "verwijsindex/not_authorised.html", {"organisation": organisation}, status=403)
    form = _register_form(request, rules, request.POST if request.method == "POST" else None)
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
    signal = selectors.signal_get(actor=actor, signal_id=pk)
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
    try:
        services.signal_withdraw(actor=actor, signal_id=signal.pk)
    except NotFoundError as exc:
        raise Http404 from exc
    messages.success(request, _("Uw signaal is ingetrokken en staat nu in het archief."))
    return redirect("verwijsindex:overview")


@requires("verwijsindex.register")
@require_POST
def signal_notice(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk, "verwijsindex.change_signal")
    form = vf.NoticeForm(request.POST, prefix="notice")
    if form.is_valid():
        try:
            services.notice_record(
                actor=actor,
                signal_id=signal.pk,
                parents_informed_on=form.cleaned_data.get("parents_informed_on"),
                youth_informed_on=form.cleaned_data.get("youth_informed_on"),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Vastgelegd: de ouders of de jongere zijn geïnformeerd."))
            return redirect("verwijsindex:signal", pk=signal.pk)
    return _signal_page(request, actor, signal, notice_form=form, status=422)


@requires("verwijsindex.view_signals")
@require_POST
def signal_history(request: HttpRequest, pk: int) -> HttpResponse:
    actor, signal = _own_signal(request, pk)
    form = vf.HistoryForm(request.POST, prefix="history")
    if form.is_valid():
        try:
            rows = selectors.youth_history(actor=actor, signal_id=signal.pk, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            return render(request, "verwijsindex/history.html", {"signal": signal, "rows": rows})
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
    match = selectors.match_for_participant(actor=actor, match_id=pk)
    check(request, "verwijsindex.act_on_match", match)
    invite_form: vf.InviteForm | None = None
    try:
        if action == "contact":
            services.match_record_contact(actor=actor, match=match)
            messages.success(request, _("Vastgelegd: er is contact gelegd."))
        elif action == "afgestemd":
            services.match_record_coordinated(actor=actor, match=match)
            messages.success(request, _("Vastgelegd: de hulp is afgestemd."))
        elif action == "coordinator":
            signal_raw = request.POST.get("signal", "")
            version_raw = request.POST.get("version", "")
            services.match_set_coordinator(
                actor=actor,
                match=match,
                signal_id=int(signal_raw) if signal_raw.isdigit() else 0,
                expected_version=int(version_raw) if version_raw.isdigit() else None,
            )
            messages.success(request, _("De coördinator is vastgelegd."))
        else:
            invite_form = vf.InviteForm(request.POST)
            if not invite_form.is_valid():
                return _match_page(request, pk, invite_form=invite_form, status=422)
            services.match_invite(actor=actor, match=match, proposed_on=invite_form.cleaned_data["proposed_on"])
            messages.success(request, _("De andere professionals hebben een uitnodiging gekregen."))
    except NotFoundError as exc:
        raise Http404 from exc
    except ConflictError as exc:
        return _match_page(request, pk, error=exc.message, status=409)
    except DomainError as exc:
        if invite_form is not None and exc.field in invite_form.fields:
            apply_domain_error(invite_form, exc)
            return _match_page(request, pk, invite_form=invite_form, status=422)
        return _match_page(request, pk, error=exc.message, status=422)
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
    status: int = 200,
) -> HttpResponse:
    assert actor.membership is not None
    rules = services.settings_for(actor.membership.organisation.municipality_id)
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
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="vi.settings")
        return _beheer_page(request, actor)
    assert actor.membership is not None
    form = vf.SettingsForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            services.index_settings_update(
                actor=actor, municipality=actor.membership.organisation.municipality, **form.values()
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De instellingen van de verwijsindex zijn opgeslagen."))
            return redirect("verwijsindex:beheer")
    return _beheer_page(request, actor, settings_form=form, status=422)


@requires("verwijsindex.manage")
@require_POST
def regievoerder_add(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = vf.RegievoerderForm(request.POST, prefix="r")
    if form.is_valid():
        try:
            services.regievoerder_add(actor=actor, username=form.cleaned_data["username"])
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De regievoerder is aangewezen."))
            return redirect("verwijsindex:beheer")
    return _beheer_page(request, actor, regie_form=form, status=422)


@requires("verwijsindex.manage")
@require_POST
def regievoerder_remove(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    try:
        services.regievoerder_remove(actor=actor, regievoerder_id=pk)
    except NotFoundError as exc:
        raise Http404 from exc
    messages.success(request, _("De aanwijzing als regievoerder is beëindigd."))
    return redirect("verwijsindex:beheer")
