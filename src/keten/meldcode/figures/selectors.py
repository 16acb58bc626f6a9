"""Municipal figures of the meldcode: counts only, per organisation type and per wijk.

For the beleidsmedewerker (``core.view_aggregates``) of a municipality: the trajecten of
organisations in their own municipality. No names, pseudonyms, references or free text ever leave
this module; every count under ``SMALL_CELL`` is hidden (None), together with the complementary
cells that would let it be derived from a total (:mod:`keten.core.smallcells`), and a median is
shown only when it rests on at least ``SMALL_CELL`` decided trajecten. The page and the CSV export
(:mod:`.views`) are audited.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from keten.accounts.models import OrganisationType, Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.core.smallcells import SMALL_CELL, hide_small, suppress
from keten.meldcode.models import Status, Step, Traject

OUTCOME_LABELS = {
    "afsluiten": _l("Afgesloten: geen vermoeden meer"),
    "hulp": _l("Hulp"),
    "melden": _l("Melding"),
    "melden_en_hulp": _l("Melding en hulp"),
    "kindcheck_negatief": _l("Kindcheck negatief"),
    "afgesloten": _l("Afgesloten zonder besluit"),
}

#: The columns of the tables per organisation type and per wijk, in order (the last is the median).
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("started", _l("Gestart")),
    ("open", _l("Open (nog geen besluit)")),
    ("hulp", _l("Hulp loopt")),
    ("gemeld", _l("Gemeld bij Veilig Thuis")),
    ("afgesloten", _l("Afgesloten")),
    ("meldingen", _l("Meldingen")),
    ("overdue", _l("Terugkoppeling Veilig Thuis te laat")),
    ("median_days", _l("Mediaan dagen van eerste signaal tot besluit")),
)


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if len(values) >= SMALL_CELL else None


@dataclass
class Row:
    label: str
    cells: dict[str, int | float | None]

    @property
    def ordered(self) -> list[tuple[str, int | float | None]]:
        """The cells in the order of COLUMNS (for the templates)."""
        return [(key, self.cells.get(key)) for key, _label in COLUMNS]


@dataclass
class Figures:
    municipality: str
    small_cell: int
    totals: dict[str, int | float | None]
    by_step: list[Row]
    by_outcome: list[Row]
    by_org_type: list[Row]
    by_wijk: list[Row]
    generated_at: datetime
    columns: tuple[tuple[str, Any], ...] = field(default=COLUMNS)

    @property
    def totals_ordered(self) -> list[tuple[str, Any, int | float | None]]:
        return [(key, label, self.totals.get(key)) for key, label in COLUMNS]


def _municipality_id(actor: Actor) -> int:
    if actor.user is None or actor.membership is None or not allows("core.view_aggregates", actor):
        raise NotFoundError
    return int(actor.membership.organisation.municipality_id)


def _counts() -> dict[str, Any]:
    today = timezone.localdate()
    overdue = Q(melding_on__isnull=False, vt_feedback_on__isnull=True, vt_feedback_due__lt=today) & ~Q(
        status=Status.AFGESLOTEN
    )
    return {
        "started": Count("id"),
        "open": Count("id", filter=Q(status=Status.OPEN)),
        "hulp": Count("id", filter=Q(status=Status.HULP)),
        "gemeld": Count("id", filter=Q(status__in=[Status.GEMELD, Status.GEMELD_EN_HULP])),
        "afgesloten": Count("id", filter=Q(status=Status.AFGESLOTEN)),
        "meldingen": Count("id", filter=Q(melding_on__isnull=False)),
        "overdue": Count("id", filter=overdue),
    }


#: The count columns; every trajecten is in exactly one of the four statuses that add up to "started".
COUNT_KEYS = [key for key, _label in COLUMNS[:-1]]
STATUS_PARTS = ("open", "hulp", "gemeld", "afgesloten")


def _shown_cells(
    rows: dict[Any, dict[str, Any]], steps: dict[Any, int]
) -> tuple[dict[tuple[Any, ...], int | None], list[Any], list[Any]]:
    """All counts of the page with small cells and their complements hidden.

    ``rows`` maps ("total",), ("type", t) and ("wijk", w) to their raw counts. Groups: each column
    over the organisation types and over the wijken with the totals row; each row's four statuses
    with its "started"; the open trajecten per step with the open total.
    """
    counts = {(*row, key): int(raw.get(key, 0)) for row, raw in rows.items() for key in COUNT_KEYS}
    counts.update({("step", step): int(n) for step, n in steps.items()})
    types = [row for row in rows if row[0] == "type"]
    wijken = [row for row in rows if row[0] == "wijk"]
    groups: list[list[tuple[Any, ...]]] = []
    for key in COUNT_KEYS:
        groups.append([*((*row, key) for row in types), ("total", key)])
        groups.append([*((*row, key) for row in wijken), ("total", key)])
    for row in rows:
        groups.append([*((*row, key) for key in STATUS_PARTS), (*row, "started")])
    groups.append([*(("step", step) for step in steps), ("total", "open")])
    return suppress(counts, groups), types, wijken


def _cells(shown: dict[tuple[Any, ...], int | None], row: tuple[Any, ...], durations: list[int]) -> dict[str, Any]:
    cells: dict[str, int | float | None] = {key: shown[(*row, key)] for key in COUNT_KEYS}
    cells["median_days"] = _median(durations)
    return cells


def _days(first: date, decided: datetime) -> int:
    return max(0, (timezone.localtime(decided).date() - first).days)


def meldcode_figures(*, actor: Actor) -> Figures:
    """The figures of the actor's municipality (six queries, whatever the number of trajecten)."""
    municipality_id = _municipality_id(actor)
    trajecten = Traject.objects.filter(organisation__municipality_id=municipality_id)
    counts = _counts()

    totals_raw = trajecten.aggregate(**counts)
    by_type_raw: dict[Any, dict[str, Any]] = {
        row["organisation__type"]: dict(row)
        for row in trajecten.values("organisation__type").annotate(**counts).order_by()
    }
    by_wijk_raw: dict[Any, dict[str, Any]] = {
        row["dossier__family__wijk_id"]: dict(row)
        for row in trajecten.values("dossier__family__wijk_id").annotate(**counts).order_by()
    }
    steps = dict(trajecten.filter(status=Status.OPEN).values_list("current_step").annotate(n=Count("id")).order_by())
    outcomes = dict(trajecten.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by())
    durations: dict[str, list[int]] = {"*": []}
    for org_type, wijk_id, first, decided in trajecten.filter(
        first_signal_on__isnull=False, decided_at__isnull=False
    ).values_list("organisation__type", "dossier__family__wijk_id", "first_signal_on", "decided_at"):
        if first is None or decided is None:
            continue
        days = _days(first, decided)
        durations["*"].append(days)
        durations.setdefault(f"t:{org_type}", []).append(days)
        durations.setdefault(f"w:{wijk_id}", []).append(days)

    type_labels = dict(OrganisationType.choices)
    wijken = list(Wijk.objects.filter(municipality_id=municipality_id).order_by("name").values_list("id", "name"))
    own_wijken = {wid for wid, _name in wijken}
    # Families without a wijk, or living in another municipality's wijk, form one row "Wijk onbekend",
    # so that the wijk rows add up to the totals.
    other_wijk: dict[str, Any] = {}
    for wid, raw in by_wijk_raw.items():
        if wid not in own_wijken:
            for key in COUNT_KEYS:
                other_wijk[key] = other_wijk.get(key, 0) + int(raw.get(key, 0))
            durations.setdefault("w:other", []).extend(durations.get(f"w:{wid}", []))
    rows: dict[tuple[Any, ...], dict[str, Any]] = {("total",): totals_raw}
    for t, raw in sorted(by_type_raw.items(), key=lambda item: str(type_labels.get(item[0], item[0]))):
        rows[("type", t)] = raw
    for wid, _name in wijken:
        rows[("wijk", wid)] = by_wijk_raw.get(wid, {})
    if other_wijk:
        rows[("wijk", "other")] = other_wijk
    shown, type_rows, wijk_rows = _shown_cells(rows, {step.value: steps.get(step.value, 0) for step in Step})
    wijk_names: dict[Any, str] = {**dict(wijken), "other": _("Wijk onbekend")}
    municipality = actor.membership.organisation.municipality.name if actor.membership else ""
    return Figures(
        municipality=municipality,
        small_cell=SMALL_CELL,
        totals=_cells(shown, ("total",), durations["*"]),
        by_step=[Row(str(step.label), {"n": shown[("step", step.value)]}) for step in Step],
        by_outcome=[Row(str(label), {"n": hide_small(outcomes.get(key, 0))}) for key, label in OUTCOME_LABELS.items()],
        by_org_type=[
            Row(str(type_labels.get(row[1], row[1])), _cells(shown, row, durations.get(f"t:{row[1]}", [])))
            for row in type_rows
        ],
        by_wijk=[Row(wijk_names[row[1]], _cells(shown, row, durations.get(f"w:{row[1]}", []))) for row in wijk_rows],
        generated_at=timezone.localtime(),
    )
