"""Reading an uploaded CSV or XLSX file into records: (row number, cells per column key)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from keten.core.errors import DomainError, NotFoundError
from keten.core.exports import (
    XlsxReader,
    unescape_formula,
)
from keten.network.importing.columns import COLUMNS, KINDS, header_key

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 30
MAX_CELL_LENGTH = 2000
#: An XLSX file is a zip archive: refuse one that unpacks to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
#: The parsed rows wait in the session between preview and confirmation: keep them small.
MAX_TEXT_CHARS = 4 * 1024 * 1024


class ImportFileError(DomainError):
    """The file as a whole cannot be read (wrong type, too large, bad header)."""


Record = tuple[int, dict[str, str]]


def _unescape(value: str) -> str:
    """Undo the quote an export put before a formula-like cell, and trim the cell."""
    return unescape_formula(value.strip()).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("Het bestand heeft meer dan %(n)d rijen. Splits het in kleinere bestanden.") % {"n": MAX_ROWS},
        field="file",
    )


def _read_csv(content: bytes) -> list[list[str]]:
    if content.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("Dit is geen CSV-bestand. Kies een .csv- of .xlsx-bestand."), field="file")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Het bestand is niet in UTF-8 opgeslagen. Kies in Excel bij 'Opslaan als' voor 'CSV UTF-8'."),
            field="file",
        ) from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error as exc:
        raise ImportFileError(
            _("Het CSV-bestand kan niet worden gelezen: controleer de aanhalingstekens."), field="file"
        ) from exc
    return rows


def _read_xlsx(content: bytes) -> list[list[str]]:
    unreadable = ImportFileError(
        _("Het Excel-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx-bestand."), field="file"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _("Het Excel-bestand is uitgepakt te groot. Splits het in kleinere bestanden."), field="file"
        )
    try:
        reader = XlsxReader(content)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise unreadable from exc
    with reader:
        rows: list[list[str]] = []
        for values in reader.rows(max_col=MAX_COLUMNS):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
        return rows


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV (UTF-8, ``;`` or ``,``, BOM allowed) or XLSX file (first sheet)."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("Het bestand is groter dan %(mb)d MB. Splits het in kleinere bestanden.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            field="file",
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _read_xlsx(content)
    if extension in ("csv", "txt"):
        return _read_csv(content)
    raise ImportFileError(_("Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."), field="file")


def records_from_table(kind: str, rows: Sequence[Sequence[str]]) -> list[Record]:
    """Map the header row to column keys; return (row number, cells) for every non-empty data row."""
    columns = COLUMNS[kind]
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            lookup[header_key(name)] = column.key
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise ImportFileError(_("Het bestand is leeg."), field="file")
    header = rows[header_index]
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = header_key(_unescape(title))
        if not key:
            continue
        column_key = lookup.get(key)
        if column_key is None:
            unknown.append(title.strip())
        elif column_key in mapping:
            raise ImportFileError(
                _("De kolom '%(column)s' staat twee keer in de kopregel.") % {"column": title.strip()}, field="file"
            )
        else:
            mapping[column_key] = index
    if unknown:
        raise ImportFileError(
            _("Onbekende kolommen in de kopregel: %(columns)s. Gebruik de kolommen uit het voorbeeldbestand.")
            % {"columns": ", ".join(f"'{u}'" for u in unknown)},
            field="file",
        )
    missing = [c.header for c in columns if c.required and c.key not in mapping]
    if missing:
        raise ImportFileError(
            _("De kopregel mist de verplichte kolommen: %(columns)s.") % {"columns": ", ".join(missing)}, field="file"
        )
    records: list[Record] = []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {key: _unescape(row[index]) if index < len(row) else "" for key, index in mapping.items()}
        if any(cells.values()):
            records.append((offset, cells))
    if not records:
        raise ImportFileError(_("Het bestand heeft een kopregel maar geen rijen met gegevens."), field="file")
    if sum(len(value) for _number, cells in records for value in cells.values()) > MAX_TEXT_CHARS:
        raise ImportFileError(_("Het bestand bevat te veel tekst. Splits het in kleinere bestanden."), field="file")
    if len(records) > MAX_ROWS:
        raise _too_many_rows()
    return records


def read_upload(kind: str, content: bytes, filename: str) -> list[Record]:
    """Read an uploaded file of ``kind`` into records; ImportFileError (Dutch) when it cannot be used."""
    if kind not in KINDS:
        raise NotFoundError
    return records_from_table(kind, read_table(content, filename))
