"""Overleg pages. Views translate HTTP to service and selector calls; they hold no rules.

Bad input re-renders the page with Dutch messages next to the fields (422; a concurrent change
409) and nothing is written. Objects the actor may not see, and pages for roles that have no use
for them, answer 404. Every successful write redirects (POST-redirect-GET) with a message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.models import CASE_ROLES, Organisation, User
from keten.core import audit
from keten.core.access import check, may, public, requires
from keten.core.actor import Actor, actor_for_user, actor_from_request
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.models import AuditAction
from keten.core.paths import pk_path
from keten.core.smallcells import SMALL_CELL
from keten.overleg import forms as of
from keten.overleg import selectors, services
from keten.overleg.models import (
    AgendaItem,
    AgendaState,
    Agreement,
    AgreementStatus,
    Meeting,
    MeetingStatus,
    OverlegType,
    RegistrationStatus,
)

T = TypeVar("T")

#: How far ahead the overview lists meetings.
UPCOMING_DAYS = 28

#: Names of the changed fields in an agreement's history, in Dutch.
FIELD_LABELS = {
    "what": _l("afspraak"),
    "due_on": _l("datum"),
    "owner": _l("wie"),
    "status": _l("status"),
    "result": _l("resultaat"),
}


# --- shared helpers ---------------------------------------------------------------------------


#: The gates of the pages (see ``keten.overleg.rules``): the overleg pages at all (acting in a role),
#: and the pages that show or record cases (a case role); which case, meeting or agreement is asked
#: of the object rules with ``check`` once it is loaded.
USE = "overleg.use"
CASES = "overleg.work_on_cases"


def _actor(request: HttpRequest) -> Actor:
    """The acting professional; the view's ``requires`` has asked the policy already (a role)."""
    actor = actor_from_request(request)
    assert actor.user is not None
    return actor


def _or_404(fn: Callable[..., T], **kwargs: Any) -> T:
    try:
        return fn(**kwargs)
    except NotFoundError as exc:
        raise Http404 from exc


def _municipality_id(actor: Actor) -> int:
    assert actor.membership is not None
    return int(actor.membership.organisation.municipality_id)


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


def _organisations(actor: Actor) -> list[Organisation]:
    """Active organisations of the actor's municipality (reference data, no client data)."""
    return list(Organisation.objects.filter(municipality_id=_municipality_id(actor), is_active=True).order_by("name"))


def _overleg_organisations(overleg_type: OverlegType, *extra_ids: int | None) -> list[Organisation]:
    """The lead and member organisations of an overleg, plus any extra ones (e.g. a current owner)."""
    ids = {overleg_type.lead_organisation_id, *(i for i in extra_ids if i)}
    return list(Organisation.objects.filter(Q(pk__in=ids) | Q(overleg_types=overleg_type)).distinct().order_by("name"))


def _case_people(*, meeting_ids: Iterable[int] = (), user_ids: Iterable[int | None] = ()) -> list[User]:
    """Professionals with a case role who are on these meetings' lists, plus the given users."""
    ids = [i for i in user_ids if i]
    meeting_ids = list(meeting_ids)
    filters = Q(pk__in=ids)
    if meeting_ids:
        filters |= Q(overleg_attendances__meeting_id__in=meeting_ids)
    return list(
        User.objects.filter(filters, is_active=True, memberships__is_active=True, memberships__role__in=CASE_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _version(form: Any) -> int | None:
    value = form.cleaned_data.get("version") if form.is_bound and hasattr(form, "cleaned_data") else None
    return int(value) if value is not None else None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/overleg/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- overview ---------------------------------------------------------------------------------


@requires(USE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The overleg types of the municipality, the actor's upcoming meetings and own registrations."""
    return _index_page(request, _actor(request))


def _index_page(request: HttpRequest, actor: Actor, *, new_feed_token: str = "") -> HttpResponse:
    user = actor.user
    assert user is not None
    assert actor.membership is not None
    org_id = actor.membership.organisation_id
    types = list(selectors.overleg_types_for(actor=actor).prefetch_related("members"))
    rows = [
        {
            "type": t,
            "chair": t.chair_id == user.pk,
            "member": t.lead_organisation_id == org_id or any(o.pk == org_id for o in t.members.all()),
        }
        for t in types
    ]
    now = timezone.now()
    upcoming = list(
        selectors.meetings_for(
            actor=actor,
            start=now - dt.timedelta(hours=4),
            end=now + dt.timedelta(days=UPCOMING_DAYS),
            statuses=(MeetingStatus.PLANNED,),
        )[:30]
    )
    case_role = may(request, CASES)
    registrations = selectors.my_registrations(actor=actor, open_only=True) if case_role else []
    new_feed_url = (
        request.build_absolute_uri(reverse("overleg:calendar_feed", args=[new_feed_token])) if new_feed_token else ""
    )
    response = render(
        request,
        "overleg/index.html",
        {
            "rows": rows,
            "upcoming": upcoming,
            "registrations": registrations,
            "case_role": case_role,
            "chairs_any": case_role and any(r["chair"] for r in rows),
            "may_manage": may(request, "overleg.manage_type"),
            "may_see_figures": may(request, "core.view_aggregates"),
            "feed": selectors.calendar_feed_active(actor=actor),
            "new_feed_url": new_feed_url,
            "new_feed_webcal": "webcal://" + new_feed_url.split("://", 1)[1] if new_feed_url else "",
        },
    )
    if new_feed_token:
        response["Cache-Control"] = "no-store"
    return response


#: Agreements per page of "Mijn afspraken", and overdue ones of chaired overleggen shown below them.
AGREEMENTS_PAGE_SIZE = 25
CHAIRED_OVERDUE_SHOWN = 25


@requires(CASES)
@require_GET
def my_agreements(request: HttpRequest) -> HttpResponse:
    """Open agreements of the actor (as a person or through the organisation), overdue ones flagged."""
    actor = _actor(request)
    assert actor.user is not None
    today = timezone.localdate()
    try:
        requested = int(request.GET.get("pagina", "1"))
    except ValueError:
        requested = 1
    found = selectors.my_agreements_page(actor=actor, page=requested, page_size=AGREEMENTS_PAGE_SIZE, today=today)
    chaired = selectors.overdue_agreement_lines(actor=actor, today=today, limit=CHAIRED_OVERDUE_SHOWN, others_only=True)
    agreement_path = pk_path("overleg:agreement")
    for line in (*found.rows, *chaired):
        line.url = agreement_path(line.pk)
    return render(
        request,
        "overleg/my_agreements.html",
        {
            "agreements": found.rows,
            "total": found.total,
            "page": Paginator(range(found.total), AGREEMENTS_PAGE_SIZE).get_page(found.number),
            "overdue_count": found.overdue,
            "chaired_overdue": chaired,
            "chaired_shown": CHAIRED_OVERDUE_SHOWN,
            "today": today,
        },
    )


# --- registering a case -----------------------------------------------------------------------


def _registration_form(
    request: HttpRequest,
    overleg_type: OverlegType,
    *,
    dossiers: list[tuple[str, str]] | None = None,
    extra_partner_ids: Iterable[int] = (),
    initial: dict[str, Any] | None = None,
) -> of.RegistrationForm:
    return of.RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        steps=selectors.process_steps(overleg_type),
        partners=_overleg_organisations(overleg_type, *extra_partner_ids),
        dossiers=dossiers,
    )


def _chosen_type(request: HttpRequest, actor: Actor, types: list[OverlegType]) -> OverlegType | None:
    raw = request.GET.get("overleg") or request.POST.get("overleg") or ""
    if not raw.isdigit():
        return types[0] if len(types) == 1 else None
    chosen = next((t for t in types if t.pk == int(raw)), None)
    if chosen is None:
        raise Http404
    return chosen


@requires(CASES)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, reference: str) -> HttpResponse:
    """Register a family's case for an overleg, from the dossier page."""
    actor = _actor(request)
    dossier = _or_404(selectors.dossier_for_registration, actor=actor, reference=reference)
    # The page shows the family's name: the read is audited like the dossier page.
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="overleg.register_form",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
    )
    types = list(selectors.overleg_types_for(actor=actor))
    overleg_type = _chosen_type(request, actor, types)
    context: dict[str, Any] = {
        "dossier": dossier,
        "types": types,
        "overleg_type": overleg_type,
        "choose_form": of.ChooseOverlegForm(
            initial={"overleg": overleg_type.pk if overleg_type else None}, overleg_types=types
        ),
        "cancel_url": reverse("dossiers:detail", args=[dossier.reference]),
    }
    if overleg_type is None:
        return render(request, "overleg/register.html", context)
    form = _registration_form(request, overleg_type)
    context["form"] = form
    if request.method == "GET":
        return render(request, "overleg/register.html", context)
    if form.is_valid():
        try:
            registration = services.registration_create(
                actor=actor, overleg_type=overleg_type, dossier=dossier, data=form.data_object()
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casus is aangemeld. De voorzitter beoordeelt de aanmelding."))
            return redirect("overleg:registration", pk=registration.pk)
    return render(request, "overleg/register.html", context, status=422)


@requires(CASES)
@require_http_methods(["GET", "POST"])
def register_from_match(request: HttpRequest, match_id: int) -> HttpResponse:
    """Register a case from a verwijsindex match: the coordinator chooses the dossier; partners prefilled."""
    actor = _actor(request)
    try:
        prefill = services.registration_prefill_from_match(actor=actor, match_id=match_id)
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return render(request, "overleg/register.html", {"refused": exc.message, "match_id": match_id}, status=403)
    types = list(selectors.overleg_types_for(actor=actor))
    overleg_type = _chosen_type(request, actor, types)
    rows, _total = _or_404(_open_dossiers, actor=actor)
    dossiers = [(r.reference, f"{r.family_name} ({r.reference})") for r in rows]
    context: dict[str, Any] = {
        "match_id": match_id,
        "prefill": prefill,
        "types": types,
        "overleg_type": overleg_type,
        "choose_form": of.ChooseOverlegForm(
            initial={"overleg": overleg_type.pk if overleg_type else None}, overleg_types=types
        ),
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
            try:
                registration = services.registration_create(
                    actor=actor,
                    overleg_type=overleg_type,
                    dossier=dossier,
                    data=form.data_object(match_id=prefill.match_id),
                )
            except NotFoundError as exc:
                raise Http404 from exc
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De casus is aangemeld. De voorzitter beoordeelt de aanmelding."))
                return redirect("overleg:registration", pk=registration.pk)
    return render(request, "overleg/register.html", context, status=422)


def _open_dossiers(*, actor: Actor) -> tuple[list[Any], int]:
    """The actor's open dossiers to choose from (the dossier selector; audited there)."""
    from keten.dossiers.selectors import dossier_list

    return dossier_list(actor=actor, status="open", limit=200)


# --- one registration -------------------------------------------------------------------------


def _registration_page(
    request: HttpRequest,
    pk: int,
    *,
    close_form: of.CloseRegistrationForm | None = None,
    regisseur_form: of.CasusregisseurForm | None = None,
    schedule_form: of.ScheduleForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    detail = _or_404(selectors.registration_detail, actor=actor, pk=pk)
    registration = detail.registration
    is_open = registration.status == RegistrationStatus.TOEGELATEN
    may_close = detail.can_close and is_open
    may_regisseur = (detail.can_triage or detail.can_close) and is_open
    people: list[User] = []
    if may_regisseur:
        people = _case_people(
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
                or of.CloseRegistrationForm(
                    prefix="close",
                    initial={"version": registration.version},
                    organisations=_overleg_organisations(registration.overleg_type),
                )
            )
            if may_close
            else None,
            "regisseur_form": (
                regisseur_form
                or of.CasusregisseurForm(
                    prefix="regie",
                    initial={"version": registration.version, "casusregisseur": registration.casusregisseur_id},
                    people=people,
                )
            )
            if may_regisseur
            else None,
            "schedule_form": (
                schedule_form
                or of.ScheduleForm(
                    prefix="plan", meetings=selectors.upcoming_meetings(overleg_type=registration.overleg_type)
                )
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
    actor = _actor(request)
    registration = _or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.close_registration", registration)
    form = of.CloseRegistrationForm(
        request.POST, prefix="close", organisations=_overleg_organisations(registration.overleg_type)
    )
    if form.is_valid():
        try:
            services.registration_close(
                actor=actor,
                registration=registration,
                reason=form.cleaned_data["reason"],
                follow_up=form.cleaned_data["follow_up"],
                follow_up_organisation_id=form.cleaned_data.get("follow_up_organisation"),
                expected_version=_version(form),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _registration_page(request, pk, close_form=form, error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casus heeft het overleg verlaten."))
            return redirect("overleg:registration", pk=pk)
    return _registration_page(request, pk, close_form=form, status=422)


@requires(CASES)
@require_POST
def registration_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair puts an admitted case on (another) planned meeting of the overleg."""
    actor = _actor(request)
    registration = _or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.triage", registration)
    form = of.ScheduleForm(
        request.POST, prefix="plan", meetings=selectors.upcoming_meetings(overleg_type=registration.overleg_type)
    )
    if form.is_valid():
        try:
            meeting = selectors.meeting_get(actor=actor, pk=form.cleaned_data["meeting"])
            services.agenda_item_add(actor=actor, meeting=meeting, registration=registration)
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casus staat op de agenda."))
            return redirect("overleg:registration", pk=pk)
    return _registration_page(request, pk, schedule_form=form, status=422)


@requires(CASES)
@require_POST
def registration_casusregisseur(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    registration = _or_404(selectors.registration_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.name_casusregisseur", registration)
    raw = request.POST.get("regie-casusregisseur", "")
    people = _case_people(user_ids=[int(raw)] if raw.isdigit() else [])
    form = of.CasusregisseurForm(request.POST, prefix="regie", people=people)
    if form.is_valid():
        try:
            services.registration_set_casusregisseur(
                actor=actor,
                registration=registration,
                user_id=form.cleaned_data["casusregisseur"],
                expected_version=_version(form),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _registration_page(request, pk, regisseur_form=form, error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casusregisseur is vastgelegd."))
            return redirect(_safe_next(request, reverse("overleg:registration", args=[pk])))
    return _registration_page(request, pk, regisseur_form=form, status=422)


# --- triage -----------------------------------------------------------------------------------


def _triage_page(
    request: HttpRequest,
    *,
    bound: tuple[int, str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    queue = selectors.triage_queue(actor=actor)
    meetings_by_type: dict[int, list[Meeting]] = {}
    for registration in queue:
        if registration.overleg_type_id not in meetings_by_type:
            meetings_by_type[registration.overleg_type_id] = selectors.upcoming_meetings(
                overleg_type=registration.overleg_type
            )
    all_meeting_ids = [m.pk for ms in meetings_by_type.values() for m in ms]
    people = _case_people(
        meeting_ids=all_meeting_ids,
        user_ids=[r.registered_by_id for r in queue] + [actor.user.pk if actor.user else None],
    )
    rows = []
    for registration in queue:
        meetings = meetings_by_type[registration.overleg_type_id]
        admit = of.AdmitForm(
            prefix=f"admit{registration.pk}",
            initial={"version": registration.version},
            meetings=meetings,
            people=people,
        )
        decline = of.DeclineForm(prefix=f"decline{registration.pk}", initial={"version": registration.version})
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


@requires(CASES)
@require_POST
def triage_admit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    registration = _or_404(selectors.registration_for_triage, actor=actor, pk=pk, audit_read=False)
    meetings = selectors.upcoming_meetings(overleg_type=registration.overleg_type)
    raw = request.POST.get(f"admit{pk}-casusregisseur", "")
    form = of.AdmitForm(
        request.POST,
        prefix=f"admit{pk}",
        meetings=meetings,
        people=_case_people(user_ids=[int(raw)] if raw.isdigit() else []),
    )
    if form.is_valid():
        try:
            meeting = selectors.meeting_get(actor=actor, pk=form.cleaned_data["meeting"])
            services.registration_admit(
                actor=actor,
                registration=registration,
                meeting=meeting,
                casusregisseur_id=form.cleaned_data.get("casusregisseur"),
                expected_version=_version(form),
            )
        except NotFoundError:
            form.add_error("meeting", _("Kies een bijeenkomst van dit overleg die nog komt."))
        except ConflictError as exc:
            return _triage_page(request, bound=(pk, "admit", form), error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casus is toegelaten en staat op de agenda."))
            return redirect("overleg:triage")
    return _triage_page(request, bound=(pk, "admit", form), status=422)


@requires(CASES)
@require_POST
def triage_decline(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    registration = _or_404(selectors.registration_for_triage, actor=actor, pk=pk, audit_read=False)
    form = of.DeclineForm(request.POST, prefix=f"decline{pk}")
    if form.is_valid():
        try:
            services.registration_decline(
                actor=actor,
                registration=registration,
                reason=form.cleaned_data["reason"],
                expected_version=_version(form),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _triage_page(request, bound=(pk, "decline", form), error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De aanmelding is afgewezen. De aanmelder krijgt bericht."))
            return redirect("overleg:triage")
    return _triage_page(request, bound=(pk, "decline", form), status=422)


# --- meetings ---------------------------------------------------------------------------------


def _meeting_page(
    request: HttpRequest,
    pk: int,
    *,
    cancel_form: of.CancelMeetingForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    page = _or_404(selectors.meeting_agenda, actor=actor, pk=pk)
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
            "cancel_form": cancel_form or of.CancelMeetingForm(prefix="cancel", initial={"version": meeting.version}),
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
    actor = _actor(request)
    meeting = _or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    user_raw = request.POST.get("user", "")
    present = {"ja": True, "nee": False}.get(request.POST.get("present", ""))
    try:
        services.attendance_set(
            actor=actor, meeting=meeting, user_id=int(user_raw) if user_raw.isdigit() else 0, present=present
        )
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _meeting_page(request, pk, error=exc.message, status=422)
    messages.success(request, _("De aanwezigheid is vastgelegd."))
    return redirect("overleg:meeting", pk=pk)


@requires(CASES)
@require_http_methods(["GET", "POST"])
def meeting_attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put someone of a taking-part organisation on the meeting's attendance list."""
    actor = _actor(request)
    meeting = _or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    form = of.AttendeeForm(
        request.POST if request.method == "POST" else None,
        people=selectors.attendee_candidates(actor=actor, meeting=meeting),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attendance_set(actor=actor, meeting=meeting, user_id=form.cleaned_data["user"], present=None)
            except NotFoundError as exc:
                raise Http404 from exc
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De deelnemer staat op de lijst."))
                return redirect("overleg:meeting", pk=pk)
        return render(request, "overleg/attendee_add.html", {"meeting": meeting, "form": form}, status=422)
    return render(request, "overleg/attendee_add.html", {"meeting": meeting, "form": form})


@requires(CASES)
@require_POST
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    meeting = _or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    version = request.POST.get("version", "")
    try:
        held = services.meeting_hold(
            actor=actor, meeting=meeting, expected_version=int(version) if version.isdigit() else None
        )
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        return _meeting_page(request, pk, error=exc.message, status=409 if isinstance(exc, ConflictError) else 422)
    carried = getattr(held, "carried", 0)
    messages.success(
        request,
        _("De bijeenkomst is afgerond. %(n)d casus(sen) met open afspraken staan op de volgende agenda.")
        % {"n": carried},
    )
    return redirect("overleg:meeting", pk=pk)


@requires(CASES)
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    meeting = _or_404(selectors.meeting_for_management, actor=actor, pk=pk)
    form = of.CancelMeetingForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.meeting_cancel(
                actor=actor, meeting=meeting, reason=form.cleaned_data["reason"], expected_version=_version(form)
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _meeting_page(request, pk, cancel_form=form, error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De bijeenkomst is afgelast. De deelnemers krijgen bericht."))
            return redirect("overleg:meeting", pk=pk)
    return _meeting_page(request, pk, cancel_form=form, status=422)


# --- one case at a meeting: discussion record and agreements ---------------------------------


def _item_page(
    request: HttpRequest,
    pk: int,
    *,
    discussion_form: of.DiscussionForm | None = None,
    agreement_form: of.AgreementForm | None = None,
    remove_form: of.RemoveFromAgendaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    # The read of the case is audited once, by registration_detail.
    item = _or_404(selectors.agenda_item_get, actor=actor, pk=pk, audit_read=False)
    detail = _or_404(selectors.registration_detail, actor=actor, pk=item.registration_id)
    registration = detail.registration
    meeting = item.meeting
    owners = _owners(item)
    people = _case_people(
        meeting_ids=[meeting.pk],
        user_ids=[registration.registered_by_id, registration.casusregisseur_id, meeting.overleg_type.chair_id],
    )
    may_record = meeting.status != MeetingStatus.CANCELLED and item.state == "on_agenda"
    return render(
        request,
        "overleg/item.html",
        {
            "item": item,
            "meeting": meeting,
            "detail": detail,
            "registration": registration,
            "entries": [e for e in detail.discussion if e.agenda_item_id == item.pk],
            "earlier": [e for e in detail.discussion if e.agenda_item_id != item.pk],
            "open_agreements": [a for a in detail.agreements if a.status == AgreementStatus.OPEN],
            "closed_agreements": [a for a in detail.agreements if a.status != AgreementStatus.OPEN],
            "may_record": may_record,
            "may_agree": may_record and registration.status == RegistrationStatus.TOEGELATEN,
            "discussion_form": discussion_form or of.DiscussionForm(prefix="d"),
            "agreement_form": agreement_form or of.AgreementForm(prefix="a", owners=owners),
            "regisseur_form": of.CasusregisseurForm(
                prefix="regie",
                initial={"version": registration.version, "casusregisseur": registration.casusregisseur_id},
                people=people,
            )
            if registration.status == RegistrationStatus.TOEGELATEN
            else None,
            "remove_form": (remove_form or of.RemoveFromAgendaForm(prefix="rm"))
            if item.state == AgendaState.ON_AGENDA
            and meeting.status == MeetingStatus.PLANNED
            and may(request, "overleg.manage_meeting", meeting)
            else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@requires(CASES)
@require_POST
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair takes a case off a planned meeting's agenda, with a reason (the history stays)."""
    actor = _actor(request)
    item = _or_404(selectors.agenda_item_get, actor=actor, pk=pk, permission="overleg.manage_meeting", audit_read=False)
    form = of.RemoveFromAgendaForm(request.POST, prefix="rm")
    if form.is_valid():
        try:
            services.agenda_item_remove(actor=actor, item=item, reason=form.cleaned_data["reason"])
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De casus is van de agenda gehaald."))
            return redirect("overleg:meeting", pk=item.meeting_id)
    return _item_page(request, pk, remove_form=form, status=422)


def _owners(item: AgendaItem, agreement: Agreement | None = None) -> list[Any]:
    meeting = item.meeting
    registration = item.registration
    people = _case_people(
        meeting_ids=[meeting.pk],
        user_ids=[
            meeting.overleg_type.chair_id,
            registration.registered_by_id,
            registration.casusregisseur_id,
            agreement.owner_user_id if agreement else None,
        ],
    )
    organisations = _overleg_organisations(meeting.overleg_type, agreement.owner_organisation_id if agreement else None)
    return of.owner_choices(people, organisations)


@requires(CASES)
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_page(request, pk)


@requires(CASES)
@require_POST
def item_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    item = _or_404(selectors.agenda_item_get, actor=actor, pk=pk, audit_read=False)
    form = of.DiscussionForm(request.POST, prefix="d")
    if form.is_valid():
        try:
            services.discussion_record(actor=actor, item=item, data=form.data_object())
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het verslag van de bespreking is vastgelegd."))
            return redirect("overleg:item", pk=pk)
    return _item_page(request, pk, discussion_form=form, status=422)


@requires(CASES)
@require_POST
def item_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    item = _or_404(selectors.agenda_item_get, actor=actor, pk=pk, audit_read=False)
    form = of.AgreementForm(request.POST, prefix="a", owners=_owners(item))
    if form.is_valid():
        owner_user_id, owner_organisation_id = form.owner_ids()
        try:
            services.agreement_create(
                actor=actor,
                item=item,
                what=form.cleaned_data["what"],
                due_on=form.cleaned_data.get("due_on"),
                owner_user_id=owner_user_id,
                owner_organisation_id=owner_organisation_id,
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De afspraak is vastgelegd."))
            return redirect("overleg:item", pk=pk)
    return _item_page(request, pk, agreement_form=form, status=422)


# --- one agreement ----------------------------------------------------------------------------


def _agreement_owners(agreement: Agreement) -> list[Any]:
    if agreement.agenda_item is not None:
        return _owners(agreement.agenda_item, agreement)
    registration = agreement.registration
    people = _case_people(user_ids=[agreement.owner_user_id, registration.overleg_type.chair_id])
    return of.owner_choices(people, _overleg_organisations(registration.overleg_type, agreement.owner_organisation_id))


def _owner_value(agreement: Agreement) -> str:
    if agreement.owner_user_id:
        return f"u{agreement.owner_user_id}"
    return f"o{agreement.owner_organisation_id}" if agreement.owner_organisation_id else ""


def _agreement_page(
    request: HttpRequest,
    pk: int,
    *,
    update_form: of.AgreementUpdateForm | None = None,
    close_form: of.AgreementCloseForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    agreement = _or_404(selectors.agreement_get, actor=actor, pk=pk)
    versions = selectors.agreement_versions(agreement)
    for v in versions:
        v.field_labels = [str(FIELD_LABELS.get(f, f)) for f in v.fields]  # type: ignore[attr-defined]
    is_open = agreement.status == AgreementStatus.OPEN
    if update_form is not None and error:
        # After a conflict the form keeps what the person typed, against the version now stored.
        data = dict(update_form.data.items())
        data[update_form.add_prefix("version")] = str(agreement.version)
        update_form = of.AgreementUpdateForm(data, prefix="u", owners=_agreement_owners(agreement))
        update_form.is_valid()
    if close_form is not None and error:
        data = dict(close_form.data.items())
        data[close_form.add_prefix("version")] = str(agreement.version)
        close_form = of.AgreementCloseForm(data, prefix="c")
        close_form.is_valid()
    return render(
        request,
        "overleg/agreement.html",
        {
            "agreement": agreement,
            "registration": agreement.registration,
            "versions": versions,
            "is_open": is_open,
            "overdue": is_open and agreement.due_on < timezone.localdate(),
            "update_form": (
                update_form
                or of.AgreementUpdateForm(
                    prefix="u",
                    initial={
                        "what": agreement.what,
                        "owner": _owner_value(agreement),
                        "due_on": agreement.due_on,
                        "version": agreement.version,
                    },
                    owners=_agreement_owners(agreement),
                )
            )
            if is_open
            else None,
            "close_form": (close_form or of.AgreementCloseForm(prefix="c", initial={"version": agreement.version}))
            if is_open
            else None,
            "error": error,
        },
        status=status,
    )


@requires(CASES)
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _agreement_page(request, pk)


@requires(CASES)
@require_POST
def agreement_update(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    agreement = _or_404(selectors.agreement_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.change_agreement", agreement)
    form = of.AgreementUpdateForm(request.POST, prefix="u", owners=_agreement_owners(agreement))
    if form.is_valid():
        owner_user_id, owner_organisation_id = form.owner_ids()
        if owner_user_id is None and owner_organisation_id is None:
            form.add_error("owner", _("Kies wie de afspraak uitvoert: een persoon of een organisatie."))
        else:
            try:
                services.agreement_update(
                    actor=actor,
                    agreement=agreement,
                    expected_version=_version(form),
                    what=form.cleaned_data["what"],
                    due_on=form.cleaned_data.get("due_on"),
                    owner_user_id=owner_user_id,
                    owner_organisation_id=owner_organisation_id,
                )
            except NotFoundError as exc:
                raise Http404 from exc
            except ConflictError as exc:
                return _agreement_page(request, pk, update_form=form, error=exc.message, status=409)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De afspraak is gewijzigd."))
                return redirect("overleg:agreement", pk=pk)
    return _agreement_page(request, pk, update_form=form, status=422)


@requires(CASES)
@require_POST
def agreement_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    agreement = _or_404(selectors.agreement_get, actor=actor, pk=pk, audit_read=False)
    check(request, "overleg.change_agreement", agreement)
    form = of.AgreementCloseForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            services.agreement_close(
                actor=actor,
                agreement=agreement,
                expected_version=_version(form),
                result=form.cleaned_data["result"],
                status=form.cleaned_data["status"],
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _agreement_page(request, pk, close_form=form, error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De afspraak is afgerond."))
            return redirect("overleg:agreement", pk=pk)
    return _agreement_page(request, pk, close_form=form, status=422)


# --- calendar ---------------------------------------------------------------------------------


@requires(USE)
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The actor's meetings as an iCalendar file: overleg name, time and place only."""
    from keten.overleg.ical import meetings_ical

    actor = _actor(request)
    meetings = selectors.calendar_meetings(actor=actor)
    audit.record(
        actor=actor, action=AuditAction.EXPORT, object_type="overleg.calendar", details={"meetings": len(meetings)}
    )
    response = HttpResponse(
        meetings_ical(meetings, name=_("Keten overleg")), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="keten-overleg.ics"'
    response["Cache-Control"] = "no-store"
    return response


def _feed_not_found() -> HttpResponse:
    """A bare 404 for the feed: an agenda app needs no page, and a caller learns nothing."""
    response = HttpResponseNotFound(b"", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@public(
    "the calendar subscription of an agenda app that cannot sign in: the secret token in the link is the "
    "credential (checked here against its stored hash; unknown, revoked or ownerless links answer 404), and "
    "the feed holds only the owner's meetings' name, time and place"
)
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar subscription: the owner's meetings for an agenda app that cannot sign in.

    The secret token in the URL is the only credential, so the feed holds exactly what the signed-in
    export holds (overleg name, time, place) and nothing about families. It answers 404 when the
    link is unknown or revoked, or its owner is inactive or has no active membership.
    """
    from keten.overleg.ical import meetings_ical

    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        return _feed_not_found()
    actor = actor_for_user(feed.user)
    if actor.membership is None:
        return _feed_not_found()
    meetings = selectors.calendar_meetings(actor=actor)
    services.calendar_feed_used(actor=actor, feed=feed)
    response = HttpResponse(
        meetings_ical(meetings, name=_("Keten overleg")), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@requires(USE)
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """Make a new subscription link (the old one stops working) and show it, once.

    The page is rendered in this response instead of after a redirect: only the hash of the token
    is stored, so the link exists nowhere else to show on a later page.
    """
    actor = _actor(request)
    token = _or_404(services.calendar_feed_create, actor=actor)
    return _index_page(request, actor, new_feed_token=token)


@requires(USE)
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    """Revoke the actor's subscription link: agenda apps that use it get no more updates."""
    actor = _actor(request)
    if _or_404(services.calendar_feed_revoke, actor=actor):
        messages.success(
            request, _("De abonnementslink is ingetrokken. Uw agenda-app krijgt geen nieuwe bijeenkomsten meer.")
        )
    else:
        messages.info(request, _("Er was geen actieve abonnementslink."))
    return redirect(reverse("overleg:index") + "#agenda-abonnement")


# --- set-up of overleg types ------------------------------------------------------------------


def _type_form(request: HttpRequest, actor: Actor, *, initial: dict[str, Any] | None = None) -> of.OverlegTypeForm:
    from keten.sharing.models import Convenant

    municipality_id = _municipality_id(actor)
    return of.OverlegTypeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=_organisations(actor),
        chairs=User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
            memberships__organisation__municipality_id=municipality_id,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")[:2000],
        convenants=Convenant.objects.filter(municipality_id=municipality_id).order_by("title"),
    )


@requires("overleg.manage_type")
@require_GET
def types(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = [
        {"type": t, "manage": may(request, "overleg.manage_type", t)}
        for t in selectors.overleg_types_for(actor=actor, include_inactive=True)
    ]
    return render(request, "overleg/types.html", {"rows": rows})


@requires("overleg.manage_type")
@require_http_methods(["GET", "POST"])
def type_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = _type_form(request, actor, initial={"is_active": True, "duration_minutes": 90})
    if request.method == "POST":
        if form.is_valid():
            try:
                overleg_type = services.overleg_type_create(actor=actor, data=form.data_object())
            except NotFoundError as exc:
                raise Http404 from exc
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Het overleg is ingericht. Voeg nu de processtappen toe."))
                return redirect("overleg:type", pk=overleg_type.pk)
        return render(request, "overleg/type_form.html", {"form": form}, status=422)
    return render(request, "overleg/type_form.html", {"form": form})


def _type_page(
    request: HttpRequest,
    actor: Actor,
    overleg_type: OverlegType,
    *,
    may_manage: bool = True,
    form: of.OverlegTypeForm | None = None,
    step_form: of.ProcessStepForm | None = None,
    meeting_form: of.MeetingCreateForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "overleg/type_form.html",
        {
            "overleg_type": overleg_type,
            "form": (form or _type_form(request, actor, initial=of.OverlegTypeForm.initial_for(overleg_type)))
            if may_manage
            else None,
            "may_manage": may_manage,
            "step_form": step_form or of.ProcessStepForm(prefix="step"),
            "meeting_form": meeting_form or of.MeetingCreateForm(prefix="m"),
            "steps": selectors.process_steps(overleg_type),
            "meetings": selectors.upcoming_meetings(overleg_type=overleg_type),
            "error": error,
        },
        status=status,
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    overleg_type = _or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    if request.method == "GET":
        # Its managers change it; its chair reads it (and plans an extra meeting there).
        check(request, "overleg.view_type", overleg_type)
        return _type_page(request, actor, overleg_type, may_manage=may(request, "overleg.manage_type", overleg_type))
    check(request, "overleg.manage_type", overleg_type)
    form = _type_form(request, actor)
    if form.is_valid():
        version = request.POST.get("version", "")
        try:
            services.overleg_type_update(
                actor=actor,
                overleg_type=overleg_type,
                data=form.data_object(),
                expected_version=int(version) if version.isdigit() else None,
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            return _type_page(request, actor, overleg_type, form=form, error=exc.message, status=409)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het overleg is bijgewerkt."))
            return redirect("overleg:type", pk=pk)
    return _type_page(request, actor, overleg_type, form=form, status=422)


@requires(USE)
@require_POST
def type_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    overleg_type = _or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    check(request, "overleg.manage_type", overleg_type)
    form = of.ProcessStepForm(request.POST, prefix="step")
    if form.is_valid():
        try:
            services.process_step_add(
                actor=actor,
                overleg_type=overleg_type,
                name=form.cleaned_data["name"],
                criteria=form.cleaned_data.get("criteria") or "",
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De processtap is toegevoegd."))
            return redirect("overleg:type", pk=pk)
    return _type_page(request, actor, overleg_type, step_form=form, status=422)


@requires(USE)
@require_POST
def type_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An extra meeting, planned by the overleg's manager or its chair."""
    actor = _actor(request)
    overleg_type = _or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    check(request, "overleg.plan_meeting", overleg_type)
    form = of.MeetingCreateForm(request.POST, prefix="m")
    if form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=actor,
                overleg_type=overleg_type,
                starts_at=form.cleaned_data["starts_at"],
                location=form.cleaned_data.get("location") or None,
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De bijeenkomst is gepland."))
            return redirect("overleg:meeting", pk=meeting.pk)
    may_manage = may(request, "overleg.manage_type", overleg_type)
    return _type_page(request, actor, overleg_type, may_manage=may_manage, meeting_form=form, status=422)


# --- municipality figures ---------------------------------------------------------------------


@requires("core.view_aggregates")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Per overleg: counts and lead times only, small cells hidden."""
    actor = _actor(request)
    rows = _or_404(selectors.municipality_aggregates, actor=actor)
    for row in rows:
        row["agreement_cells"] = [
            row["agreements_made"],
            row["agreements_done_on_time"],
            row["agreements_done_late"],
            row["agreements_open"],
            row["agreements_overdue"],
        ]
    return render(request, "overleg/figures.html", {"rows": rows, "small_cell": SMALL_CELL})
