"""Samenwerking in beeld: the municipal gap view per wijk, as a web page, CSV and XLSX.

Views translate HTTP to the selectors in :mod:`keten.network.gaps.selectors` (which audit every view
and export); they hold no rules. The exports are built in :mod:`keten.network.gaps.exports`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keten.core.access import may, requires
from keten.core.actor import actor_from_request
from keten.network.gaps.exports import gaps_csv, gaps_xlsx
from keten.network.gaps.report import PairState
from keten.network.gaps.selectors import gaps_for_export, gaps_for_page


@requires("network.view_gaps")
@require_GET
def overview(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    report = gaps_for_page(actor=actor_from_request(request), wijk_id=wijk_id)
    context = {
        "report": report,
        "graph": report.graph_data(),
        "PairState": {state.name: state.value for state in PairState},
        "may_manage_agreements": may(request, "network.manage_agreements"),
    }
    return render(request, "network/gaps/overview.html", context)


@requires("network.view_gaps")
@require_GET
def export_csv(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    return gaps_csv(gaps_for_export(actor=actor_from_request(request), wijk_id=wijk_id, fmt="csv"))


@requires("network.view_gaps")
@require_GET
def export_xlsx(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    return gaps_xlsx(gaps_for_export(actor=actor_from_request(request), wijk_id=wijk_id, fmt="xlsx"))
