"""The municipality's figures of its overleggen."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keten.core.access import requires
from keten.core.pages import or_404
from keten.core.smallcells import SMALL_CELL
from keten.overleg.figures import selectors
from keten.overleg.pages import acting


@requires("core.view_aggregates")
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Per overleg: counts and lead times only, small cells hidden."""
    rows = or_404(selectors.municipality_aggregates, actor=acting(request))
    for row in rows:
        row["agreement_cells"] = [
            row["agreements_made"],
            row["agreements_done_on_time"],
            row["agreements_done_late"],
            row["agreements_open"],
            row["agreements_overdue"],
        ]
    return render(request, "overleg/figures.html", {"rows": rows, "small_cell": SMALL_CELL})
