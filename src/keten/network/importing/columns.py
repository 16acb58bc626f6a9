"""The kinds of import and their columns: each column's header, its other names, whether it is required."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from keten.accounts.models import OrganisationType, Role
from keten.network.kaart.selectors import normalise

ORGANISATIONS = "organisaties"
PROFESSIONALS = "medewerkers"
POSTCODE_RANGES = "postcodegebieden"
KINDS = (ORGANISATIONS, PROFESSIONALS, POSTCODE_RANGES)


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


def header_key(text: str) -> str:
    return " ".join(normalise(text).replace("-", " ").replace("_", " ").split())


def dutch_label(choices: Iterable[tuple[str, Any]], code: str) -> str:
    with translation.override("nl"):
        return str(dict(choices).get(code, code))


def column_labels(kind: str) -> dict[str, str]:
    return {c.key: c.header for c in COLUMNS[kind]}


def choice_labels() -> dict[str, list[tuple[str, str]]]:
    """The codes and Dutch labels accepted for 'soort' and 'rol' (for the help text on the upload page)."""
    with translation.override("nl"):
        return {
            "types": [(code, str(label)) for code, label in OrganisationType.choices],
            "roles": [(code, str(label)) for code, label in Role.choices],
        }
