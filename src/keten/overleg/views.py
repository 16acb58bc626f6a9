"""The overleg's start page: the overleg types of the municipality, the actor's upcoming meetings and own
registrations, and the calendar subscription — with a new subscription link shown on it, once."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from keten.core.access import may, requires
from keten.core.actor import Actor
from keten.core.pages import or_404
from keten.overleg.calendar import services as calendar_services
from keten.overleg.calendar.selectors import calendar_feed_active
from keten.overleg.meetings.selectors import meetings_for
from keten.overleg.models import MeetingStatus
from keten.overleg.pages import CASES, USE, acting
from keten.overleg.registrations.selectors import my_registrations
from keten.overleg.types.selectors import overleg_types_for

#: How far ahead the overview lists meetings.
UPCOMING_DAYS = 28


@requires(USE)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The overleg types of the municipality, the actor's upcoming meetings and own registrations."""
    return _index_page(request, acting(request))


def _index_page(request: HttpRequest, actor: Actor, *, new_feed_token: str = "") -> HttpResponse:
    user = actor.user
    assert user is not None
    assert actor.membership is not None
    org_id = actor.membership.organisation_id
    types = list(overleg_types_for(actor=actor).prefetch_related("members"))
    rows = [
        {
            "type": t,
            "chair": t.chair_id == user.pk,
            "member": t.lead_organisation_id == org_id or any(o.pk == org_id for o in t.members.all()),
            # Its page is for its managers and its chair (managing overleggen in general is not enough).
            "may_open": may(request, "overleg.view_type", t),
        }
        for t in types
    ]
    now = timezone.now()
    upcoming = list(
        meetings_for(
            actor=actor,
            start=now - dt.timedelta(hours=4),
            end=now + dt.timedelta(days=UPCOMING_DAYS),
            statuses=(MeetingStatus.PLANNED,),
        )[:30]
    )
    case_role = may(request, CASES)
    registrations = my_registrations(actor=actor, open_only=True) if case_role else []
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
            "feed": calendar_feed_active(actor=actor),
            "new_feed_url": new_feed_url,
            "new_feed_webcal": "webcal://" + new_feed_url.split("://", 1)[1] if new_feed_url else "",
        },
    )
    if new_feed_token:
        response["Cache-Control"] = "no-store"
    return response


@requires(USE)
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """Make a new subscription link (the old one stops working) and show it, once, on the start page.

    The page is rendered in this response instead of after a redirect: only the hash of the token
    is stored, so the link exists nowhere else to show on a later page.
    """
    actor = acting(request)
    token = or_404(calendar_services.calendar_feed_create, actor=actor)
    return _index_page(request, actor, new_feed_token=token)
