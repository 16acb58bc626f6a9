"""The own notifications of a signed-in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from keten.core.access import signed_in
from keten.notifications.selectors import notifications_for
from keten.notifications.services import notifications_mark_all_read


@signed_in("everyone signed in has notifications; the row filter shows only the person's own")
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = list(notifications_for(user=request.user)[:100])  # type: ignore[arg-type]
    return render(request, "notifications/list.html", {"items": items})


@signed_in("marks only the person's own notifications as read")
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")
