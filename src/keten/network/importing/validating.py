"""Classifying the records of an import against the database: new, changed, unchanged or an error (no writes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.network.importing.columns import (
    KINDS,
    ORGANISATIONS,
    POSTCODE_RANGES,
    PROFESSIONALS,
    column_labels,
    dutch_label,
)
from keten.network.importing.reading import Record
from keten.network.importing.rows import (
    CHANGED,
    ENTRY_FIELDS,
    ERROR,
    NEW,
    UNCHANGED,
    Preview,
    RowResult,
    age,
    check_length,
    choice_lookup,
    email_ok,
    entry_values,
    lower_first,
    phone_ok,
    split_list,
    yes_no,
)
from keten.network.importing.scope import import_municipality_id
from keten.network.kaart import services as kaart_services
from keten.network.kaart.selectors import normalise, parse_postcode
from keten.network.models import PostcodeRange


def _analyse_organisations(municipality_id: int, records: Sequence[Record]) -> list[RowResult]:
    wijken = list(Wijk.objects.filter(municipality_id=municipality_id))
    wijk_by_key = {normalise(w.code): w for w in wijken} | {normalise(w.name): w for w in wijken}
    organisations = (
        Organisation.objects.filter(municipality_id=municipality_id)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.only("pk")))
    )
    by_name = {normalise(o.name): o for o in organisations}
    types = choice_lookup(OrganisationType.choices)
    labels = column_labels(ORGANISATIONS)
    seen: dict[str, int] = {}
    url_ok = URLValidator(schemes=["http", "https"])
    results: list[RowResult] = []
    for number, cells in records:
        name = " ".join(cells.get("name", "").split())
        row = RowResult(number=number, label=name or "—")
        results.append(row)
        check_length(row, cells)
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
            for wijk_name in split_list(cells["wijken"]):
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
        values = entry_values(entry)
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
            if phone_ok(cells["phone"]):
                file_values["phone"] = cells["phone"]
            else:
                row.error(
                    _("het telefoonnummer '%(value)s' mag alleen cijfers, spaties en + - ( ) bevatten (hoogstens 40).")
                    % {"value": cells["phone"]}
                )
        if "secure_email" in cells:
            if not cells["secure_email"] or email_ok(cells["secure_email"]):
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
            file_values["expertise"] = split_list(cells["expertise"])
        if "age_min" in cells:
            file_values["age_min"] = age(row, cells["age_min"], _("de leeftijd vanaf"))
        if "age_max" in cells:
            file_values["age_max"] = age(row, cells["age_max"], _("de leeftijd tot en met"))
        if "is_public" in cells:
            file_values["is_public"] = yes_no(row, cells["is_public"])
        values.update(file_values)
        if row.status != ERROR:
            try:
                clean = kaart_services.check_entry(kaart_services.EntryData(**values))
            except DomainError as exc:
                row.error(lower_first(exc.message))
            else:
                values = vars(clean)
        row.data = {"name": name, "type": org_type, "wijk_ids": wijk_ids, "entry": values}
        if row.status == ERROR:
            continue
        if existing is None:
            row.status = NEW
            continue
        row.target_id = existing.pk
        old_values = entry_values(entry)
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
    roles = choice_lookup(Role.choices)
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
    labels = column_labels(PROFESSIONALS)
    seen_roles: dict[tuple[str, int, str], int] = {}
    seen_people: dict[str, tuple[int, tuple[str, str, str]]] = {}
    results: list[RowResult] = []
    for number, cells in records:
        first = " ".join(cells.get("first_name", "").split())
        last = " ".join(cells.get("last_name", "").split())
        email = cells.get("email", "").strip()
        row = RowResult(number=number, label=" ".join(p for p in (first, last) if p) or email or "—")
        results.append(row)
        check_length(row, cells)
        if not first:
            row.error(_("vul de voornaam in."))
        if not last:
            row.error(_("vul de achternaam in."))
        if len(first) > 150 or len(last) > 150:
            row.error(_("een naam is hoogstens 150 tekens."))
        if not email:
            row.error(_("vul het e-mailadres in."))
        elif not email_ok(email):
            row.error(_("'%(value)s' is geen geldig e-mailadres.") % {"value": email})
        phone = cells.get("phone", "")
        if not phone_ok(phone):
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
                % {"role": dutch_label(Role.choices, role or ""), "organisation": organisation.name}
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
        check_length(row, cells)
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


def analyse(actor: Actor, kind: str, municipality_id: int, records: Sequence[Record]) -> list[RowResult]:
    if kind == PROFESSIONALS:
        assert actor.membership is not None
        return _analyse_professionals(municipality_id, records, own_organisation_id=actor.membership.organisation_id)
    return _ANALYSERS[kind](municipality_id, records)


def import_preview(*, actor: Actor, kind: str, records: Sequence[Record]) -> Preview:
    """Classify every record (nothing is written)."""
    municipality_id = import_municipality_id(actor)
    if kind not in KINDS:
        raise NotFoundError
    return Preview(kind=kind, rows=analyse(actor, kind, municipality_id, records))
