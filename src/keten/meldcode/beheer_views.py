"""Checklist beheer for the functioneel beheerder: versions, items, and publishing a new version.

Anyone without ``meldcode.manage_checklists`` gets 404 on every page here, asked before the HTTP
method. Publishing goes through ``services.checklist_publish`` (audited); older versions stay
unchanged for the trajecten that use them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts.models import OrganisationType
from keten.core.access import requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.forms import apply_domain_error
from keten.meldcode import services
from keten.meldcode.beheer_forms import ChecklistPublishForm
from keten.meldcode.models import Checklist, Traject


def _type_label(value: str) -> str:
    return str(dict(OrganisationType.choices).get(value, value)) if value else _("Alle soorten organisaties")


@requires("meldcode.manage_checklists")
@require_GET
def checklist_list(request: HttpRequest) -> HttpResponse:
    """All checklists, grouped per kind and organisation type, newest version first (two queries)."""
    rows = list(Checklist.objects.select_related("created_by").order_by("kind", "organisation_type", "-version"))
    used_by = dict(Traject.checklists.through.objects.values_list("checklist_id").annotate(n=Count("id")).order_by())
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for checklist in rows:
        key = (checklist.kind, checklist.organisation_type)
        group = groups.setdefault(
            key,
            {
                "kind": checklist.get_kind_display(),
                "organisation_type": _type_label(checklist.organisation_type),
                "versions": [],
            },
        )
        checklist.item_count = len(checklist.items)  # type: ignore[attr-defined]
        checklist.used_by = used_by.get(checklist.pk, 0)  # type: ignore[attr-defined]
        group["versions"].append(checklist)
    return render(request, "meldcode/beheer/checklist_list.html", {"groups": list(groups.values())})


def _checklist(pk: int) -> Checklist:
    checklist = Checklist.objects.select_related("created_by").filter(pk=pk).first()
    if checklist is None:
        raise Http404
    return checklist


@requires("meldcode.manage_checklists")
@require_GET
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = _checklist(pk)
    newest = (
        Checklist.objects.filter(kind=checklist.kind, organisation_type=checklist.organisation_type)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return render(
        request,
        "meldcode/beheer/checklist_detail.html",
        {
            "checklist": checklist,
            "type_label": _type_label(checklist.organisation_type),
            "is_newest": newest == checklist.version,
        },
    )


@requires("meldcode.manage_checklists")
@require_http_methods(["GET", "POST"])
def checklist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version, starting from version ``pk`` (for its own or another organisation type)."""
    source = _checklist(pk)
    form = ChecklistPublishForm(request.POST if request.method == "POST" else None, source=source)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                checklist = services.checklist_publish(
                    actor=actor_from_request(request),
                    kind=data["kind"],
                    organisation_type=data["organisation_type"] or "",
                    title=data["title"],
                    items=data["items"],
                )
            except DomainError as exc:
                if exc.field == "items":
                    exc.field = "items_text"
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Versie %(v)d van ‘%(title)s’ is gepubliceerd. Nieuwe trajecten gebruiken deze versie.")
                    % {"v": checklist.version, "title": checklist.title},
                )
                return redirect("meldcode:checklist", pk=checklist.pk)
    return render(
        request,
        "meldcode/beheer/checklist_publish.html",
        {"form": form, "source": source, "type_label": _type_label(source.organisation_type)},
        status=status,
    )
