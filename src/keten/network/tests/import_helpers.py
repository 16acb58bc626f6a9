"""Shared set-up of the sociale kaart import tests: upload files and reading their rows."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.network.importing import reading
from keten.network.importing.rows import Preview, RowResult

ActorOf = Callable[[User], Actor]


ORG_HEADER = (
    "naam;soort;wijken;postcode;telefoon;beveiligde e-mail;website;expertise;"
    "leeftijd vanaf;leeftijd tot en met;openbaar"
)


def csv_upload(text: str, *, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_upload(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_records(kind: str, text: str) -> list[reading.Record]:
    return reading.read_upload(kind, csv_upload(text), "import.csv")


def rows_by_number(preview: Preview) -> dict[int, RowResult]:
    return {row.number: row for row in preview.rows}
