from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from keten.notifications.selectors import notifications_for
from keten.notifications.services import notifications_mark_all_read


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = list(notifications_for(user=request.user)[:100])  # type: ignore[arg-type]
    return render(request, "notifications/list.html", {"items": items})


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")
