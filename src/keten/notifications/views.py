"""The own notifications of a signed-in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from keten.accounts.models import User
from keten.core.access import signed_in
from keten.notifications.selectors import notifications_for
from keten.notifications.services import notifications_mark_all_read


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # @signed_in: only someone signed in gets here
    return user


@signed_in("everyone signed in has notifications; the row filter shows only the person's own")
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = list(notifications_for(user=_signed_in_user(request))[:100])
    return render(request, "notifications/list.html", {"items": items})


@signed_in("marks only the person's own notifications as read")
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=_signed_in_user(request))
    return redirect("notifications:list")
