"""One row of an import as the preview shows it (status, changes, errors), and the checks of single cells."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from keten.network.importing.reading import MAX_CELL_LENGTH
from keten.network.kaart import services as kaart_services
from keten.network.kaart.selectors import normalise
from keten.network.models import OrganisationEntry

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
ERROR = "error"

#: A cell starting with one of these is a formula in a spreadsheet; exports prefix it with a quote.
_LIST_SPLIT = re.compile(r"[|,;\n]")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}


@dataclass
class RowResult:
    number: int
    label: str
    status: str = NEW
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    target_id: int | None = None

    def error(self, message: str) -> None:
        self.errors.append(_("Rij %(row)d: %(message)s") % {"row": self.number, "message": message})
        self.status = ERROR


@dataclass
class Preview:
    kind: str
    rows: list[RowResult]

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.status == ERROR for row in self.rows)

    @property
    def errors(self) -> list[str]:
        return [message for row in self.rows for message in row.errors]

    @property
    def writable_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.status in (NEW, CHANGED)]

    def digest(self) -> str:
        """A fingerprint of the classification, to see whether it changed between preview and confirm."""
        summary = [(r.number, r.status, r.target_id, r.changes, r.errors) for r in self.rows]
        return hashlib.sha256(json.dumps([self.kind, summary], ensure_ascii=False).encode()).hexdigest()


def lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message else message


def choice_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Codes and labels (in Dutch and in the current language) of a choices list, normalised."""
    pairs = list(choices)
    lookup = {normalise(code): code for code, _label in pairs}
    for code, label in pairs:
        lookup.setdefault(normalise(str(label)), code)
        with translation.override("nl"):
            lookup.setdefault(normalise(str(label)), code)
    return lookup


def split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(value) if part.strip()]


def check_length(row: RowResult, cells: dict[str, str]) -> None:
    if any(len(v) > MAX_CELL_LENGTH for v in cells.values()):
        row.error(_("een cel is langer dan %(n)d tekens.") % {"n": MAX_CELL_LENGTH})


def phone_ok(value: str) -> bool:
    return len(value) <= 40 and all(c.isdigit() or c in " +-()" for c in value)


def email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def age(row: RowResult, value: str, label: str) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 120:
        row.error(_("%(label)s '%(value)s' is geen leeftijd tussen 0 en 120.") % {"label": label, "value": value})
        return None
    return number


def yes_no(row: RowResult, value: str) -> bool:
    key = normalise(value)
    if key in _TRUE:
        return True
    if key not in _FALSE:
        row.error(_("vul bij 'openbaar' ja of nee in, niet '%(value)s'.") % {"value": value})
    return False


ENTRY_FIELDS = (
    "description",
    "visiting_address",
    "postcode",
    "phone",
    "secure_email",
    "website",
    "opening_hours",
    "expertise",
    "age_min",
    "age_max",
    "is_public",
)


def entry_values(entry: OrganisationEntry | None) -> dict[str, Any]:
    defaults = vars(kaart_services.EntryData())
    if entry is None:
        return dict(defaults)
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}
