"""Pages of the overleg set-up: the list of overleg types, making and changing one, its process steps, and
an extra meeting planned by its manager or its chair."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, may, requires
from keten.core.actor import Actor
from keten.core.pages import data_of, or_404, posted_version, submit
from keten.overleg.meetings import services as meeting_services
from keten.overleg.meetings.forms import MeetingCreateForm
from keten.overleg.meetings.selectors import upcoming_meetings, visible_meeting_ids
from keten.overleg.models import OverlegType
from keten.overleg.pages import USE, acting, conflict_message
from keten.overleg.selectors import municipality_organisations
from keten.overleg.types import selectors, services
from keten.overleg.types.forms import OverlegTypeForm, ProcessStepForm

MANAGE = "overleg.manage_type"


def _type_form(request: HttpRequest, actor: Actor, *, initial: dict[str, Any] | None = None) -> OverlegTypeForm:
    return OverlegTypeForm(
        data_of(request),
        initial=initial,
        organisations=municipality_organisations(actor),
        chairs=selectors.chair_candidates(actor=actor),
        convenants=selectors.convenants_of(actor=actor),
    )


@requires(MANAGE)
@require_GET
def types(request: HttpRequest) -> HttpResponse:
    actor = acting(request)
    rows = [
        {"type": t, "manage": may(request, MANAGE, t)}
        for t in selectors.overleg_types_for(actor=actor, include_inactive=True)
    ]
    return render(request, "overleg/types.html", {"rows": rows})


@requires(MANAGE)
@require_http_methods(["GET", "POST"])
def type_create(request: HttpRequest) -> HttpResponse:
    actor = acting(request)
    form = _type_form(request, actor, initial={"is_active": True, "duration_minutes": 90})
    if request.method == "GET":
        return render(request, "overleg/type_form.html", {"form": form})
    outcome = submit(form, lambda _d: services.overleg_type_create(actor=actor, data=form.data_object()))
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("Het overleg is ingericht. Voeg nu de processtappen toe."))
        return redirect("overleg:type", pk=outcome.value.pk)
    return render(request, "overleg/type_form.html", {"form": form}, status=422)


def _type_page(
    request: HttpRequest,
    actor: Actor,
    overleg_type: OverlegType,
    *,
    may_manage: bool = True,
    form: OverlegTypeForm | None = None,
    step_form: ProcessStepForm | None = None,
    meeting_form: MeetingCreateForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    meetings = upcoming_meetings(overleg_type=overleg_type)
    return render(
        request,
        "overleg/type_form.html",
        {
            "overleg_type": overleg_type,
            "form": (form or _type_form(request, actor, initial=OverlegTypeForm.initial_for(overleg_type)))
            if may_manage
            else None,
            "may_manage": may_manage,
            "step_form": step_form or ProcessStepForm(prefix="step"),
            "meeting_form": meeting_form or MeetingCreateForm(prefix="m"),
            "steps": selectors.process_steps(overleg_type),
            "meetings": meetings,
            # Its managers plan meetings here without being invited to them: only linked when they may open it.
            "openable_meetings": visible_meeting_ids(actor=actor, meetings=meetings),
            "error": error,
        },
        status=status,
    )


@requires(USE)
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    overleg_type = or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    if request.method == "GET":
        # Its managers change it; its chair reads it (and plans an extra meeting there).
        check(request, "overleg.view_type", overleg_type)
        return _type_page(request, actor, overleg_type, may_manage=may(request, MANAGE, overleg_type))
    check(request, MANAGE, overleg_type)
    form = _type_form(request, actor)
    outcome = submit(
        form,
        lambda _d: services.overleg_type_update(
            actor=actor,
            overleg_type=overleg_type,
            data=form.data_object(),
            expected_version=posted_version(request),
        ),
    )
    if outcome.ok:
        messages.success(request, _("Het overleg is bijgewerkt."))
        return redirect("overleg:type", pk=pk)
    return _type_page(request, actor, overleg_type, form=form, error=conflict_message(outcome), status=outcome.status)


@requires(USE)
@require_POST
def type_step_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    overleg_type = or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    check(request, MANAGE, overleg_type)
    form = ProcessStepForm(request.POST, prefix="step")
    outcome = submit(
        form,
        lambda d: services.process_step_add(
            actor=actor, overleg_type=overleg_type, name=d["name"], criteria=d.get("criteria") or ""
        ),
    )
    if outcome.ok:
        messages.success(request, _("De processtap is toegevoegd."))
        return redirect("overleg:type", pk=pk)
    return _type_page(request, actor, overleg_type, step_form=form, status=422)


@requires(USE)
@require_POST
def type_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An extra meeting, planned by the overleg's manager or its chair."""
    actor = acting(request)
    overleg_type = or_404(selectors.overleg_type_get, actor=actor, pk=pk)
    check(request, "overleg.plan_meeting", overleg_type)
    form = MeetingCreateForm(request.POST, prefix="m")
    outcome = submit(
        form,
        lambda d: meeting_services.meeting_create(
            actor=actor, overleg_type=overleg_type, starts_at=d["starts_at"], location=d.get("location") or None
        ),
    )
    if outcome.ok and outcome.value is not None:
        messages.success(request, _("De bijeenkomst is gepland."))
        return redirect("overleg:meeting", pk=outcome.value.pk)
    may_manage = may(request, MANAGE, overleg_type)
    return _type_page(request, actor, overleg_type, may_manage=may_manage, meeting_form=form, status=422)
