"""The beheer start page: what the beheerder manages, in numbers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keten.accounts import selectors
from keten.accounts.models import Role
from keten.core.access import requires
from keten.core.actor import actor_from_request


@requires("accounts.manage")
@require_GET
def beheer(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    role_labels = dict(Role.choices)
    summary = selectors.beheer_summary(actor=actor)
    roles = [{"label": role_labels.get(r["role"], r["role"]), "n": r["n"]} for r in summary.get("roles", [])]
    return render(request, "accounts/beheer.html", {"summary": summary, "roles": roles})
