"""What the CSV and XLSX exports of Samenwerking in beeld hold: organisations, agreements and counts only.

No client data and no names of professionals. The files are written by :mod:`keten.core.exports`
(formulas neutralised); the views only pick the format.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from keten.core.exports import Cell, Sheet, csv_response, xlsx_response
from keten.network.gaps.report import GapReport, PairState, type_label


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
                ", ".join(p.name for p in a.parties),
                ", ".join(a.wijk_names) or _("hele gemeente"),
                a.review_date,
                a.days_overdue,
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
                ", ".join(o.wijk_names) or _("hele gemeente"),
                timezone.localdate(o.last_confirmed_at) if o.last_confirmed_at else _("nooit"),
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


def gaps_csv(report: GapReport) -> HttpResponse:
    """Every table below the previous one, each under its title, with a byte order mark for the accents."""
    rows: list[list[Cell]] = []
    for index, table in enumerate(export_tables(report)):
        rows += [[]] if index else []
        rows += [[table.title], list(table.header), *table.rows]
    return csv_response(rows, filename=_filename(report, "csv"), bom=True)


def gaps_xlsx(report: GapReport) -> HttpResponse:
    """One worksheet per table."""
    tables = export_tables(report)
    return xlsx_response([Sheet(t.title, t.header, t.rows) for t in tables], filename=_filename(report, "xlsx"))
