"""Pages of a case in the overleg: registering it (from a dossier or a verwijsindex match), the case page
with closing, planning and the casusregisseur, and the chair's triage (admit or decline)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.models import User
from keten.core.access import check, requires
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.pages import data_of, or_404, submit, version_of
from keten.overleg.meetings import services as meeting_services
from keten.overleg.meetings.selectors import meeting_get, upcoming_meetings
from keten.overleg.models import AgendaItem, CaseRegistration, Meeting, OverlegType, RegistrationStatus
from keten.overleg.pages import CASES, acting, conflict_message, safe_next
from keten.overleg.registrations import selectors, services
from keten.overleg.registrations.forms import (
    AdmitForm,
    CasusregisseurForm,
    ChooseOverlegForm,
    CloseRegistrationForm,
    DeclineForm,
    RegistrationForm,
    ScheduleForm,
)
from keten.overleg.selectors import case_people, overleg_organisations
from keten.overleg.types.selectors import overleg_types_for, process_steps


def _registration_form(
    request: HttpRequest,
    overleg_type: OverlegType,
    *,
    dossiers: list[tuple[str, str]] | None = None,
    extra_partner_ids: Iterable[int] = (),
    initial: dict[str, Any] | None = None,
) -> RegistrationForm:
    return RegistrationForm(
        data_of(request),
        initial=initial,
        steps=process_steps(overleg_type),
        partners=overleg_organisations(overleg_type, *extra_partner_ids),
        dossiers=dossiers,
    )


def _chosen_type(request: HttpRequest, types: list[OverlegType]) -> OverlegType | None:
    raw = request.GET.get("overleg") or request.POST.get("overleg") or ""
    if not raw.isdigit():
        return types[0] if len(types) == 1 else None
    chosen = next((t for t in types if t.pk == int(raw)), None)
    if chosen is None:
        raise Http404
    return chosen


def _choose_form(overleg_type: OverlegType | None, types: list[OverlegType]) -> ChooseOverlegForm:
    return ChooseOverlegForm(initial={"overleg": overleg_type.pk if overleg_type else None}, overleg_types=types)


@requires(CASES)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, reference: str) -> HttpResponse:
    """Register a family's case for an overleg, from the dossier page."""
    actor = acting(request)
    # The page shows the family's name: the selector audits the read like the dossier page.
    dossier = or_404(selectors.registration_form_dossier, actor=actor, reference=reference)
    types = list(overleg_types_for(actor=actor))
    overleg_type = _chosen_type(request, types)
    context: dict[str, Any] = {
        "dossier": dossier,
        "types": types,
        "overleg_type": overleg_type,
        "choose_form": _choose_form(overleg_type, types),
        "cancel_url": reverse("dossiers:detail", args=[dossier.reference]),
    }
    if overleg_type is None:
        return render(request, "overleg/register.html", context)
    form = _registration_form(request, overleg_type)
    context["form"] = form
    if request.method == "GET":
        return render(request, "overleg/register.html", context)
    outcome = submit(
        form,
        lambda _d: services.registration_create(
            actor=actor, overleg_type=overleg_type, dossier=dossier, data=form.data_object()
        ),
    )
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("De casus is aangemeld. De voorzitter beoordeelt de aanmelding."))
        return redirect("overleg:registration", pk=outcome.value.pk)
    return render(request, "overleg/register.html", context, status=422)


@requires(CASES)
@require_http_methods(["GET", "POST"])
def register_from_match(request: HttpRequest, match_id: int) -> HttpResponse:
    """Register a case from a verwijsindex match: the coordinator chooses the dossier; partners prefilled."""
    actor = acting(request)
    try:
        prefill = or_404(services.registration_prefill_from_match, actor=actor, match_id=match_id)
    except DomainError as exc:
        return render(request, "overleg/register.html", {"refused": exc.message, "match_id": match_id}, status=403)
    types = list(overleg_types_for(actor=actor))
    overleg_type = _chosen_type(request, types)
    rows, _total = or_404(selectors.open_dossiers, actor=actor)
    dossiers = [(r.reference, f"{r.family_name} ({r.reference})") for r in rows]
    context: dict[str, Any] = {
        "match_id": match_id,
        "prefill": prefill,
        "types": types,
        "overleg_type": overleg_type,
        "choose_form": _choose_form(overleg_type, types),
        "cancel_url": reverse("verwijsindex:match", args=[match_id]),
    }
    if overleg_type is None:
        return render(request, "overleg/register.html", context)
    form = _registration_form(
        request,
        overleg_type,
        dossiers=dossiers,
        extra_partner_ids=prefill.partner_ids,
        initial={"reason": prefill.reason, "partners": prefill.partner_ids},
    )
    context["form"] = form
    if request.method == "GET":
        return render(request, "overleg/register.html", context)
    if form.is_valid():
        try:
            dossier = selectors.dossier_for_registration(actor=actor, reference=form.cleaned_data["dossier"])
        except NotFoundError:
            form.add_error("dossier", _("Kies een open dossier waarvan u in het casusteam zit."))
        else:
            outcome = submit(
                form,
                lambda _d: services.registration_create(
                    actor=actor,
                    overleg_type=overleg_type,
                    dossier=dossier,
                    data=form.data_object(match_id=prefill.match_id),
                ),
            )
            if outcome.ok and outcome.value is not None:
                messages.success(request, _("De casus is aangemeld. De voorzitter beoordeelt de aanmelding."))
                return redirect("overleg:registration", pk=outcome.value.pk)
    return render(request, "overleg/register.html", context, status=422)


# --- one registration -------------------------------------------------------------------------


def _registration_page(
    request: HttpRequest,
    pk: int,
    *,
    close_form: CloseRegistrationForm | None = None,
    regisseur_form: CasusregisseurForm | None = None,
    schedule_form: ScheduleForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = acting(request)
    detail = or_404(selectors.registration_detail, actor=actor, pk=pk)
    registration = detail.registration
    is_open = registration.status == RegistrationStatus.TOEGELATEN
    may_close = detail.can_close and is_open
    may_regisseur = (detail.can_triage or detail.can_close) and is_open
    people: list[User] = []
    if may_regisseur:
        people = case_people(
            meeting_ids=[i.meeting_id for i in detail.agenda],
            user_ids=[
                registration.registered_by_id,
                registration.casusregisseur_id,
                registration.overleg_type.chair_id,
            ],
        )
    return render(
        request,
        "overleg/registration.html",
        {
            "detail": detail,
            "registration": registration,
            "close_form": (
                close_form
                or CloseRegistrationForm(
                    prefix="close",
                    initial={"version": registration.version},
                    organisations=overleg_organisations(registration.overleg_type),
                )
            )
            if may_close
            else None,
            "regisseur_form": (
                regisseur_form
                or CasusregisseurForm(
                    prefix="regie",
                    initial={"version": registration.version, "casusregisseur": registration.casusregisseur_id},
                    people=people,
                )
            )
            if may_regisseur
            else None,
            "schedule_form": (
                schedule_form
                or ScheduleForm(prefix="plan", meetings=upcoming_meetings(overleg_type=registration.overleg_type))
            )
            if detail.can_triage and is_open
            else None,
            "error": error,
            "invited": list(registration.invited_organisations.all()),
        },
        status=status,
    )


@requires(CASES)
@require_GET
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_page(request, pk)


@requires(CASES)
@require_POST
def registration_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    registration = or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.close_registration", registration)
    form = CloseRegistrationForm(
        request.POST, prefix="close", organisations=overleg_organisations(registration.overleg_type)
    )
    outcome = submit(
        form,
        lambda d: services.registration_close(
            actor=actor,
            registration=registration,
            reason=d["reason"],
            follow_up=d["follow_up"],
            follow_up_organisation_id=d.get("follow_up_organisation"),
            expected_version=version_of(form),
        ),
    )
    if outcome.ok:
        messages.success(request, _("De casus heeft het overleg verlaten."))
        return redirect("overleg:registration", pk=pk)
    return _registration_page(request, pk, close_form=form, error=conflict_message(outcome), status=outcome.status)


def _schedule(actor: Actor, registration: CaseRegistration, meeting_id: int) -> AgendaItem:
    meeting = meeting_get(actor=actor, pk=meeting_id)
    return meeting_services.agenda_item_add(actor=actor, meeting=meeting, registration=registration)


@requires(CASES)
@require_POST
def registration_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair puts an admitted case on (another) planned meeting of the overleg."""
    actor = acting(request)
    registration = or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.triage", registration)
    form = ScheduleForm(request.POST, prefix="plan", meetings=upcoming_meetings(overleg_type=registration.overleg_type))
    outcome = submit(form, lambda d: _schedule(actor, registration, d["meeting"]))
    if outcome.ok:
        messages.success(request, _("De casus staat op de agenda."))
        return redirect("overleg:registration", pk=pk)
    return _registration_page(request, pk, schedule_form=form, status=422)


@requires(CASES)
@require_POST
def registration_casusregisseur(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    registration = or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.name_casusregisseur", registration)
    raw = request.POST.get("regie-casusregisseur", "")
    people = case_people(user_ids=[int(raw)] if raw.isdigit() else [])
    form = CasusregisseurForm(request.POST, prefix="regie", people=people)
    outcome = submit(
        form,
        lambda d: services.registration_set_casusregisseur(
            actor=actor, registration=registration, user_id=d["casusregisseur"], expected_version=version_of(form)
        ),
    )
    if outcome.ok:
        messages.success(request, _("De casusregisseur is vastgelegd."))
        return redirect(safe_next(request, reverse("overleg:registration", args=[pk])))
    return _registration_page(request, pk, regisseur_form=form, error=conflict_message(outcome), status=outcome.status)


# --- triage -----------------------------------------------------------------------------------


def _triage_page(
    request: HttpRequest,
    *,
    bound: tuple[int, str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = acting(request)
    queue = selectors.triage_queue(actor=actor)
    meetings_by_type: dict[int, list[Meeting]] = {}
    for registration in queue:
        if registration.overleg_type_id not in meetings_by_type:
            meetings_by_type[registration.overleg_type_id] = upcoming_meetings(overleg_type=registration.overleg_type)
    all_meeting_ids = [m.pk for ms in meetings_by_type.values() for m in ms]
    people = case_people(
        meeting_ids=all_meeting_ids,
        user_ids=[r.registered_by_id for r in queue] + [actor.user.pk if actor.user else None],
    )
    rows = []
    for registration in queue:
        meetings = meetings_by_type[registration.overleg_type_id]
        admit = AdmitForm(
            prefix=f"admit{registration.pk}",
            initial={"version": registration.version},
            meetings=meetings,
            people=people,
        )
        decline = DeclineForm(prefix=f"decline{registration.pk}", initial={"version": registration.version})
        if bound is not None and bound[0] == registration.pk:
            if bound[1] == "admit":
                admit = bound[2]
            else:
                decline = bound[2]
        rows.append({"registration": registration, "meetings": meetings, "admit": admit, "decline": decline})
    return render(request, "overleg/triage.html", {"rows": rows, "error": error}, status=status)


@requires(CASES)
@require_GET
def triage(request: HttpRequest) -> HttpResponse:
    return _triage_page(request)


def _admit(
    actor: Actor, registration: CaseRegistration, meeting_id: int, *, casusregisseur_id: int | None, version: int | None
) -> CaseRegistration:
    """Admit onto the chosen meeting; a meeting the chair may not plan on is a choice to make again."""
    try:
        meeting = meeting_get(actor=actor, pk=meeting_id)
        return services.registration_admit(
            actor=actor,
            registration=registration,
            meeting=meeting,
            casusregisseur_id=casusregisseur_id,
            expected_version=version,
        )
    except NotFoundError as exc:
        raise DomainError(_("Kies een bijeenkomst van dit overleg die nog komt."), field="meeting") from exc


@requires(CASES)
@require_POST
def triage_admit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    registration = or_404(selectors.registration_for_triage, actor=actor, pk=pk, audit_read=False)
    meetings = upcoming_meetings(overleg_type=registration.overleg_type)
    raw = request.POST.get(f"admit{pk}-casusregisseur", "")
    form = AdmitForm(
        request.POST,
        prefix=f"admit{pk}",
        meetings=meetings,
        people=case_people(user_ids=[int(raw)] if raw.isdigit() else []),
    )
    outcome = submit(
        form,
        lambda d: _admit(
            actor, registration, d["meeting"], casusregisseur_id=d.get("casusregisseur"), version=version_of(form)
        ),
    )
    if outcome.ok:
        messages.success(request, _("De casus is toegelaten en staat op de agenda."))
        return redirect("overleg:triage")
    return _triage_page(request, bound=(pk, "admit", form), error=conflict_message(outcome), status=outcome.status)


@requires(CASES)
@require_POST
def triage_decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    registration = or_404(selectors.registration_for_triage, actor=actor, pk=pk, audit_read=False)
    form = DeclineForm(request.POST, prefix=f"decline{pk}")
    outcome = submit(
        form,
        lambda d: services.registration_decline(
            actor=actor, registration=registration, reason=d["reason"], expected_version=version_of(form)
        ),
    )
    if outcome.ok:
        messages.success(request, _("De aanmelding is afgewezen. De aanmelder krijgt bericht."))
        return redirect("overleg:triage")
    return _triage_page(request, bound=(pk, "decline", form), error=conflict_message(outcome), status=outcome.status)
