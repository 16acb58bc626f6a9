"""Bulk import and export of the sociale kaart: organisations, professionals and postcode ranges.

An import is two steps. :func:`read_upload` turns an uploaded CSV or XLSX file into plain records
(row number and a dict of cells per column key); the view keeps those records in the session.
:func:`import_preview` classifies every record against the database (new / changed / unchanged /
error, with Dutch messages per row) without writing anything. :func:`import_apply` classifies again
inside one transaction, refuses when the classification differs from the one the user saw, and then
writes through the existing services (organisations, entries, professionals, memberships, postcode
ranges) plus one audit event with the counts. When any row has an error nothing is written unless
the caller asks for the valid rows only.

Only a functioneel beheerder of the gemeente organisation may import or export, and only for the
own municipality; anyone else gets :class:`NotFoundError`. Professionals (accounts) are imported for
the gemeente organisation itself only: the accounts of another organisation are managed by that
organisation's own beheerder (``accounts.manage_account`` in ``keten.core.policy``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from keten.accounts import services as account_services
from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Sheet,
    XlsxReader,
    csv_bytes,
    unescape_formula,
    xlsx_bytes,
)
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.network import services as network_services
from keten.network.models import OrganisationEntry, PostcodeRange
from keten.network.rules import postcode_ranges_managed_by
from keten.network.selectors import normalise, parse_postcode

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 30
MAX_CELL_LENGTH = 2000
#: An XLSX file is a zip archive: refuse one that unpacks to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
#: The parsed rows wait in the session between preview and confirmation: keep them small.
MAX_TEXT_CHARS = 4 * 1024 * 1024

ORGANISATIONS = "organisaties"
PROFESSIONALS = "medewerkers"
POSTCODE_RANGES = "postcodegebieden"
KINDS = (ORGANISATIONS, PROFESSIONALS, POSTCODE_RANGES)

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
ERROR = "error"

#: A cell starting with one of these is a formula in a spreadsheet; exports prefix it with a quote.
_LIST_SPLIT = re.compile(r"[|,;\n]")
_TRUE = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {"nee", "n", "no", "false", "onwaar", "0", ""}


class ImportFileError(DomainError):
    """The file as a whole cannot be read (wrong type, too large, bad header)."""


# --- who may import ---------------------------------------------------------------------------


def import_municipality_id(actor: Actor) -> int:
    """The municipality a functioneel beheerder of the gemeente organisation manages; else NotFoundError."""
    if actor.user is None or actor.membership is None or not allows("network.import", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def may_import(actor: Actor) -> bool:
    try:
        import_municipality_id(actor)
    except NotFoundError:
        return False
    return True


# --- columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS: dict[str, tuple[Column, ...]] = {
    ORGANISATIONS: (
        Column("name", "naam", ("organisatie", "name"), required=True),
        Column("type", "soort", ("type", "soort organisatie"), required=True),
        Column("wijken", "wijken", ("wijk",)),
        Column("description", "beschrijving", ("description",)),
        Column("visiting_address", "bezoekadres", ("adres", "address")),
        Column("postcode", "postcode", ()),
        Column("phone", "telefoon", ("telefoonnummer", "phone")),
        Column("secure_email", "beveiligde e-mail", ("beveiligde email", "secure email", "e-mail", "email")),
        Column("website", "website", ("url",)),
        Column("opening_hours", "bereikbaarheid", ("openingstijden", "opening hours")),
        Column("expertise", "expertise", ()),
        Column("age_min", "leeftijd vanaf", ("leeftijd van", "age min")),
        Column("age_max", "leeftijd tot en met", ("leeftijd tot", "age max")),
        Column("is_public", "openbaar", ("public", "openbaar op de routekaart")),
    ),
    PROFESSIONALS: (
        Column("first_name", "voornaam", ("first name",), required=True),
        Column("last_name", "achternaam", ("last name",), required=True),
        Column("email", "e-mail", ("email", "e-mailadres", "emailadres"), required=True),
        Column("phone", "telefoon", ("telefoonnummer", "phone")),
        Column("organisation", "organisatie", ("organisation",), required=True),
        Column("role", "rol", ("role",), required=True),
        Column("team", "team", ()),
    ),
    POSTCODE_RANGES: (
        Column("wijk", "wijk", (), required=True),
        Column("start", "van", ("start", "begin", "van postcode"), required=True),
        Column("end", "tot en met", ("tot", "eind", "end", "tot en met postcode"), required=True),
    ),
}


def headers(kind: str) -> list[str]:
    return [c.header for c in COLUMNS[kind]]


def _header_key(text: str) -> str:
    return " ".join(normalise(text).replace("-", " ").replace("_", " ").split())


# --- reading files ----------------------------------------------------------------------------

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
            lookup[_header_key(name)] = column.key
    header_index = next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise ImportFileError(_("Het bestand is leeg."), field="file")
    header = rows[header_index]
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = _header_key(_unescape(title))
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


# --- classification ---------------------------------------------------------------------------


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


def _lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message else message


def _choice_lookup(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Codes and labels (in Dutch and in the current language) of a choices list, normalised."""
    pairs = list(choices)
    lookup = {normalise(code): code for code, _label in pairs}
    for code, label in pairs:
        lookup.setdefault(normalise(str(label)), code)
        with translation.override("nl"):
            lookup.setdefault(normalise(str(label)), code)
    return lookup


def _dutch_label(choices: Iterable[tuple[str, Any]], code: str) -> str:
    with translation.override("nl"):
        return str(dict(choices).get(code, code))


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(value) if part.strip()]


def _check_length(row: RowResult, cells: dict[str, str]) -> None:
    if any(len(v) > MAX_CELL_LENGTH for v in cells.values()):
        row.error(_("een cel is langer dan %(n)d tekens.") % {"n": MAX_CELL_LENGTH})


def _phone_ok(value: str) -> bool:
    return len(value) <= 40 and all(c.isdigit() or c in " +-()" for c in value)


def _email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254


def _age(row: RowResult, value: str, label: str) -> int | None:
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


def _bool(row: RowResult, value: str) -> bool:
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


def _entry_values(entry: OrganisationEntry | None) -> dict[str, Any]:
    defaults = vars(network_services.EntryData())
    if entry is None:
        return dict(defaults)
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def _column_labels(kind: str) -> dict[str, str]:
    return {c.key: c.header for c in COLUMNS[kind]}


def _analyse_organisations(municipality_id: int, records: Sequence[Record]) -> list[RowResult]:
    wijken = list(Wijk.objects.filter(municipality_id=municipality_id))
    wijk_by_key = {normalise(w.code): w for w in wijken} | {normalise(w.name): w for w in wijken}
    organisations = (
        Organisation.objects.filter(municipality_id=municipality_id)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.only("pk")))
    )
    by_name = {normalise(o.name): o for o in organisations}
    types = _choice_lookup(OrganisationType.choices)
    labels = _column_labels(ORGANISATIONS)
    seen: dict[str, int] = {}
    url_ok = URLValidator(schemes=["http", "https"])
    results: list[RowResult] = []
    for number, cells in records:
        name = " ".join(cells.get("name", "").split())
        row = RowResult(number=number, label=name or "—")
        results.append(row)
        _check_length(row, cells)
        if not name:
            row.error(_("vul de naam van de organisatie in."))
        elif len(name) > 200:
            row.error(_("de naam is langer dan 200 tekens."))
        key = normalise(name)
        if key and key in seen:
            row.error(
                _(
                    "de organisatie '%(name)s' staat ook al in rij %(other)d. "
                    "Zet elke organisatie maar één keer in het bestand."
                )
                % {"name": name, "other": seen[key]}
            )
        elif key:
            seen[key] = number
        raw_type = cells.get("type", "")
        org_type = types.get(normalise(raw_type))
        if org_type is None:
            row.error(
                _("de soort organisatie '%(value)s' bestaat niet. Gebruik een soort uit de kolomuitleg.")
                % {"value": raw_type}
                if raw_type
                else _("vul de soort organisatie in.")
            )
        wijk_ids: list[int] | None = None
        if "wijken" in cells:
            wijk_ids = []
            for wijk_name in _split_list(cells["wijken"]):
                wijk = wijk_by_key.get(normalise(wijk_name))
                if wijk is None:
                    row.error(_("de wijk '%(name)s' bestaat niet in uw gemeente.") % {"name": wijk_name})
                else:
                    wijk_ids.append(wijk.pk)
            wijk_ids = sorted(set(wijk_ids))
        existing = by_name.get(key) if key else None
        if existing is not None and not existing.is_active:
            row.error(
                _("de organisatie '%(name)s' is gedeactiveerd. Activeer haar eerst in Beheer.")
                % {"name": existing.name}
            )
        entry = getattr(existing, "entry", None) if existing is not None else None
        values = _entry_values(entry)
        file_values: dict[str, Any] = {}
        for name_key in ("description", "visiting_address", "opening_hours"):
            if name_key in cells:
                file_values[name_key] = cells[name_key]
        if "visiting_address" in file_values and len(file_values["visiting_address"]) > 200:
            row.error(_("het bezoekadres is langer dan 200 tekens."))
        if "postcode" in cells:
            postcode = cells["postcode"]
            if postcode:
                try:
                    number_part, letters = parse_postcode(postcode)
                except DomainError:
                    row.error(_("de postcode '%(value)s' is geen geldige Nederlandse postcode.") % {"value": postcode})
                else:
                    file_values["postcode"] = f"{number_part} {letters}".strip()
            else:
                file_values["postcode"] = ""
        if "phone" in cells:
            if _phone_ok(cells["phone"]):
                file_values["phone"] = cells["phone"]
            else:
                row.error(
                    _("het telefoonnummer '%(value)s' mag alleen cijfers, spaties en + - ( ) bevatten (hoogstens 40).")
                    % {"value": cells["phone"]}
                )
        if "secure_email" in cells:
            if not cells["secure_email"] or _email_ok(cells["secure_email"]):
                file_values["secure_email"] = cells["secure_email"]
            else:
                row.error(_("'%(value)s' is geen geldig e-mailadres.") % {"value": cells["secure_email"]})
        if "website" in cells:
            website = cells["website"]
            if website and "://" not in website:
                website = f"https://{website}"
            try:
                if website:
                    url_ok(website)
            except ValidationError:
                row.error(_("'%(value)s' is geen geldig webadres.") % {"value": cells["website"]})
            else:
                file_values["website"] = website
        if "expertise" in cells:
            file_values["expertise"] = _split_list(cells["expertise"])
        if "age_min" in cells:
            file_values["age_min"] = _age(row, cells["age_min"], _("de leeftijd vanaf"))
        if "age_max" in cells:
            file_values["age_max"] = _age(row, cells["age_max"], _("de leeftijd tot en met"))
        if "is_public" in cells:
            file_values["is_public"] = _bool(row, cells["is_public"])
        values.update(file_values)
        if row.status != ERROR:
            try:
                clean = network_services._check_entry(network_services.EntryData(**values))
            except DomainError as exc:
                row.error(_lower_first(exc.message))
            else:
                values = vars(clean)
        row.data = {"name": name, "type": org_type, "wijk_ids": wijk_ids, "entry": values}
        if row.status == ERROR:
            continue
        if existing is None:
            row.status = NEW
            continue
        row.target_id = existing.pk
        old_values = _entry_values(entry)
        changes = [labels[k] for k in ENTRY_FIELDS if old_values[k] != values[k]]
        # The name is the key: a spelling that differs only in case or accents keeps the existing name.
        row.data["name"] = existing.name
        if existing.type != org_type:
            changes.insert(0, labels["type"])
        if wijk_ids is not None and sorted(w.pk for w in existing.wijken.all()) != wijk_ids:
            changes.append(labels["wijken"])
        row.changes = changes
        row.status = CHANGED if changes else UNCHANGED
    return results


def _analyse_professionals(
    municipality_id: int, records: Sequence[Record], *, own_organisation_id: int | None = None
) -> list[RowResult]:
    """``own_organisation_id``: the importer's organisation, the only one whose accounts they manage."""
    organisations = list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True).prefetch_related("teams")
    )
    org_by_key = {normalise(o.name): o for o in organisations}
    roles = _choice_lookup(Role.choices)
    emails = {cells.get("email", "").strip().lower() for _n, cells in records} - {""}
    users = {
        u.email_lower: u
        for u in User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation"),
            )
        )
    }
    labels = _column_labels(PROFESSIONALS)
    seen_roles: dict[tuple[str, int, str], int] = {}
    seen_people: dict[str, tuple[int, tuple[str, str, str]]] = {}
    results: list[RowResult] = []
    for number, cells in records:
        first = " ".join(cells.get("first_name", "").split())
        last = " ".join(cells.get("last_name", "").split())
        email = cells.get("email", "").strip()
        row = RowResult(number=number, label=" ".join(p for p in (first, last) if p) or email or "—")
        results.append(row)
        _check_length(row, cells)
        if not first:
            row.error(_("vul de voornaam in."))
        if not last:
            row.error(_("vul de achternaam in."))
        if len(first) > 150 or len(last) > 150:
            row.error(_("een naam is hoogstens 150 tekens."))
        if not email:
            row.error(_("vul het e-mailadres in."))
        elif not _email_ok(email):
            row.error(_("'%(value)s' is geen geldig e-mailadres.") % {"value": email})
        phone = cells.get("phone", "")
        if not _phone_ok(phone):
            row.error(
                _("het telefoonnummer '%(value)s' mag alleen cijfers, spaties en + - ( ) bevatten (hoogstens 40).")
                % {"value": phone}
            )
        org_name = cells.get("organisation", "")
        organisation = org_by_key.get(normalise(org_name))
        if organisation is None:
            row.error(
                _("de organisatie '%(name)s' bestaat niet (of is niet actief) in uw gemeente.") % {"name": org_name}
                if org_name
                else _("vul de organisatie in.")
            )
        elif own_organisation_id is not None and organisation.pk != own_organisation_id:
            row.error(
                _(
                    "de accounts van %(name)s beheert de functioneel beheerder van die organisatie; u importeert "
                    "hier alleen medewerkers van uw eigen organisatie."
                )
                % {"name": organisation.name}
            )
        raw_role = cells.get("role", "")
        role = roles.get(normalise(raw_role))
        if role is None:
            row.error(
                _("de rol '%(value)s' bestaat niet. Gebruik een rol uit de kolomuitleg.") % {"value": raw_role}
                if raw_role
                else _("vul de rol in.")
            )
        team: Team | None = None
        team_name = cells.get("team", "")
        if team_name and organisation is not None:
            team = next((t for t in organisation.teams.all() if normalise(t.name) == normalise(team_name)), None)
            if team is None:
                row.error(
                    _("het team '%(team)s' bestaat niet bij %(organisation)s.")
                    % {"team": team_name, "organisation": organisation.name}
                )
        key = email.lower()
        person = (first, last, phone)
        if key and key in seen_people and seen_people[key][1] != person:
            row.error(
                _("het e-mailadres %(email)s staat ook in rij %(other)d, maar met een andere naam of telefoon.")
                % {"email": email, "other": seen_people[key][0]}
            )
        elif key:
            seen_people.setdefault(key, (number, person))
        if key and organisation is not None and role is not None:
            role_key = (key, organisation.pk, role)
            if role_key in seen_roles:
                row.error(
                    _("deze medewerker staat met dezelfde organisatie en rol ook al in rij %(other)d.")
                    % {"other": seen_roles[role_key]}
                )
            else:
                seen_roles[role_key] = number
        user = users.get(key) if key else None
        if user is not None and not any(
            m.organisation.municipality_id == municipality_id
            and m.is_active
            and own_organisation_id in (None, m.organisation_id)
            for m in user.memberships.all()
        ):
            row.error(_("het e-mailadres %(email)s hoort bij een account dat u niet beheert.") % {"email": email})
        row.data = {
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
            "organisation_id": organisation.pk if organisation else None,
            "role": role,
            "team_id": team.pk if team else None,
            "team_given": "team" in cells,
        }
        if row.status == ERROR:
            continue
        if user is None:
            row.status = NEW
            continue
        assert organisation is not None
        row.target_id = user.pk
        changes = [labels[k] for k, new in (("first_name", first), ("last_name", last)) if getattr(user, k) != new]
        if "phone" in cells and user.phone != phone:
            changes.append(labels["phone"])
        membership = next(
            (
                m
                for m in user.memberships.all()
                if m.organisation_id == organisation.pk and m.role == role and m.is_active
            ),
            None,
        )
        if membership is None:
            changes.append(
                _("rol %(role)s bij %(organisation)s")
                % {"role": _dutch_label(Role.choices, role or ""), "organisation": organisation.name}
            )
        elif "team" in cells and membership.team_id != row.data["team_id"]:
            changes.append(labels["team"])
        row.data["membership_id"] = membership.pk if membership else None
        row.changes = changes
        row.status = CHANGED if changes else UNCHANGED
    return results


def _int_postcode(row: RowResult, value: str) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if not 1000 <= number <= 9999:
        row.error(_("'%(value)s' is geen postcodenummer van vier cijfers (1000 tot en met 9999).") % {"value": value})
        return None
    return number


def _analyse_postcode_ranges(municipality_id: int, records: Sequence[Record]) -> list[RowResult]:
    wijken = list(Wijk.objects.filter(municipality_id=municipality_id))
    wijk_by_key = {normalise(w.code): w for w in wijken} | {normalise(w.name): w for w in wijken}
    existing = list(PostcodeRange.objects.filter(wijk__municipality_id=municipality_id).select_related("wijk"))
    in_file: list[tuple[int, int, int, Wijk]] = []
    results: list[RowResult] = []
    for number, cells in records:
        wijk_name = cells.get("wijk", "")
        row = RowResult(number=number, label=f"{wijk_name} {cells.get('start', '')}–{cells.get('end', '')}")
        results.append(row)
        _check_length(row, cells)
        wijk = wijk_by_key.get(normalise(wijk_name))
        if wijk is None:
            row.error(
                _("de wijk '%(name)s' bestaat niet in uw gemeente.") % {"name": wijk_name}
                if wijk_name
                else _("vul de wijk in.")
            )
        start = _int_postcode(row, cells.get("start", ""))
        end = _int_postcode(row, cells.get("end", ""))
        if start is not None and end is not None and start > end:
            row.error(_("het einde %(end)d ligt voor het begin %(start)d.") % {"start": start, "end": end})
        if row.status == ERROR or wijk is None or start is None or end is None:
            continue
        row.label = f"{wijk.name} {start}–{end}"
        row.data = {"wijk_id": wijk.pk, "start": start, "end": end}
        same = next((r for r in existing if (r.start, r.end, r.wijk_id) == (start, end, wijk.pk)), None)
        clash = next((r for r in existing if r is not same and r.start <= end and r.end >= start), None)
        if clash is not None:
            row.error(
                _(
                    "%(start)d–%(end)d overlapt met het bestaande gebied %(other_start)d–%(other_end)d "
                    "van wijk %(wijk)s."
                )
                % {
                    "start": start,
                    "end": end,
                    "other_start": clash.start,
                    "other_end": clash.end,
                    "wijk": clash.wijk.name,
                }
            )
        for other_number, other_start, other_end, other_wijk in in_file if clash is None else ():
            if other_start <= end and other_end >= start:
                row.error(
                    _("%(start)d–%(end)d overlapt met rij %(other)d (%(other_start)d–%(other_end)d, wijk %(wijk)s).")
                    % {
                        "start": start,
                        "end": end,
                        "other": other_number,
                        "other_start": other_start,
                        "other_end": other_end,
                        "wijk": other_wijk.name,
                    }
                )
                break
        in_file.append((number, start, end, wijk))
        if row.status == ERROR:
            continue
        if same is not None:
            row.status = UNCHANGED
            row.target_id = same.pk
        else:
            row.status = NEW
    return results


_ANALYSERS = {
    ORGANISATIONS: _analyse_organisations,
    PROFESSIONALS: _analyse_professionals,
    POSTCODE_RANGES: _analyse_postcode_ranges,
}


def _analyse(actor: Actor, kind: str, municipality_id: int, records: Sequence[Record]) -> list[RowResult]:
    if kind == PROFESSIONALS:
        assert actor.membership is not None
        return _analyse_professionals(municipality_id, records, own_organisation_id=actor.membership.organisation_id)
    return _ANALYSERS[kind](municipality_id, records)


def import_preview(*, actor: Actor, kind: str, records: Sequence[Record]) -> Preview:
    """Classify every record (nothing is written)."""
    municipality_id = import_municipality_id(actor)
    if kind not in KINDS:
        raise NotFoundError
    return Preview(kind=kind, rows=_analyse(actor, kind, municipality_id, records))


# --- applying ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    new_users: int = 0
    ids: list[int] = field(default_factory=list)


def _apply_organisation(actor: Actor, row: RowResult) -> int:
    data = row.data
    if row.target_id is None:
        organisation = account_services.organisation_create(
            actor=actor,
            data=account_services.OrganisationData(
                name=data["name"], type=data["type"], wijk_ids=data["wijk_ids"] or []
            ),
        )
    else:
        organisation = Organisation.objects.get(pk=row.target_id)
        wijk_ids = data["wijk_ids"]
        if wijk_ids is None:
            wijk_ids = list(organisation.wijken.values_list("pk", flat=True))
        before = (organisation.name, organisation.type, sorted(organisation.wijken.values_list("pk", flat=True)))
        if before != (data["name"], data["type"], sorted(wijk_ids)):
            organisation = account_services.organisation_update(
                actor=actor,
                organisation=organisation,
                data=account_services.OrganisationData(
                    name=data["name"],
                    type=data["type"],
                    wijk_ids=wijk_ids,
                    phone=organisation.phone,
                    email=organisation.email,
                ),
            )
    entry = OrganisationEntry.objects.filter(organisation=organisation).first()
    if _entry_values(entry) != data["entry"]:
        network_services.entry_update(
            actor=actor,
            organisation=organisation,
            expected_version=entry.version if entry is not None else 0,
            data=network_services.EntryData(**data["entry"]),
        )
    return organisation.pk


def _username_for(first: str, last: str) -> str:
    base = re.sub(r"[^a-z0-9]+", ".", normalise(f"{first} {last}")).strip(".")[:140] or "medewerker"
    candidate, suffix = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate


def _apply_professional(actor: Actor, row: RowResult, created: dict[str, User]) -> tuple[int, bool]:
    data = row.data
    key = data["email"].lower()
    user = created.get(key)
    if user is None and row.target_id is None:
        user = account_services.user_create(
            actor=actor,
            data=account_services.UserData(
                username=_username_for(data["first_name"], data["last_name"]),
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
            ),
            organisation_id=data["organisation_id"],
            team_id=data["team_id"],
            role=data["role"],
        )
        created[key] = user
        return user.pk, True
    if user is None:
        assert row.target_id is not None
        user = User.objects.get(pk=row.target_id)
        if (user.first_name, user.last_name, user.phone) != (data["first_name"], data["last_name"], data["phone"]):
            user = account_services.user_update(
                actor=actor,
                user=user,
                data=account_services.UserData(
                    username=user.username,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=user.email,
                    phone=data["phone"],
                    job_title=user.job_title,
                ),
            )
    membership = Membership.objects.filter(
        user=user, organisation_id=data["organisation_id"], role=data["role"], is_active=True
    ).first()
    if membership is None:
        account_services.membership_add(
            actor=actor,
            user=user,
            organisation_id=data["organisation_id"],
            team_id=data["team_id"],
            role=data["role"],
        )
    elif data["team_given"] and membership.team_id != data["team_id"]:
        Membership.objects.filter(pk=membership.pk).update(team_id=data["team_id"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="membership",
            object_id=membership.pk,
            details={"team": data["team_id"], "previous_team": membership.team_id},
        )
    return user.pk, False


def _apply_postcode_range(actor: Actor, row: RowResult) -> int:
    created = network_services.postcode_range_create(
        actor=actor, wijk_id=row.data["wijk_id"], start=row.data["start"], end=row.data["end"]
    )
    return created.pk


def import_apply(
    *,
    actor: Actor,
    kind: str,
    records: Sequence[Record],
    only_valid: bool = False,
    expected_digest: str | None = None,
) -> ImportResult:
    """Write the new and changed rows in one transaction with one audit event for the whole import.

    Raises ConflictError when the classification differs from ``expected_digest`` (the data changed
    since the preview), and DomainError when a row has an error and ``only_valid`` is not set.
    """
    municipality_id = import_municipality_id(actor)
    if kind not in KINDS:
        raise NotFoundError
    with transaction.atomic():
        # One import at a time per municipality, so two imports cannot both pass the same checks.
        Municipality.objects.select_for_update().filter(pk=municipality_id).first()
        preview = Preview(kind=kind, rows=_analyse(actor, kind, municipality_id, records))
        if expected_digest is not None and preview.digest() != expected_digest:
            raise ConflictError(
                _("De gegevens zijn gewijzigd sinds u het overzicht bekeek. Controleer het overzicht opnieuw.")
            )
        if preview.has_errors and not only_valid:
            raise DomainError(
                _(
                    "Er staan fouten in het bestand. Er is niets geïmporteerd. Verbeter het bestand, "
                    "of kies ervoor alleen de geldige rijen te importeren."
                ),
                field="only_valid",
            )
        counts = preview.counts
        result = ImportResult(unchanged=counts[UNCHANGED], skipped=counts[ERROR])
        created_users: dict[str, User] = {}
        for row in preview.writable_rows:
            if kind == ORGANISATIONS:
                pk = _apply_organisation(actor, row)
            elif kind == PROFESSIONALS:
                pk, new_user = _apply_professional(actor, row, created_users)
                result.new_users += int(new_user)
            else:
                pk = _apply_postcode_range(actor, row)
            if row.status == NEW:
                result.created += 1
            else:
                result.updated += 1
            if pk not in result.ids:
                result.ids.append(pk)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="import",
            object_id=kind,
            details={
                "kind": kind,
                "rows": len(preview.rows),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
                "only_valid": only_valid,
                "ids": result.ids,
            },
        )
    return result


# --- export -----------------------------------------------------------------------------------


def _organisation_rows(municipality_id: int) -> list[list[str]]:
    organisations = (
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.order_by("name")))
        .order_by("name")
    )
    rows = []
    for organisation in organisations:
        entry = _entry_values(getattr(organisation, "entry", None))
        rows.append(
            [
                organisation.name,
                _dutch_label(OrganisationType.choices, organisation.type),
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
            _dutch_label(Role.choices, m.role),
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


def choice_labels() -> dict[str, list[tuple[str, str]]]:
    """The codes and Dutch labels accepted for 'soort' and 'rol' (for the help text on the upload page)."""
    with translation.override("nl"):
        return {
            "types": [(code, str(label)) for code, label in OrganisationType.choices],
            "roles": [(code, str(label)) for code, label in Role.choices],
        }


# --- postcode ranges (reads for the beheer page) ----------------------------------------------


def wijken_with_ranges(*, actor: Actor) -> list[Wijk]:
    """The wijken of the own municipality, each with ``ranges`` (its postcode ranges in order)."""
    municipality_id = import_municipality_id(actor)
    return list(
        Wijk.objects.filter(municipality_id=municipality_id)
        .prefetch_related(
            Prefetch("postcode_ranges", queryset=PostcodeRange.objects.order_by("start"), to_attr="ranges")
        )
        .order_by("name")
    )


def postcode_range_for_beheer(*, actor: Actor, pk: int) -> PostcodeRange:
    found = postcode_ranges_managed_by(actor.user).filter(pk=pk).select_related("wijk").first()
    if found is None:
        raise NotFoundError
    return found
