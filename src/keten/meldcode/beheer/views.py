"""Checklist beheer for the functioneel beheerder of a gemeente: versions, items, and publishing a new version.

Anyone without ``meldcode.manage_checklists`` (the beheerder of any other organisation included) gets
404 on every page here, asked before the HTTP method. The beheerder sees the national versions
(read-only) and those of their own municipality (``meldcode.view_checklist``, row filter
``rules.checklists_visible_to``); a version of another municipality is 404. Publishing goes through
``services.checklist_publish`` (audited) and always makes a version of the own municipality, whether
it starts from a national or a municipal version; older versions stay unchanged for the trajecten
that use them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts.models import OrganisationType
from keten.core.access import may, requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.pages import or_404, submit
from keten.meldcode.beheer import selectors, services
from keten.meldcode.beheer.forms import ChecklistPublishForm
from keten.meldcode.models import Checklist


def _type_label(value: str) -> str:
    return str(dict(OrganisationType.choices).get(value, value)) if value else _("Alle soorten organisaties")


def _scope_label(checklist: Checklist) -> str:
    if checklist.municipality is None:
        return _("Landelijke versie")
    return _("Versie van gemeente %(name)s") % {"name": checklist.municipality.name}


@requires("meldcode.manage_checklists")
@require_GET
def checklist_list(request: HttpRequest) -> HttpResponse:
    """The national checklists and those of the own municipality, grouped per kind, organisation type and
    national/municipal, newest version first (three queries)."""
    groups: dict[tuple[str, str, bool], dict[str, Any]] = {}
    for version in selectors.checklist_versions(actor=actor_from_request(request)):
        checklist = version.checklist
        key = (checklist.kind, checklist.organisation_type, checklist.municipality_id is None)
        group = groups.setdefault(
            key,
            {
                "kind": checklist.get_kind_display(),
                "organisation_type": _type_label(checklist.organisation_type),
                "scope": _scope_label(checklist),
                "national": checklist.municipality_id is None,
                "versions": [],
            },
        )
        group["versions"].append(version)
    return render(request, "meldcode/beheer/checklist_list.html", {"groups": list(groups.values())})


def _checklist(request: HttpRequest, pk: int) -> Checklist:
    """A version the beheerder may read (national, or of the own municipality); 404 for any other."""
    return or_404(selectors.checklist_get, actor=actor_from_request(request), pk=pk)


@requires("meldcode.manage_checklists")
@require_GET
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = _checklist(request, pk)
    return render(
        request,
        "meldcode/beheer/checklist_detail.html",
        {
            "checklist": checklist,
            "type_label": _type_label(checklist.organisation_type),
            "scope_label": _scope_label(checklist),
            "is_newest": selectors.is_newest(checklist),
            "is_own": may(request, "meldcode.manage_checklist", checklist),
        },
    )


def _publish(request: HttpRequest, data: dict[str, Any]) -> Checklist:
    try:
        return services.checklist_publish(
            actor=actor_from_request(request),
            kind=data["kind"],
            organisation_type=data["organisation_type"] or "",
            title=data["title"],
            items=data["items"],
        )
    except DomainError as exc:
        if exc.field == "items":  # the items are edited in the text field
            exc.field = "items_text"
        raise


@requires("meldcode.manage_checklists")
@require_http_methods(["GET", "POST"])
def checklist_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version for the own municipality, starting from version ``pk`` (national or the
    municipality's own; for its own or another organisation type)."""
    source = _checklist(request, pk)  # 404 before any form is read when the version is not theirs to read
    form = ChecklistPublishForm(request.POST if request.method == "POST" else None, source=source)
    status = 200
    if request.method == "POST":
        outcome = submit(form, lambda d: _publish(request, d))
        if outcome.ok and outcome.value is not None:
            checklist = outcome.value
            messages.success(
                request,
                _(
                    "Versie %(v)d van ‘%(title)s’ is gepubliceerd voor gemeente %(gemeente)s. Nieuwe trajecten "
                    "in uw gemeente gebruiken deze versie; de landelijke versie blijft ongewijzigd."
                )
                % {"v": checklist.version, "title": checklist.title, "gemeente": checklist.municipality},
            )
            return redirect("meldcode:checklist", pk=checklist.pk)
        status = 422
    return render(
        request,
        "meldcode/beheer/checklist_publish.html",
        {
            "form": form,
            "source": source,
            "type_label": _type_label(source.organisation_type),
            "scope_label": _scope_label(source),
        },
        status=status,
    )
