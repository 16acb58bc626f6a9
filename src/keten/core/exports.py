"""Every CSV and XLSX file Keten writes goes through this module (a test checks that no other module
uses ``csv.writer`` or openpyxl).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
leading tab or carriage return can hide one), so a name like ``=HYPERLINK("https://…")`` typed into an
organisation, a wijk or a free-text field would run on the computer of whoever opens the export.
Every text cell that starts with one of these characters gets a leading ``'``; numbers stay numbers.
In XLSX files text cells are moreover always stored as text, never as a formula.
Importers that read Keten's own exports back undo the quote with :func:`unescape_formula`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

#: Cell starts a spreadsheet program would run as a formula (or that hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What a cell may hold before it is written.
Cell = str | int | float | Decimal | date | datetime | bool | None
#: What a cell holds once written: text, a number or a date.
SafeCell = str | int | float | Decimal | date | datetime


def escape_formula(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with a quote, so it stays text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula` (for importers reading a Keten export back)."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS) else value


def cell(value: Cell | Any) -> SafeCell:
    """A value ready for a spreadsheet: numbers and dates as they are, everything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int | float | Decimal | date):
        return value
    return escape_formula(str(value))


def _csv_text(value: Cell | Any) -> SafeCell:
    safe = cell(value)
    if isinstance(safe, datetime):
        return timezone.localtime(safe).strftime("%d-%m-%Y %H:%M") if timezone.is_aware(safe) else safe.isoformat()
    if isinstance(safe, date):
        return safe.strftime("%d-%m-%Y")
    return safe


class SafeCsvWriter:
    """``csv.writer`` with semicolons (for Dutch spreadsheets) whose every cell goes through :func:`cell`."""

    def __init__(self, stream: IO[str] | HttpResponse, *, delimiter: str = ";", lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator=lineterminator)

    def writerow(self, row: Iterable[Cell | Any]) -> None:
        self._writer.writerow([_csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Cell | Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str] | HttpResponse, *, delimiter: str = ";") -> SafeCsvWriter:
    return SafeCsvWriter(stream, delimiter=delimiter)


def csv_text(rows: Iterable[Iterable[Cell | Any]], *, bom: bool = False) -> str:
    buffer = io.StringIO()
    csv_writer(buffer).writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def csv_bytes(rows: Iterable[Iterable[Cell | Any]], *, bom: bool = False) -> bytes:
    """The rows as UTF-8 CSV; ``bom`` makes Excel recognise the encoding."""
    return csv_text(rows, bom=bom).encode("utf-8")


def hidden_legend(small_cell: int) -> list[str]:
    """The last line of a figures CSV: what the mark of a hidden count means."""
    from keten.core.smallcells import HIDDEN_MARK

    return [
        _(
            "%(mark)s = niet getoond: een aantal onder de %(n)s, of een aantal waaruit zo'n klein aantal "
            "met een totaal te berekenen zou zijn."
        )
        % {"mark": HIDDEN_MARK, "n": small_cell}
    ]


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Iterable[Cell | Any]], *, filename: str, bom: bool = False) -> HttpResponse:
    """A download of the rows as CSV."""
    return _attachment(csv_bytes(rows, bom=bom), CSV_CONTENT_TYPE, filename)


@dataclass
class Sheet:
    """One worksheet of an XLSX file: a title (at most 31 characters are kept), a header and rows."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell | Any]] = field(default_factory=list)
    #: Column widths fitted to the content (capped); False keeps the program's default width.
    fit_widths: bool = True


def _width(value: SafeCell) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value))


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook: bold header row that stays in view, text never a formula, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet_spec in sheets:
        sheet = workbook.create_sheet(title=sheet_spec.title[:31])
        rows: list[list[SafeCell]] = [[cell(value) for value in row] for row in sheet_spec.rows]
        header: list[SafeCell] = [escape_formula(str(title)) for title in sheet_spec.header]
        if sheet_spec.fit_widths:
            for index in range(max([len(header), *(len(row) for row in rows)], default=0)):
                values = [row[index] for row in [header, *rows] if index < len(row) and row[index] != ""]
                width = max((_width(v) for v in values), default=8)
                sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 10), 60)
        sheet.freeze_panes = "A2"

        def written(value: SafeCell, *, font: Font | None = None, sheet: Any = sheet) -> Any:
            if isinstance(value, datetime) and timezone.is_aware(value):
                value = timezone.make_naive(timezone.localtime(value))
            target = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # Decimal and date are fine
            if isinstance(value, str):
                target.data_type = "s"  # text, whatever it starts with
            elif isinstance(value, datetime):
                target.number_format = "DD-MM-YYYY HH:MM"
            elif isinstance(value, date):
                target.number_format = "DD-MM-YYYY"
            if font is not None:
                target.font = font
            return target

        sheet.append([written(title, font=bold) for title in header])
        for row in rows:
            sheet.append([written(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(sheets: Sequence[Sheet], *, filename: str) -> HttpResponse:
    """A download of the sheets as XLSX."""
    return _attachment(xlsx_bytes(sheets), XLSX_CONTENT_TYPE, filename)


class XlsxReader:
    """An uploaded XLSX file, opened read-only (formulas are never run; their cached values are read).

    Opening raises what openpyxl raises for a file it cannot read (``zipfile.BadZipFile``,
    ``KeyError``, ``ValueError``, ``OSError``, ``TypeError``); the importer turns that into its own
    Dutch message. Use it as a context manager, so the file is closed.
    """

    def __init__(self, content: bytes) -> None:
        from openpyxl import load_workbook

        self._workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)

    def rows(self, *, max_col: int) -> Iterator[tuple[Any, ...]]:
        """The values of the first worksheet, row by row."""
        if not self._workbook.worksheets:
            return iter(())
        return self._workbook.worksheets[0].iter_rows(values_only=True, max_col=max_col)

    def close(self) -> None:
        self._workbook.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
