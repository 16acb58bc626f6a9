"""The municipal figures of the meldcode as a page and as CSV (written through :mod:`keten.core.exports`).

For the beleidsmedewerker (``core.view_aggregates``); counts only (see :mod:`.selectors`). The page
and the export are audited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from keten.core import audit
from keten.core.access import requires
from keten.core.actor import Actor, actor_from_request
from keten.core.exports import csv_response, hidden_legend
from keten.core.models import AuditAction
from keten.core.smallcells import HIDDEN_MARK
from keten.meldcode.figures.selectors import COLUMNS, Figures, meldcode_figures


def _figures(request: HttpRequest) -> tuple[Actor, Figures]:
    actor = actor_from_request(request)
    return actor, meldcode_figures(actor=actor)


@requires("core.view_aggregates")
@require_GET
def figures_view(request: HttpRequest) -> HttpResponse:
    """/meldcode/cijfers/ — tables and a chart of the municipality's meldcode figures."""
    actor, figures = _figures(request)
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="figures", object_id="meldcode")
    return render(request, "meldcode/cijfers/index.html", {"figures": figures})


def _csv_value(value: int | float | None, hidden: str) -> str | int:
    if value is None:
        return hidden
    return f"{value:g}" if isinstance(value, float) else value


@requires("core.view_aggregates")
@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    """/meldcode/cijfers.csv — the same figures as CSV (semicolons, for Dutch spreadsheets). Audited."""
    actor, figures = _figures(request)
    hidden = HIDDEN_MARK
    headers = [str(label) for _key, label in COLUMNS]
    rows: list[list[Any]] = [
        [_("Totaal"), *headers],
        [figures.municipality, *(_csv_value(figures.totals[k], hidden) for k, _l2 in COLUMNS)],
    ]
    for title, table in ((_("Soort organisatie"), figures.by_org_type), (_("Wijk"), figures.by_wijk)):
        rows += [[], [title, *headers]]
        rows += [[row.label, *(_csv_value(row.cells[k], hidden) for k, _l2 in COLUMNS)] for row in table]
    for title, table in ((_("Open trajecten per stap"), figures.by_step), (_("Besluit"), figures.by_outcome)):
        rows += [[], [title, _("Aantal")]]
        rows += [[row.label, _csv_value(row.cells["n"], hidden)] for row in table]
    rows += [[], hidden_legend(figures.small_cell)]
    response = csv_response(rows, filename="keten-meldcode-cijfers.csv")
    audit.record(actor=actor, action=AuditAction.EXPORT, object_type="figures", object_id="meldcode.csv")
    return response
