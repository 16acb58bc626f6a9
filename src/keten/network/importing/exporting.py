"""Exporting the sociale kaart of a municipality as CSV or XLSX (through keten.core.exports); empty import files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch

from keten.accounts.models import Membership, Organisation, OrganisationType, Role, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    csv_bytes,
    xlsx_bytes,
)
from keten.core.models import AuditAction
from keten.network.importing.columns import KINDS, ORGANISATIONS, POSTCODE_RANGES, PROFESSIONALS, dutch_label, headers
from keten.network.importing.rows import entry_values
from keten.network.importing.scope import import_municipality_id
from keten.network.models import PostcodeRange


def _organisation_rows(municipality_id: int) -> list[list[str]]:
    organisations = (
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.order_by("name")))
        .order_by("name")
    )
    rows = []
    for organisation in organisations:
        entry = entry_values(getattr(organisation, "entry", None))
        rows.append(
            [
                organisation.name,
                dutch_label(OrganisationType.choices, organisation.type),
                ", ".join(w.name for w in organisation.wijken.all()),
                entry["description"],
                entry["visiting_address"],
                entry["postcode"],
                entry["phone"],
                entry["secure_email"],
                entry["website"],
                entry["opening_hours"],
                ", ".join(entry["expertise"]),
                "" if entry["age_min"] is None else str(entry["age_min"]),
                "" if entry["age_max"] is None else str(entry["age_max"]),
                "ja" if entry["is_public"] else "nee",
            ]
        )
    return rows


def _professional_rows(municipality_id: int) -> list[list[str]]:
    memberships = (
        Membership.objects.filter(
            organisation__municipality_id=municipality_id,
            organisation__is_active=True,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user", "organisation", "team")
        .order_by("user__last_name", "user__first_name", "user__email", "organisation__name", "role")
    )
    return [
        [
            m.user.first_name,
            m.user.last_name,
            m.user.email,
            m.user.phone,
            m.organisation.name,
            dutch_label(Role.choices, m.role),
            m.team.name if m.team else "",
        ]
        for m in memberships
    ]


def _postcode_range_rows(municipality_id: int) -> list[list[str]]:
    ranges = (
        PostcodeRange.objects.filter(wijk__municipality_id=municipality_id).select_related("wijk").order_by("start")
    )
    return [[r.wijk.name, str(r.start), str(r.end)] for r in ranges]


_EXPORTERS = {
    ORGANISATIONS: _organisation_rows,
    PROFESSIONALS: _professional_rows,
    POSTCODE_RANGES: _postcode_range_rows,
}

CSV_TYPE = CSV_CONTENT_TYPE
XLSX_TYPE = XLSX_CONTENT_TYPE


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """CSV through :mod:`keten.core.exports` (formula-like cells get a leading quote), with a BOM."""
    return csv_bytes([list(header), *(list(row) for row in rows)], bom=True)


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> bytes:
    """XLSX through :mod:`keten.core.exports`: every cell text, never a formula."""
    return xlsx_bytes([Sheet(title, list(header), [[str(value) for value in row] for row in rows])])


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    rows: int


def _file(kind: str, fmt: str, header: Sequence[str], rows: list[list[str]], stem: str) -> ExportFile:
    if fmt == "csv":
        return ExportFile(to_csv(header, rows), CSV_TYPE, f"{stem}.csv", len(rows))
    if fmt == "xlsx":
        return ExportFile(to_xlsx(header, rows, title=kind), XLSX_TYPE, f"{stem}.xlsx", len(rows))
    raise NotFoundError


def export_file(*, actor: Actor, kind: str, fmt: str) -> ExportFile:
    """The organisations, professionals or postcode ranges of the own municipality as CSV or XLSX (audited)."""
    municipality_id = import_municipality_id(actor)
    if kind not in KINDS or fmt not in ("csv", "xlsx"):
        raise NotFoundError
    rows = _EXPORTERS[kind](municipality_id)
    exported = _file(kind, fmt, headers(kind), rows, f"keten-{kind}")
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="export",
        object_id=kind,
        details={"kind": kind, "format": fmt, "rows": len(rows)},
    )
    return exported


def template_file(*, actor: Actor, kind: str, fmt: str) -> ExportFile:
    """An empty import file with the header row (no data, so not audited)."""
    import_municipality_id(actor)
    if kind not in KINDS:
        raise NotFoundError
    return _file(kind, fmt, headers(kind), [], f"keten-{kind}-voorbeeld")
