"""Samenwerking in beeld: the municipal gap view per wijk, as a web page, CSV and XLSX.

Views translate HTTP to the selector in :mod:`keten.network.gaps`; they hold no rules. The exports
contain organisations, agreements and counts only (no client data, no names of professionals), are
written through :mod:`keten.core.exports` (formulas neutralised) and each one writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from keten.core.access import may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.audit import record
from keten.core.exports import Sheet, csv_response, xlsx_response
from keten.core.models import AuditAction
from keten.network.gaps import GapReport, PairState, network_gaps, type_label

Cell = str | int | date | None


def _report(request: HttpRequest, wijk_id: int | None) -> tuple[Actor, GapReport]:
    """The report of the actor's municipality, or of one of its wijken (NotFoundError, so 404, for another)."""
    actor = actor_from_request(request)
    return actor, network_gaps(actor=actor, wijk_id=wijk_id)


@requires("network.view_gaps")
@require_GET
def overview(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    actor, report = _report(request, wijk_id)
    # No client data here, but the municipality's picture of its network is recorded like every read.
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="network_gaps",
        object_id=report.scope.pk if report.scope is not None else report.municipality.pk,
        details={"wijk": report.scope.name if report.scope is not None else ""},
    )
    context = {
        "report": report,
        "graph": report.graph_data(),
        "PairState": {state.name: state.value for state in PairState},
        "may_manage_agreements": may(request, "network.manage_agreements"),
    }
    return render(request, "network/gaps/overview.html", context)


@dataclass(frozen=True)
class Table:
    """One section of an export: a title (sheet name), a header row and data rows."""

    title: str
    header: list[str]
    rows: list[list[Cell]]


def _pair_state_label(state: PairState) -> str:
    return {
        PairState.COVERED: _("Afspraak"),
        PairState.MISSING: _("Geen afspraak"),
        PairState.NOT_APPLICABLE: _("Soort ontbreekt"),
    }[state]


def _yes_no(value: bool) -> str:
    return _("ja") if value else _("nee")


def export_tables(report: GapReport) -> list[Table]:
    """The content of the CSV and XLSX exports: organisations, agreements and counts only."""
    s = report.summary
    summary = Table(
        _("Samenvatting"),
        [_("Onderdeel"), _("Waarde")],
        [
            [_("Gemeente"), report.municipality.name],
            [_("Wijk"), report.scope.name if report.scope else _("Alle wijken")],
            [_("Gemaakt op"), timezone.localtime(report.generated_at).strftime("%d-%m-%Y %H:%M")],
            [_("Wijken"), s.wijken],
            [_("Organisaties"), s.organisations],
            [_("Actieve afspraken"), s.agreements],
            [_("Sleutelsoorten aanwezig (wijk × soort)"), s.present_types],
            [_("Sleutelsoorten die ontbreken (wijk × soort)"), s.missing_types],
            [_("Belangrijke samenwerkingen zonder afspraak (wijk × paar)"), s.pairs_without_agreement],
            [_("Afspraken voorbij de evaluatiedatum"), s.overdue_reviews],
            [_("Verouderde vermeldingen"), s.stale_entries],
        ],
    )
    types = Table(
        _("Soorten per wijk"),
        [_("Wijk"), *report.key_type_labels, _("Ontbrekende soorten")],
        [
            [
                w.wijk.name,
                *[len(t.organisations) for t in w.types],
                ", ".join(t.label for t in w.missing_types),
            ]
            for w in report.wijken
        ],
    )
    pairs = Table(
        _("Samenwerking per wijk"),
        [_("Wijk"), _("Soort"), _("Soort"), _("Status"), _("Aantal afspraken"), _("Afspraken"), _("Waarom belangrijk")],
        [
            [
                w.wijk.name,
                p.pair.label_a,
                p.pair.label_b,
                _pair_state_label(p.state)
                + (f" ({', '.join(p.absent_labels)})" if p.state == PairState.NOT_APPLICABLE else ""),
                len(p.agreements),
                "; ".join(a.title for a in p.agreements),
                p.pair.reason,
            ]
            for w in report.wijken
            for p in w.pairs
        ],
    )
    edges = Table(
        _("Afspraken tussen organisaties"),
        [
            _("Organisatie"),
            _("Soort"),
            _("Organisatie"),
            _("Soort"),
            _("Aantal afspraken"),
            _("Afspraken"),
            _("Evaluatie verlopen"),
        ],
        [
            [
                e.source.name,
                type_label(e.source.type),
                e.target.name,
                type_label(e.target.type),
                len(e.agreements),
                "; ".join(a.title for a in e.agreements),
                _yes_no(e.overdue),
            ]
            for e in report.edges
        ],
    )
    overdue = Table(
        _("Evaluatie verlopen"),
        [_("Afspraak"), _("Soort afspraak"), _("Partijen"), _("Wijken"), _("Evaluatiedatum"), _("Dagen te laat")],
        [
            [
                a.title,
                a.get_type_display(),
                ", ".join(p.name for p in a.party_list),  # type: ignore[attr-defined]
                ", ".join(a.wijk_names) or _("hele gemeente"),  # type: ignore[attr-defined]
                a.review_date,
                a.days_overdue,  # type: ignore[attr-defined]
            ]
            for a in report.overdue
        ],
    )
    stale = Table(
        _("Verouderde vermeldingen"),
        [_("Organisatie"), _("Soort"), _("Wijken"), _("Laatst bevestigd")],
        [
            [
                o.name,
                type_label(o.type),
                ", ".join(o.wijk_names) or _("hele gemeente"),  # type: ignore[attr-defined]
                timezone.localdate(o.last_confirmed_at) if o.last_confirmed_at else _("nooit"),  # type: ignore[attr-defined]
            ]
            for o in report.stale
        ],
    )
    return [summary, types, pairs, edges, overdue, stale]


def _filename(report: GapReport, extension: str) -> str:
    parts = ["samenwerking", slugify(report.municipality.name) or "gemeente"]
    if report.scope is not None:
        parts.append(slugify(report.scope.name) or str(report.scope.pk))
    parts.append(report.today.isoformat())
    return "-".join(parts) + "." + extension


def _audit_export(actor: Actor, report: GapReport, fmt: str) -> None:
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="network_gaps",
        object_id=report.scope.pk if report.scope is not None else report.municipality.pk,
        details={
            "format": fmt,
            "municipality": report.municipality.name,
            "wijk": report.scope.name if report.scope is not None else "",
        },
    )


@requires("network.view_gaps")
@require_GET
def export_csv(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    actor, report = _report(request, wijk_id)
    # A byte order mark, so that spreadsheet programs read the accents right.
    rows: list[list[Cell]] = []
    for index, table in enumerate(export_tables(report)):
        rows += [[]] if index else []
        rows += [[table.title], list(table.header), *table.rows]
    response = csv_response(rows, filename=_filename(report, "csv"), bom=True)
    _audit_export(actor, report, "csv")
    return response


@requires("network.view_gaps")
@require_GET
def export_xlsx(request: HttpRequest, wijk_id: int | None = None) -> HttpResponse:
    actor, report = _report(request, wijk_id)
    tables = export_tables(report)
    response = xlsx_response([Sheet(t.title, t.header, t.rows) for t in tables], filename=_filename(report, "xlsx"))
    _audit_export(actor, report, "xlsx")
    return response
