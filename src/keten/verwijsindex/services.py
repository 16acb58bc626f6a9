"""Writes of the verwijsindex: register and withdraw signals, make matches, follow them up.

Matching happens in the registering transaction and is exact under concurrency: the rows of the
young people and then of their parents are locked (``SELECT … FOR UPDATE``, each in id order)
before the active signals are read, so two simultaneous registrations on the same child or on
siblings are serialised and the second always sees the first. On SQLite the database serialises
writers itself. A deadlock or a race between two registrations is retried.

A single registration (:func:`signal_register`) and a bulk call (:func:`signals_register_bulk`)
share one set-based core: a registration is a batch of one, and a batch of 1,000 costs about the
same number of statements as one registration.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.acting import acting_for, eligible_memberships, refused
from keten.accounts.models import CASE_ROLES, Membership, Municipality, OrganisationType, User
from keten.core import audit, lookups
from keten.core.actor import Actor
from keten.core.crypto import blind_index, is_valid_bsn, name_birth_index, normalise_bsn
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.workdays import add_working_days
from keten.notifications.services import NewNotification, notification_send, notifications_create_many
from keten.verwijsindex import webhooks
from keten.verwijsindex.audit_names import youth_pseudonyms
from keten.verwijsindex.copying import any_args as _args
from keten.verwijsindex.copying import any_of as _in
from keten.verwijsindex.copying import insert_rows
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    EndReason,
    IndexSettings,
    Match,
    MatchEvent,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    ParentKey,
    ParentLink,
    Regievoerder,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
    youth_pseudonym,
)
from keten.verwijsindex.rules import is_regievoerder, signals_of_system, signals_visible_to

logger = logging.getLogger(__name__)

MAX_AGE = 23
ARCHIVE_YEARS = 5
NOTICE_REMINDER_DAYS = 14
#: Signals the nightly job ends per statement.
LIFECYCLE_CHUNK = 10_000
MIN_MOTIVATION = 10
RISK_CATEGORIES = tuple("abcdefghijkl")
LIVE = LIVE_STATUSES

#: Used where a municipality has not set its own rules.
DEFAULT_REGISTERING_TYPES = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.ONDERWIJS,
    OrganisationType.KINDEROPVANG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.POLITIE,
    OrganisationType.RVDK,
    OrganisationType.GI,
    OrganisationType.JEUGDHULP,
    OrganisationType.GGZ,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.SCHULDHULP,
    OrganisationType.WELZIJN,
]
DEFAULT_COORDINATOR_PREFERENCE = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JEUGDHULP,
    OrganisationType.GI,
    OrganisationType.JGZ,
    OrganisationType.GGZ,
    OrganisationType.WELZIJN,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
]
DEFAULT_COORDINATOR_EXCLUDED = [OrganisationType.ONDERWIJS, OrganisationType.POLITIE, OrganisationType.KINDEROPVANG]


class NotAuthorisedError(DomainError):
    """The actor's organisation may not register in the verwijsindex of its municipality."""

    status_code = 403
    code = "forbidden"


class IdentityConfirmationError(DomainError):
    """Without a BSN, a young person with the same name and birth date exists: a human must decide."""

    status_code = 409
    code = "confirm_identity"

    def __init__(self, message: str, *, candidates: list[int]) -> None:
        super().__init__(message, field="identity")
        self.candidates = candidates


def settings_for(municipality_id: int) -> IndexSettings:
    found = IndexSettings.objects.filter(municipality_id=municipality_id).first()
    if found is not None:
        return found
    return IndexSettings(
        municipality_id=municipality_id,
        registering_types=list(DEFAULT_REGISTERING_TYPES),
        coordinator_preference=list(DEFAULT_COORDINATOR_PREFERENCE),
        coordinator_excluded=list(DEFAULT_COORDINATOR_EXCLUDED),
    )


#: How long a registering process remembers a municipality's rules (seconds).
SETTINGS_CACHE_SECONDS = 60.0
_rules_cache: dict[int, tuple[float, IndexSettings]] = {}


def _rules_for(municipality_id: int) -> IndexSettings:
    """:func:`settings_for`, remembered per process for :data:`SETTINGS_CACHE_SECONDS` (registrations).

    Only a read made outside a transaction is remembered: inside one it could show a change of that
    same transaction that is rolled back later. A change saved through the model forgets the entry
    in this process at once; other processes follow within the minute.
    """
    now = time.monotonic()
    hit = _rules_cache.get(municipality_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    rules = settings_for(municipality_id)
    if not connection.in_atomic_block:
        _rules_cache[municipality_id] = (now + SETTINGS_CACHE_SECONDS, rules)
    return rules


@receiver([post_save, post_delete], sender=IndexSettings, dispatch_uid="vi_forget_rules")
def _forget_rules(sender: Any, instance: IndexSettings, **kwargs: Any) -> None:
    _rules_cache.pop(instance.municipality_id, None)


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def youth_key(bsn: str) -> str:
    """The index's own keyed pseudonym of a BSN (a separate key space from the dossiers)."""
    return blind_index("vi_bsn", normalise_bsn(bsn))


def parent_key(bsn: str) -> str:
    return blind_index("vi_parent", normalise_bsn(bsn))


# --- registration ------------------------------------------------------------------------------


@dataclass
class Identity:
    date_of_birth: date | None
    bsn: str = ""
    first_name: str = ""
    last_name: str = ""
    parent_bsns: list[str] = field(default_factory=list)


@dataclass
class Registration:
    identity: Identity
    risk_categories: list[str]
    criteria_confirmed: bool
    parents_informed_on: date | None = None
    youth_informed_on: date | None = None
    notice_postponed: bool = False
    postpone_motivation: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    #: Without BSN: the young person the professional confirmed as the same (from the proposal).
    confirm_youth_id: int | None = None
    #: Without BSN: the professional confirmed it is someone new despite the proposal.
    confirm_new_youth: bool = False
    #: Without BSN: if exactly one young person has this name and birth date, it is that one (API).
    confirm_same_youth: bool = False
    #: API: the professional the signal is registered for (an active case-role member of the client's
    #: organisation, checked by :mod:`keten.accounts.acting`); a system already acting for a professional
    #: may leave it empty or repeat that professional.
    professional_id: int | None = None
    idempotency_key: str = ""


@dataclass
class RegistrationResult:
    signal: Signal
    created: bool
    matches: list[Match]
    #: Number of earlier (archived) signals on this young person; look them up with youth_history.
    history: int = 0


def _no_professional() -> DomainError:
    return DomainError(
        _("Geef in de kop Keten-Professional aan voor welke professional het signaal wordt afgegeven."),
        field="professional",
    )


def _registering_party(actor: Actor, data: Registration) -> Actor:
    """Who registers: the professional (a session), or a system acting for one of its professionals.

    The result is the actor the registration is recorded and audited for (for a system: "system X
    for professional Y"). Only a professional with a case role can register; a system only for an
    active case-role member of its own organisation (:mod:`keten.accounts.acting`).
    """
    party = _registering_parties(actor, [data])[0]
    if isinstance(party, DomainError):
        raise party
    return party


def _check_authorised(membership: Membership) -> IndexSettings:
    organisation = membership.organisation
    rules = _rules_for(organisation.municipality_id)
    if organisation.type not in rules.registering_types or not organisation.is_active:
        raise NotAuthorisedError(
            _(
                "Uw organisatie is in deze gemeente niet aangewezen om signalen in de verwijsindex af te geven. "
                "Neem contact op met de regievoerder van de gemeente."
            )
        )
    return rules


class _Memo:
    """What validating a registration derives from its values, computed once per distinct value in
    a call (a bulk call repeats the same BSNs, parents, birth dates and names many times)."""

    def __init__(self) -> None:
        self._bsns: dict[str, tuple[str, bool]] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._names: dict[tuple[str, str, date], str] = {}
        self._dates: dict[tuple[date, int, int], date] = {}

    def bsn(self, value: str) -> tuple[str, bool]:
        """(normal form, passes the elfproef) of a BSN as typed."""
        hit = self._bsns.get(value)
        if hit is None:
            hit = self._bsns[value] = (normalise_bsn(value), is_valid_bsn(value))
        return hit

    def key(self, purpose: str, normalised: str) -> str:
        """``blind_index(purpose, normalised)``: :func:`youth_key` / :func:`parent_key` of a normalised BSN."""
        hit = self._keys.get((purpose, normalised))
        if hit is None:
            hit = self._keys[(purpose, normalised)] = blind_index(purpose, normalised)
        return hit

    def name_key(self, first_name: str, last_name: str, date_of_birth: date) -> str:
        wanted = (first_name, last_name, date_of_birth)
        hit = self._names.get(wanted)
        if hit is None:
            hit = self._names[wanted] = name_birth_index(first_name, last_name, date_of_birth)
        return hit

    def shifted(self, day: date, years: int = 0, months: int = 0) -> date:
        """``day + relativedelta(years=years, months=months)``."""
        hit = self._dates.get((day, years, months))
        if hit is None:
            hit = self._dates[(day, years, months)] = day + relativedelta(years=years, months=months)
        return hit


def _check_registration(data: Registration, today: date, memo: _Memo | None = None) -> tuple[int, str, str]:
    """Validate; returns (age, bsn key or "", name-birth key)."""
    memo = memo or _Memo()
    ident = data.identity
    if ident.date_of_birth is None:
        raise DomainError(_("Vul de geboortedatum van de jongere in."), field="date_of_birth")
    if ident.date_of_birth > today:
        raise DomainError(_("De geboortedatum ligt in de toekomst."), field="date_of_birth")
    age = age_on(ident.date_of_birth, today)
    if age >= MAX_AGE:
        raise DomainError(
            _("De verwijsindex is voor jongeren tot 23 jaar; deze jongere is %(age)d.") % {"age": age},
            field="date_of_birth",
        )
    bsn = (ident.bsn or "").strip()
    bsn_normal, bsn_valid = memo.bsn(bsn) if bsn else ("", False)
    if bsn and not bsn_valid:
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")
    if not ident.first_name.strip() or not ident.last_name.strip():
        raise DomainError(_("Vul de voornaam en de achternaam van de jongere in."), field="last_name")
    for parent in ident.parent_bsns:
        parent_normal, parent_valid = memo.bsn(parent)
        if not parent_valid:
            raise DomainError(_("Het BSN van een ouder klopt niet (elfproef)."), field="parent_bsns")
        if bsn and parent_normal == bsn_normal:
            raise DomainError(_("Het BSN van de ouder is gelijk aan dat van de jongere."), field="parent_bsns")
    if not data.criteria_confirmed:
        raise DomainError(
            _("Bevestig dat een van de registratiecriteria van de gemeente van toepassing is."), field="criteria"
        )
    cats = [c.strip().lower() for c in data.risk_categories if c.strip()]
    if not cats or any(c not in RISK_CATEGORIES for c in cats):
        raise DomainError(_("Kies minstens één risico (a tot en met l) uit de wet."), field="risk_categories")
    for name, value in (
        ("parents_informed_on", data.parents_informed_on),
        ("youth_informed_on", data.youth_informed_on),
    ):
        if value is not None and value > today:
            raise DomainError(_("Deze datum ligt in de toekomst."), field=name)
    needs_parents = age < 16
    needs_youth = age >= 12
    missing = (needs_parents and data.parents_informed_on is None) or (needs_youth and data.youth_informed_on is None)
    if missing and not data.notice_postponed:
        if needs_parents and needs_youth:
            message = _(
                "Leg vast wanneer de ouders en de jongere zijn geïnformeerd, of stel dit uit met een motivering."
            )
        elif needs_parents:
            message = _("Leg vast wanneer de ouders zijn geïnformeerd, of stel dit uit met een motivering.")
        else:
            message = _("Leg vast wanneer de jongere is geïnformeerd, of stel dit uit met een motivering.")
        raise DomainError(message, field="notice")
    if data.notice_postponed and len(data.postpone_motivation.strip()) < MIN_MOTIVATION:
        raise DomainError(
            _("Motiveer waarom u het informeren uitstelt (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
            field="postpone_motivation",
        )
    name_key = memo.name_key(ident.first_name, ident.last_name, ident.date_of_birth)
    return age, (memo.key("vi_bsn", bsn_normal) if bsn else ""), name_key


class _Active(NamedTuple):
    """An active signal as matching needs it (read as plain values)."""

    pk: int
    youth_id: int
    municipality_id: int
    organisation_id: int
    professional_id: int
    registered_on: date
    organisation_type: str


def _propose_coordinator(signals: Sequence[_Active], rules: IndexSettings) -> int | None:
    """The signal whose professional the municipality's rules propose as coordinator (or None)."""
    preference = list(rules.coordinator_preference or DEFAULT_COORDINATOR_PREFERENCE)
    excluded = set(rules.coordinator_excluded or DEFAULT_COORDINATOR_EXCLUDED)
    eligible = [s for s in signals if s.organisation_type not in excluded]
    if not eligible:
        return None
    rank = {t: i for i, t in enumerate(preference)}
    return min(eligible, key=lambda s: (rank.get(s.organisation_type, len(rank)), s.registered_on, s.pk)).pk


#: Match kinds as plain strings (dictionary keys; enum members hash differently).
CLIENT: str = MatchKind.CLIENT.value
FAMILY: str = MatchKind.FAMILY.value


class _Retry(Exception):  # noqa: N818
    """Something this batch read before taking its locks changed concurrently: start again."""


#: Attempts of one registration or batch before giving up (deadlocks and races with concurrent ones).
ATTEMPTS = 3


def _duplicate() -> DomainError:
    return DomainError(
        _("U heeft al een actief signaal op deze jongere. Een tweede signaal is niet nodig."), field="identity"
    )


@dataclass(eq=False)
class _Row:
    """One validated registration on its way into the index, and what became of it."""

    index: int
    data: Registration
    professional: User
    membership: Membership
    #: Who the row is recorded and audited for (a system acting for the professional, or the professional).
    actor: Actor
    rules: IndexSettings
    bsn_key: str
    name_key: str
    destroy_on: date
    parent_keys: list[str]
    youth_id: int | None = None
    #: Handled after the set-based part, on its own (it depends on an earlier row of the batch).
    deferred: bool = False
    #: Deferred, and an earlier row of the batch made the signal with the same idempotency key.
    existing: bool = False
    error: DomainError | None = None
    signal: Signal | None = None
    matches: list[Match] = field(default_factory=list)
    history: int = 0

    def reset(self) -> None:
        self.youth_id = None
        self.deferred = False
        self.existing = False
        self.error = None
        self.signal = None
        self.matches = []
        self.history = 0


def _prepare(
    index: int,
    data: Registration,
    party: Actor,
    rules: IndexSettings,
    today: date,
    memo: _Memo | None = None,
) -> _Row:
    """Validate one registration (DomainError when bad) and compute its keys; no database access."""
    assert party.user is not None
    assert party.membership is not None
    memo = memo or _Memo()
    _age, bsn_key, name_key = _check_registration(data, today, memo)
    assert data.identity.date_of_birth is not None
    parents = dict.fromkeys(memo.bsn(b)[0] for b in data.identity.parent_bsns)
    return _Row(
        index=index,
        data=data,
        professional=party.user,
        membership=party.membership,
        actor=party,
        rules=rules,
        bsn_key=bsn_key,
        name_key=name_key,
        destroy_on=memo.shifted(data.identity.date_of_birth, years=MAX_AGE),
        parent_keys=[memo.key("vi_parent", b) for b in parents],
    )


def _new_youth(row: _Row, bsn_key: str | None) -> Youth:
    ident = row.data.identity
    return Youth(
        bsn_key=bsn_key,
        name_birth_key=row.name_key,
        display_name=f"{ident.first_name.strip()} {ident.last_name.strip()}",
        date_of_birth=ident.date_of_birth,
        destroy_on=row.destroy_on,
    )


def _resolve_youths(rows: list[_Row]) -> tuple[dict[str, _Row], list[_Row]]:
    """Find the young person of every row (one query per kind of key); mark bad and dependent rows.

    Returns the rows that create a young person with a BSN (first row per key) and without one.
    A row without BSN whose name and birth date match a young person an earlier row of the batch
    creates is deferred: registered one by one, it would have been asked to confirm the identity.
    """
    youth = Youth._meta.db_table
    bsn_keys = sorted({r.bsn_key for r in rows if r.bsn_key})
    by_bsn: dict[str, int] = {}
    if bsn_keys:
        by_bsn = dict(_fetch(f"SELECT bsn_key, id FROM {youth} WHERE bsn_key {_in(bsn_keys)}", _args(bsn_keys)))  # noqa: S608
    name_keys = sorted({r.name_key for r in rows if not r.bsn_key})
    # Without a BSN, only young people with a signal in the registering municipality are proposed:
    # the question "is this the same young person?" must not tell of one known only elsewhere.
    named: dict[tuple[str, int], list[int]] = {}
    if name_keys:
        signal = Signal._meta.db_table
        sql = (
            f"SELECT DISTINCT y.name_birth_key, s.municipality_id, y.id FROM {youth} y "  # noqa: S608
            f"JOIN {signal} s ON s.youth_id = y.id WHERE y.name_birth_key {_in(name_keys)} ORDER BY y.id"
        )
        for key, municipality_id, pk in _fetch(sql, _args(name_keys)):
            named.setdefault((key, municipality_id), []).append(pk)
    new_by_bsn: dict[str, _Row] = {}
    new_plain: list[_Row] = []
    creating: set[str] = set()
    pairs: set[tuple[object, int]] = set()
    for row in rows:
        ident: object
        data = row.data
        if row.bsn_key:
            row.youth_id = by_bsn.get(row.bsn_key)
            if row.youth_id is None:
                new_by_bsn.setdefault(row.bsn_key, row)
                creating.add(row.name_key)
            ident = row.youth_id or ("bsn", row.bsn_key)
        else:
            if row.name_key in creating:
                row.deferred = True
                continue
            candidates = named.get((row.name_key, row.membership.organisation.municipality_id), [])
            if data.confirm_youth_id is not None:
                if data.confirm_youth_id not in candidates:
                    row.error = DomainError(_("Kies een jongere uit het voorstel."), field="confirm_youth_id")
                    continue
                row.youth_id = data.confirm_youth_id
            elif candidates and not data.confirm_new_youth:
                if not (data.confirm_same_youth and len(candidates) == 1):
                    row.error = IdentityConfirmationError(
                        _(
                            "Er is al een jongere met deze naam en geboortedatum bekend, zonder BSN-koppeling. "
                            "Bevestig of het om dezelfde jongere gaat, of dat het iemand anders is."
                        ),
                        candidates=list(candidates),
                    )
                    continue
                row.youth_id = candidates[0]
            else:
                new_plain.append(row)
                creating.add(row.name_key)
            ident = row.youth_id or ("new", row.index)
        pair = (ident, row.professional.pk)
        if pair in pairs:  # the same professional twice on one young person in this batch
            row.error = _duplicate()
            continue
        pairs.add(pair)
    return new_by_bsn, new_plain


def _create_youths(rows: list[_Row], new_by_bsn: dict[str, _Row], new_plain: list[_Row]) -> None:
    if new_by_bsn:
        # Registered at the same moment elsewhere: the insert waits for it and theirs is the one.
        Youth.objects.bulk_create([_new_youth(r, k) for k, r in sorted(new_by_bsn.items())], ignore_conflicts=True)
        made = dict(Youth.objects.filter(bsn_key__in=list(new_by_bsn)).values_list("bsn_key", "pk"))
        for row in rows:
            if row.bsn_key in new_by_bsn:
                if row.bsn_key not in made:
                    raise _Retry
                row.youth_id = made[row.bsn_key]
    if new_plain:
        now = timezone.now()
        columns = (
            "pseudonym",
            "bsn_key",
            "name_birth_key",
            "display_name",
            "date_of_birth",
            "destroy_on",
            "created_at",
        )
        values = [
            (
                youth_pseudonym(),
                None,
                r.name_key,
                f"{r.data.identity.first_name.strip()} {r.data.identity.last_name.strip()}",
                r.data.identity.date_of_birth,
                r.destroy_on,
                now,
            )
            for r in new_plain
        ]
        for row, pk in zip(new_plain, insert_rows(Youth, columns, values, ids=True), strict=True):
            row.youth_id = pk


def _parent_ids(keys: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    table = ParentKey._meta.db_table
    found: dict[str, int] = dict(_fetch(f"SELECT key, id FROM {table} WHERE key {_in(wanted)}", _args(wanted)))  # noqa: S608
    missing = [k for k in wanted if k not in found]
    if missing:
        ParentKey.objects.bulk_create([ParentKey(key=k) for k in missing], ignore_conflicts=True)
        found.update(_fetch(f"SELECT key, id FROM {table} WHERE key {_in(missing)}", _args(missing)))  # noqa: S608
        if len(found) != len(wanted):
            raise _Retry
    return found


def _lock_youths(rows: list[_Row]) -> list[int]:
    """Lock the young people of the rows (id order) and mark rows whose professional has an active
    signal on the young person already. Read under the lock, so a registration that committed
    while this one waited is seen. Every registration takes its young people before any parent, so
    two of them never wait for each other crosswise."""
    youth_ids = sorted({r.youth_id for r in rows if r.youth_id is not None})
    table = Youth._meta.db_table
    locked = _fetch(f"SELECT id FROM {table} WHERE id {_in(youth_ids)} ORDER BY id{_for_update()}", _args(youth_ids))  # noqa: S608
    if len(locked) != len(youth_ids):  # removed meanwhile (the nightly job or a death)
        raise _Retry
    professionals = sorted({r.professional.pk for r in rows})
    taken = set(
        _fetch(
            f"SELECT youth_id, professional_id FROM {Signal._meta.db_table} WHERE status = %s "  # noqa: S608
            f"AND youth_id {_in(youth_ids)} AND professional_id {_in(professionals)}",
            [SignalStatus.ACTIEF.value, *_args(youth_ids), *_args(professionals)],
        )
    )
    for row in rows:
        if (row.youth_id, row.professional.pk) in taken:
            row.error = _duplicate()
    return youth_ids


def _already_made(actor: Actor, rows: list[_Row]) -> None:
    """Rows whose idempotency key a registration that committed meanwhile (same young person, so
    it held the lock) has used: they answer with that signal instead of an error."""
    keys = sorted({r.data.idempotency_key for r in rows if r.data.idempotency_key})
    if actor.api_client is None or not keys:
        return
    found = {s.idempotency_key: s for s in Signal.objects.filter(api_client=actor.api_client, idempotency_key__in=keys)}
    for row in rows:
        previous = found.get(row.data.idempotency_key) if row.data.idempotency_key else None
        if previous is not None:
            row.error = None
            row.existing = True
            row.signal = previous


def _link_parents(rows: list[_Row], youth_ids: list[int]) -> dict[int, set[int]]:
    """Find or create the parents of the rows, lock every parent of the young people (id order) and
    add the new parent links; returns the parents of each young person.

    Parent links are only added under the young person's lock, so the links read here are complete;
    registrations on siblings meet at the shared parent's lock. A parent key created at the same
    moment by another registration is waited for (unique index) and then shared.
    """
    links: dict[int, set[int]] = {y: set() for y in youth_ids}
    sql = f"SELECT youth_id, parent_id FROM {ParentLink._meta.db_table} WHERE youth_id {_in(youth_ids)}"  # noqa: S608
    for youth_id, parent_id in _fetch(sql, _args(youth_ids)):
        links[youth_id].add(parent_id)
    parent_ids = _parent_ids(k for r in rows for k in r.parent_keys)
    new_links: list[tuple[int, int]] = []
    for row in rows:
        assert row.youth_id is not None
        for key in row.parent_keys:
            parent_id = parent_ids[key]
            if parent_id not in links[row.youth_id]:
                links[row.youth_id].add(parent_id)
                new_links.append((row.youth_id, parent_id))
    parents = sorted({p for ps in links.values() for p in ps})
    if parents:
        _fetch(
            f"SELECT id FROM {ParentKey._meta.db_table} WHERE id {_in(parents)} ORDER BY id{_for_update()}",  # noqa: S608
            _args(parents),
        )
    insert_rows(ParentLink, ("youth_id", "parent_id"), new_links)
    return links


#: The columns of a new signal, as written (``ended_on`` and ``archive_until`` stay empty).
_SIGNAL_COLUMNS = (
    "youth_id",
    "municipality_id",
    "organisation_id",
    "professional_id",
    "wijk_id",
    "contact_phone",
    "contact_email",
    "registered_on",
    "active_until",
    "status",
    "end_reason",
    "api_client_id",
    "idempotency_key",
    "created_at",
)


def _insert_signals(actor: Actor, rows: list[_Row], today: date) -> None:
    now = timezone.now()
    api_client = actor.api_client
    api_client_id = api_client.pk if api_client is not None else None
    status = SignalStatus.ACTIEF.value
    period_end: dict[int, date] = {}
    values: list[tuple[Any, ...]] = []
    for row in rows:
        data, membership, professional = row.data, row.membership, row.professional
        organisation = membership.organisation
        months = row.rules.active_months
        end = period_end.get(months)
        if end is None:
            end = period_end[months] = today + relativedelta(months=months) - timedelta(days=1)
        assert row.youth_id is not None
        values.append(
            (
                row.youth_id,
                organisation.municipality_id,
                organisation.pk,
                professional.pk,
                membership.team.wijk_id if membership.team_id and membership.team else None,
                (data.contact_phone or getattr(professional, "phone", "") or organisation.phone)[:40],
                data.contact_email or professional.email,
                today,
                min(end, row.destroy_on - timedelta(days=1)),
                status,
                "",
                api_client_id,
                data.idempotency_key if api_client is not None else "",
                now,
            )
        )
    ids = insert_rows(Signal, _SIGNAL_COLUMNS, values, ids=True)
    for row, value, pk in zip(rows, values, ids, strict=True):
        # Positional, in the order of the model's fields: id, the first ten columns, ended_on,
        # end_reason, archive_until, api_client_id, idempotency_key, created_at.
        signal = Signal(pk, *value[:10], None, "", None, *value[11:])  # type: ignore[misc]  # positional
        signal._state.adding = False
        signal._state.fields_cache.update(
            organisation=row.membership.organisation, professional=row.professional, api_client=api_client
        )
        row.signal = signal
    insert_rows(
        SignalRecord,
        (
            "signal_id",
            "risk_categories",
            "criteria_confirmed",
            "parents_informed_on",
            "youth_informed_on",
            "notice_postponed",
            "postpone_motivation",
            "remind_on",
        ),
        [
            (
                row.signal.pk,
                sorted({c.strip().lower() for c in row.data.risk_categories if c.strip()}),
                True,
                row.data.parents_informed_on,
                row.data.youth_informed_on,
                row.data.notice_postponed,
                row.data.postpone_motivation.strip() or None,
                today + timedelta(days=NOTICE_REMINDER_DAYS) if row.data.notice_postponed else None,
            )
            for row in rows
            if row.signal is not None
        ],
    )


@dataclass(eq=False)
class _Joined:
    match: Match
    created: bool
    signals: list[_Active]
    newcomers: list[_Active]
    recipients: set[int]
    row: _Row


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one of the registration's fixed reads (plain SQL: no query building per call)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _active_signals(youths: list[int], parents: list[int]) -> tuple[dict[int, list[_Active]], dict[int, set[int]]]:
    """The active signals on the young people and on the other children of their parents (one
    statement); returns them per young person (in id order) and the children with active signals
    per parent."""
    signal, link = Signal._meta.db_table, ParentLink._meta.db_table
    organisation = Signal._meta.get_field("organisation").related_model._meta.db_table  # type: ignore[union-attr]
    columns = "s.id, s.youth_id, s.municipality_id, s.organisation_id, s.professional_id, s.registered_on, o.type"
    sql = (
        f"SELECT NULL, {columns} FROM {signal} s JOIN {organisation} o ON o.id = s.organisation_id "  # noqa: S608
        f"WHERE s.status = %s AND s.youth_id {_in(youths)}"
    )
    params: list[Any] = [SignalStatus.ACTIEF.value, *_args(youths)]
    if parents:
        sql += (
            f" UNION ALL SELECT pl.parent_id, {columns} FROM {link} pl "  # noqa: S608
            f"JOIN {signal} s ON s.youth_id = pl.youth_id JOIN {organisation} o ON o.id = s.organisation_id "
            f"WHERE s.status = %s AND pl.parent_id {_in(parents)}"
        )
        params += [SignalStatus.ACTIEF.value, *_args(parents)]
    seen: dict[int, _Active] = {}
    family: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for parent_id, pk, youth_id, municipality_id, organisation_id, professional_id, on, kind in cursor.fetchall():
            if pk not in seen:
                registered = on if isinstance(on, date) else date.fromisoformat(str(on))
                seen[pk] = _Active(pk, youth_id, municipality_id, organisation_id, professional_id, registered, kind)
            if parent_id is not None:
                family.setdefault(parent_id, set()).add(youth_id)
    by_youth: dict[int, list[_Active]] = {}
    for pk in sorted(seen):
        by_youth.setdefault(seen[pk].youth_id, []).append(seen[pk])
    return by_youth, family


#: The live match statuses as plain strings (query parameters).
_LIVE = [str(status.value) for status in LIVE]


def _live_matches(
    client_youths: list[int], family_parents: list[int]
) -> tuple[dict[tuple[str, int], Match], dict[int, list[tuple[int, int, str, int]]]]:
    """The live client matches of the young people and family matches of the parents, with their
    participants (signal, municipality, signal status, professional): the participants as plain
    values in one statement, then the matches themselves (one row each) in a second."""
    live: dict[tuple[str, int], Match] = {}
    present: dict[int, list[tuple[int, int, str, int]]] = {}
    wanted: list[str] = []
    params: list[Any] = [*_args(_LIVE)]
    if client_youths:
        wanted.append(f"(m.kind = %s AND m.youth_id {_in(client_youths)})")
        params += [CLIENT, *_args(client_youths)]
    if family_parents:
        wanted.append(f"(m.kind = %s AND m.parent_id {_in(family_parents)})")
        params += [FAMILY, *_args(family_parents)]
    if not wanted:
        return live, present
    sql = (
        "SELECT p.match_id, p.signal_id, p.municipality_id, s.status, s.professional_id "  # noqa: S608
        f"FROM {MatchParticipant._meta.db_table} p JOIN {Match._meta.db_table} m ON m.id = p.match_id "
        f"JOIN {Signal._meta.db_table} s ON s.id = p.signal_id "
        f"WHERE m.status {_in(_LIVE)} AND ({' OR '.join(wanted)}) ORDER BY p.id"
    )
    for match_id, *participant in _fetch(sql, params):
        present.setdefault(match_id, []).append(tuple(participant))  # type: ignore[arg-type]
    if present:
        for match in Match.objects.filter(pk__in=list(present)):
            key = match.youth_id if match.kind == CLIENT else match.parent_id
            live[(str(match.kind), key)] = match  # type: ignore[index]
    return live, present


def _match_rows(rows: list[_Row], links: dict[int, set[int]], today: date) -> list[_Joined]:
    """Find and update the client and family matches the new signals make (grouped over the batch).

    A young person with two or more active signals has one live client match; a parent whose
    children hold active signals on two or more of them has one live family match. Existing live
    matches get the new signals as participants; missing ones are created with a proposed coordinator.
    """
    new_ids = {r.signal.pk for r in rows if r.signal is not None}
    first_row: dict[int, _Row] = {}
    for row in rows:
        assert row.youth_id is not None
        first_row.setdefault(row.youth_id, row)
    parents = sorted({p for y in first_row for p in links.get(y, ())})
    by_youth, family = _active_signals(sorted(first_row), parents)
    wanted: list[tuple[str, int, list[_Active], _Row]] = []
    for youth_id, row in first_row.items():
        on_youth = by_youth.get(youth_id, [])
        if len(on_youth) >= 2:
            wanted.append((CLIENT, youth_id, on_youth, row))
    for parent_id in parents:
        members = [y for y in family.get(parent_id, ()) if by_youth.get(y)]
        if len(members) < 2:
            continue
        signals = sorted((s for y in members for s in by_youth[y]), key=lambda s: s.pk)
        row = next(first_row[s.youth_id] for s in signals if s.pk in new_ids)
        wanted.append((FAMILY, parent_id, signals, row))
    if not wanted:
        return []
    client_youths = [k for kind, k, _s, _r in wanted if kind == CLIENT]
    family_parents = [k for kind, k, _s, _r in wanted if kind == FAMILY]
    live, present = _live_matches(client_youths, family_parents)
    joined: list[_Joined] = []
    changed: list[Match] = []
    for kind, key, signals, row in wanted:
        match = live.get((kind, key))
        created = match is None
        if match is None:
            match = Match(
                kind=kind,
                youth_id=key if kind == CLIENT else None,
                parent_id=key if kind == FAMILY else None,
                contact_due=add_working_days(today, row.rules.contact_deadline_workdays),
            )
        before = present.get(match.pk, []) if match.pk else []
        in_match = {p[0] for p in before}
        newcomers = [s for s in signals if s.pk not in in_match]
        municipalities = {s.municipality_id for s in signals} | {p[1] for p in before}
        dirty = False
        if len(municipalities) > 1 and not match.cross_municipality:
            match.cross_municipality = True
            dirty = True
        if match.coordinator_id is None:
            proposed = _propose_coordinator(signals, row.rules)
            if proposed is not None:
                match.coordinator_id = proposed
                dirty = True
        if dirty and not created:
            changed.append(match)
        recipients = {s.professional_id for s in newcomers} | {p[3] for p in before if p[2] == SignalStatus.ACTIEF}
        joined.append(_Joined(match, created, signals, newcomers, recipients, row))
    new_matches = [j.match for j in joined if j.created]
    if new_matches:
        Match.objects.bulk_create(new_matches)
    if changed:
        Match.objects.bulk_update(changed, ["coordinator", "cross_municipality"])
    now = timezone.now()
    insert_rows(
        MatchParticipant,
        ("match_id", "signal_id", "municipality_id", "added_at"),
        [(j.match.pk, s.pk, s.municipality_id, now) for j in joined for s in j.newcomers],
    )
    by_signal: dict[int, list[Match]] = {}
    for j in joined:
        for s in j.signals:
            if s.pk in new_ids:
                by_signal.setdefault(s.pk, []).append(j.match)
    for row in rows:
        assert row.signal is not None
        row.matches = by_signal.get(row.signal.pk, [])
    return joined


@functools.lru_cache(maxsize=8)
def _match_link_template(prefix: str) -> str:
    marker = 987654321
    return reverse("verwijsindex:match", args=[marker]).replace(str(marker), "{}")


def _match_link(match_id: int) -> str:
    """``reverse("verwijsindex:match", args=[match_id])``, without resolving the URL per match."""
    return _match_link_template(get_script_prefix()).format(match_id)


def _write_rows(actor: Actor, rows: list[_Row], today: date) -> list[_Row]:
    """Register prepared rows in the current transaction, set-based; returns the deferred rows.

    A row found bad here (a second signal of the same professional, an identity to confirm) gets
    its ``error`` and writes nothing. Statements per call do not grow with the number of rows.
    """
    new_by_bsn, new_plain = _resolve_youths(rows)
    good = [r for r in rows if r.error is None and not r.deferred]
    if good:
        _create_youths(good, new_by_bsn, new_plain)
        _lock_youths(good)
        _already_made(actor, good)
        good = [r for r in good if r.error is None and not r.existing]
    if good:
        links = _link_parents(good, sorted({r.youth_id for r in good if r.youth_id is not None}))
        _insert_signals(actor, good, today)
        joined = _match_rows(good, links, today)
        youths = sorted({r.youth_id for r in good if r.youth_id is not None})
        history: dict[int, int] = dict(
            _fetch(
                f"SELECT youth_id, COUNT(*) FROM {Signal._meta.db_table} WHERE status = %s "  # noqa: S608
                f"AND youth_id {_in(youths)} GROUP BY youth_id",
                [SignalStatus.GEARCHIVEERD.value, *_args(youths)],
            )
        )
        names = youth_pseudonyms(youths)
        # Each event in the name of its row's actor (for a system: acting for the row's professional).
        entries: list[audit.Entry] = []
        for row in good:
            assert row.signal is not None
            assert row.youth_id is not None
            row.history = history.get(row.youth_id, 0)
            entries.append(
                audit.Entry(
                    action=AuditAction.CREATE,
                    object_type="vi.signal",
                    object_id=row.signal.pk,
                    client_pseudonym=names.get(row.youth_id, ""),
                    details={"matches": [m.pk for m in row.matches], "history": row.history},
                    actor=row.actor,
                )
            )
        for j in joined:
            entries.append(
                audit.Entry(
                    action=AuditAction.CREATE if j.created else AuditAction.UPDATE,
                    object_type="vi.match",
                    object_id=j.match.pk,
                    client_pseudonym=names.get(j.row.youth_id or 0, ""),
                    details={"kind": j.match.kind, "signals": [s.pk for s in j.newcomers]},
                    actor=j.row.actor,
                )
            )
        if joined:
            title = _("Match in de verwijsindex")
            body = _("Een of meer collega's zijn ook betrokken bij een jongere op wie u een signaal heeft afgegeven.")
            notifications_create_many(
                [
                    NewNotification(user_id, "verwijsindex.match", title, body, _match_link(j.match.pk))
                    for j in joined
                    for user_id in sorted(j.recipients)
                ]
            )
            webhooks.match_changes_record([(j.match, [s.pk for s in j.newcomers]) for j in joined])
        # Last: the audit chain lock is shared by every writer and held until the commit.
        audit.record_many(actor=actor, entries=entries)
    return [r for r in rows if r.deferred]


def _run(actor: Actor, rows: list[_Row], today: date, deferred: Sequence[_Row] = ()) -> None:
    """One transaction: the rows set-based, then the deferred ones one by one. Retried after a
    deadlock or a race with a concurrent registration (nothing of a failed attempt remains)."""
    for attempt in range(ATTEMPTS):
        for row in (*rows, *deferred):
            row.reset()
        try:
            with transaction.atomic():
                later = [*_write_rows(actor, rows, today), *deferred]
                for row in sorted(later, key=lambda r: r.index):
                    row.reset()
                    _write_deferred(actor, row, today)
            return
        except (OperationalError, IntegrityError, _Retry) as exc:
            retry = isinstance(exc, IntegrityError | _Retry) or "deadlock" in str(exc).lower()
            if not retry or attempt == ATTEMPTS - 1:
                if isinstance(exc, _Retry):
                    raise ConflictError from exc
                raise
            logger.info("verwijsindex registration retried after %s", type(exc).__name__)


def _write_deferred(actor: Actor, row: _Row, today: date) -> None:
    key = row.data.idempotency_key
    if actor.api_client is not None and key:
        previous = Signal.objects.filter(api_client=actor.api_client, idempotency_key=key).first()
        if previous is not None:
            row.signal = previous
            row.existing = True
            return
    _write_rows(actor, [row], today)


def _record_identity_questions(actor: Actor, rows: Sequence[_Row]) -> None:
    """Each identity question is an existence look-up: audited with the young people proposed and
    counted per caller, after the registration's transaction (so it stays although nothing was
    registered). Over the limit the question becomes a refusal that proposes nobody."""
    for row in rows:
        if isinstance(row.error, IdentityConfirmationError):
            try:
                lookups.record_hit(
                    actor,
                    object_type="youth_lookup",
                    pseudonyms=sorted(youth_pseudonyms(row.error.candidates).values()),
                    field="identity",
                    details={"field": "name_birth"},
                )
            except DomainError as exc:
                row.error = exc


def signal_register(*, actor: Actor, data: Registration, today: date | None = None) -> RegistrationResult:
    """Register that a professional is involved with a young person; match at once."""
    today = today or timezone.localdate()
    party = _registering_party(actor, data)
    assert party.membership is not None
    rules = _check_authorised(party.membership)
    if actor.api_client is not None and data.idempotency_key:
        previous = Signal.objects.filter(api_client=actor.api_client, idempotency_key=data.idempotency_key).first()
        if previous is not None:
            return RegistrationResult(signal=previous, created=False, matches=[])
    row = _prepare(0, data, party, rules, today)
    if not row.bsn_key:
        lookups.ensure_allowed(actor, object_type="youth_lookup", field="identity")
    _run(actor, [row], today)
    _record_identity_questions(actor, [row])
    if row.error is not None:
        raise row.error
    assert row.signal is not None
    if row.existing:  # a call with the same key committed while this one waited for the lock
        return RegistrationResult(signal=row.signal, created=False, matches=[])
    return RegistrationResult(signal=row.signal, created=True, matches=row.matches, history=row.history)


@dataclass
class BulkOutcome:
    """What became of one registration of a bulk call: ``created``, ``existing`` or ``error``."""

    status: str
    signal: Signal | None = None
    matches: list[Match] = field(default_factory=list)
    error: DomainError | None = None


def _registering_parties(actor: Actor, registrations: Sequence[Registration]) -> list[Actor | DomainError]:
    """:func:`_registering_party` for many registrations with one query (an error per refused row)."""
    client = actor.api_client
    if client is None:
        if actor.user is None or actor.membership is None or actor.membership.role not in CASE_ROLES:
            raise NotFoundError
        return [actor] * len(registrations)
    if actor.user is not None:  # already acting for one professional: every row is theirs
        return [actor if r.professional_id in (None, actor.user.pk) else refused("professional") for r in registrations]
    members = eligible_memberships(client, {r.professional_id for r in registrations if r.professional_id})
    acting: dict[int, Actor] = {}
    out: list[Actor | DomainError] = []
    for registration in registrations:
        if registration.professional_id is None:
            out.append(_no_professional())
            continue
        found = members.get(str(registration.professional_id))
        if found is None:
            out.append(refused("professional"))
            continue
        if found.user_id not in acting:
            acting[found.user_id] = acting_for(client, found)
        out.append(acting[found.user_id])
    return out


#: Rows of one bulk call at most (the API's limit).
BULK_MAX = 1000


def signals_register_bulk(
    *, actor: Actor, registrations: Sequence[Registration], today: date | None = None
) -> list[BulkOutcome]:
    """Register many signals in one transaction, set-based, each row with its own outcome.

    The same rules, matching, audit, notifications and feed events as :func:`signal_register`, with
    statements per call instead of per row: the young people and parents are looked up and created
    with one statement each, locked once (young people, then parents, each in id order), the
    signals and records written with one INSERT each, the matches found with grouped queries, every
    registration audited in one multi-row append (one chain lock), one notification per match and
    recipient and one e-mail per recipient. A bad row (invalid, not authorised, a second signal of
    the same professional, an identity to confirm) gets its error and changes nothing; the good rows
    are kept. A row whose idempotency key was used before answers ``existing``. A row that depends
    on an earlier row of the same call (the same idempotency key; without BSN, the same name and
    birth date as a young person the call creates) is handled after the others, as if sent later.
    """
    if len(registrations) > BULK_MAX:
        raise DomainError(_("Stuur hoogstens %(n)d signalen per keer.") % {"n": BULK_MAX}, field="signals")
    with gc_paused():
        return _register_bulk(actor, registrations, today or timezone.localdate())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's automatic cycle collection for one bulk call (at most :data:`BULK_MAX` rows;
    the API's bulk endpoint holds it over its per-row validation too).

    A call keeps tens of thousands of objects alive until it ends; with collection on, they push
    the collector into full passes over the whole process heap (about a tenth of a second, once
    or more per call), although nearly all of them are freed by reference counting when the call
    ends. Afterwards only the youngest generation is collected (what the call left alive).
    """
    if not gc.isenabled():  # paused already (a nested call or another thread's)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _register_bulk(actor: Actor, registrations: Sequence[Registration], today: date) -> list[BulkOutcome]:
    outcomes: list[BulkOutcome | None] = [None] * len(registrations)
    parties = _registering_parties(actor, registrations)
    keys = (
        sorted({r.idempotency_key for r in registrations if r.idempotency_key}) if actor.api_client is not None else []
    )
    previous = (
        {s.idempotency_key: s for s in Signal.objects.filter(api_client=actor.api_client, idempotency_key__in=keys)}
        if keys
        else {}
    )
    authorised: dict[int, IndexSettings | DomainError] = {}
    memo = _Memo()
    rows: list[_Row] = []
    deferred: list[_Row] = []
    seen_keys: set[str] = set()
    for index, data in enumerate(registrations):
        party = parties[index]
        if isinstance(party, DomainError):
            outcomes[index] = BulkOutcome("error", error=party)
            continue
        membership = party.membership
        assert membership is not None
        rules = authorised.get(membership.organisation_id)
        if rules is None:
            try:
                rules = _check_authorised(membership)
            except DomainError as exc:
                rules = exc
            authorised[membership.organisation_id] = rules
        if isinstance(rules, DomainError):
            outcomes[index] = BulkOutcome("error", error=rules)
            continue
        key = data.idempotency_key if actor.api_client is not None else ""
        if key in previous:
            outcomes[index] = BulkOutcome("existing", signal=previous[key])
            continue
        try:
            row = _prepare(index, data, party, rules, today, memo)
        except DomainError as exc:
            outcomes[index] = BulkOutcome("error", error=exc)
            continue
        if key and key in seen_keys:
            deferred.append(row)
        else:
            seen_keys.add(key)
            rows.append(row)
    if any(not row.bsn_key for row in (*rows, *deferred)):
        try:
            lookups.ensure_allowed(actor, object_type="youth_lookup", field="identity")
        except DomainError as exc:
            for row in (*rows, *deferred):
                if not row.bsn_key:
                    outcomes[row.index] = BulkOutcome("error", error=exc)
            rows = [row for row in rows if row.bsn_key]
            deferred = [row for row in deferred if row.bsn_key]
    if rows or deferred:
        _run(actor, rows, today, deferred)
        _record_identity_questions(actor, [*rows, *deferred])
    for row in (*rows, *deferred):
        if row.error is not None:
            outcomes[row.index] = BulkOutcome("error", error=row.error)
        elif row.existing:
            outcomes[row.index] = BulkOutcome("existing", signal=row.signal)
        else:
            outcomes[row.index] = BulkOutcome("created", signal=row.signal, matches=row.matches)
    return [o if o is not None else BulkOutcome("error", error=DomainError()) for o in outcomes]


# --- ending signals ----------------------------------------------------------------------------


def _archive_until(signal: Signal, today: date) -> date:
    return min(today + relativedelta(years=ARCHIVE_YEARS), signal.youth.destroy_on)


def _close_matches_without_pairs(match_ids: Iterable[int] | None = None) -> int:
    """End live matches that no longer have two active signals (two young people for a family match)."""
    qs = Match.objects.filter(status__in=LIVE)
    if match_ids is not None:
        qs = qs.filter(pk__in=list(match_ids))
    client = (
        qs.filter(kind=MatchKind.CLIENT)
        .annotate(active=Count("participants", filter=Q(participants__signal__status=SignalStatus.ACTIEF)))
        .filter(active__lt=2)
        .values_list("pk", flat=True)
    )
    family = (
        qs.filter(kind=MatchKind.FAMILY)
        .annotate(
            youths=Count(
                "participants__signal__youth",
                filter=Q(participants__signal__status=SignalStatus.ACTIEF),
                distinct=True,
            )
        )
        .filter(youths__lt=2)
        .values_list("pk", flat=True)
    )
    ended = list(client) + list(family)
    if ended:
        Match.objects.filter(pk__in=ended).update(status=MatchStatus.BEEINDIGD, version=F("version") + 1)
        MatchEvent.objects.bulk_create(
            [MatchEvent(match_id=pk, kind=MatchEvent.Kind.GESLOTEN, actor=None) for pk in ended]
        )
        webhooks.matches_ended_record(ended)
    return len(ended)


def signal_withdraw(*, actor: Actor, signal_id: int, today: date | None = None) -> Signal:
    """The professional withdraws their own signal; it moves to the archive and stops matching."""
    today = today or timezone.localdate()
    if actor.api_client is not None:
        own = signals_of_system(actor.api_client)
    elif actor.user is not None:
        own = signals_visible_to(actor.user)
    else:
        raise NotFoundError
    qs = own.select_related("youth").filter(pk=signal_id, status=SignalStatus.ACTIEF)
    with transaction.atomic():
        signal = qs.select_for_update().first()
        if signal is None:
            raise NotFoundError
        signal.status = SignalStatus.GEARCHIVEERD
        signal.ended_on = today
        signal.end_reason = EndReason.INGETROKKEN
        signal.archive_until = _archive_until(signal, today)
        signal.save(update_fields=["status", "ended_on", "end_reason", "archive_until"])
        matches = list(MatchParticipant.objects.filter(signal=signal).values_list("match_id", flat=True))
        _close_matches_without_pairs(matches)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="vi.signal",
            object_id=signal.pk,
            client_pseudonym=youth_pseudonyms([signal.youth_id]).get(signal.youth_id, ""),
            details={"ended": EndReason.INGETROKKEN},
        )
    return signal


# --- after a match ---------------------------------------------------------------------------


def _participant_signal(actor: Actor, match: Match) -> Signal:
    if actor.user is None:
        raise NotFoundError
    signal = (
        Signal.objects.filter(participations__match=match, professional=actor.user, status=SignalStatus.ACTIEF)
        .select_related("organisation")
        .first()
    )
    if signal is None:
        raise NotFoundError
    return signal


def _event(actor: Actor, match: Match, kind: str, **details: Any) -> None:
    MatchEvent.objects.create(match=match, kind=kind, actor=actor.user, details=details)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="vi.match",
        object_id=match.pk,
        client_pseudonym=youth_pseudonyms([match.youth_id]).get(match.youth_id or 0, ""),
        details={"event": kind, **details},
    )


def _bump(match: Match, expected_version: int | None, **changes: Any) -> None:
    qs = Match.objects.filter(pk=match.pk, status__in=LIVE)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if qs.update(version=F("version") + 1, **changes) != 1:
        raise ConflictError
    match.refresh_from_db()


def match_record_contact(*, actor: Actor, match: Match) -> Match:
    """A professional of the match records that contact between them was made."""
    _participant_signal(actor, match)
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if match.contact_at is None:
            changes["contact_at"] = timezone.now()
        if match.status == MatchStatus.OPEN:
            changes["status"] = MatchStatus.CONTACT
        _bump(match, None, **changes)
        _event(actor, match, MatchEvent.Kind.CONTACT)
    return match


def match_record_coordinated(*, actor: Actor, match: Match) -> Match:
    """The professionals agreed who does what: the help is coordinated."""
    _participant_signal(actor, match)
    with transaction.atomic():
        _bump(
            match,
            None,
            status=MatchStatus.AFGESTEMD,
            coordinated_at=timezone.now(),
            contact_at=match.contact_at or timezone.now(),
        )
        _event(actor, match, MatchEvent.Kind.AFGESTEMD)
    return match


def match_set_coordinator(*, actor: Actor, match: Match, signal_id: int, expected_version: int | None = None) -> Match:
    """Accept the proposed coordinator (same signal) or choose another participant of the match."""
    _participant_signal(actor, match)
    chosen = (
        Signal.objects.filter(pk=signal_id, participations__match=match, status=SignalStatus.ACTIEF)
        .select_related("organisation")
        .first()
    )
    if chosen is None:
        raise DomainError(_("Kies een professional die bij deze match hoort."), field="coordinator")
    with transaction.atomic():
        _bump(match, expected_version, coordinator=chosen, coordinator_accepted=True)
        _event(actor, match, MatchEvent.Kind.COORDINATOR, signal=chosen.pk)
    return match


def match_invite(*, actor: Actor, match: Match, proposed_on: date | None) -> Match:
    """The coordinator invites the other professionals of the match to a case conference."""
    signal = _participant_signal(actor, match)
    if match.coordinator_id != signal.pk:
        raise DomainError(_("Alleen de coördinator van de match nodigt uit voor een casusoverleg."))
    if proposed_on is None or proposed_on < timezone.localdate():
        raise DomainError(_("Kies een datum vanaf vandaag voor het overleg."), field="proposed_on")
    others = list(
        User.objects.filter(vi_signals__participations__match=match, vi_signals__status=SignalStatus.ACTIEF)
        .exclude(pk=signal.professional_id)
        .distinct()
    )
    with transaction.atomic():
        _bump(match, None)
        _event(actor, match, MatchEvent.Kind.UITNODIGING, proposed_on=proposed_on.isoformat())
        notification_send(
            recipients=others,
            kind="verwijsindex.invite",
            title=_("Uitnodiging voor een casusoverleg"),
            body=_("De coördinator van een match in de verwijsindex stelt een overleg voor op %(day)s.")
            % {"day": proposed_on.strftime("%d-%m-%Y")},
            link=reverse("verwijsindex:match", args=[match.pk]),
        )
    return match


def notice_record(
    *, actor: Actor, signal_id: int, parents_informed_on: date | None, youth_informed_on: date | None
) -> SignalRecord:
    """Record later that the parents and/or the young person were informed (after a postponement)."""
    if actor.user is None:
        raise NotFoundError
    record = (
        SignalRecord.objects.filter(signal_id=signal_id, signal__in=signals_visible_to(actor.user))
        .select_related("signal")
        .first()
    )
    if record is None:
        raise NotFoundError
    today = timezone.localdate()
    for name, value in (("parents_informed_on", parents_informed_on), ("youth_informed_on", youth_informed_on)):
        if value is not None and value > today:
            raise DomainError(_("Deze datum ligt in de toekomst."), field=name)
    if parents_informed_on is None and youth_informed_on is None:
        raise DomainError(_("Vul minstens één datum in."), field="parents_informed_on")
    with transaction.atomic():
        record.parents_informed_on = parents_informed_on or record.parents_informed_on
        record.youth_informed_on = youth_informed_on or record.youth_informed_on
        record.notice_postponed = False
        record.remind_on = None
        record.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="vi.notice", object_id=record.signal_id)
    return record


# --- scheduled jobs ----------------------------------------------------------------------------


@dataclass
class LifecycleReport:
    expired: int = 0
    aged_out_youths: int = 0
    archive_purged: int = 0
    matches_ended: int = 0


def lifecycle_run(*, today: date | None = None) -> LifecycleReport:
    """The nightly job: expire, age out at 23, purge the archive after 5 years. Logs counts, never content."""
    today = today or timezone.localdate()
    report = LifecycleReport()
    with transaction.atomic():
        # 1. Young people who turned 23: everything about them goes, whatever its status.
        aged = Youth.objects.filter(destroy_on__lte=today)
        aged_ids = list(aged.values_list("pk", flat=True)[:100_000])
        if aged_ids:
            Match.objects.filter(youth_id__in=aged_ids).delete()
            Signal.objects.filter(youth_id__in=aged_ids).delete()
            report.aged_out_youths = Youth.objects.filter(pk__in=aged_ids).delete()[1].get("verwijsindex.Youth", 0)
        # 2. Active signals past their period move to the archive.
        # Work by id, in chunks: the planner cannot see that status and active_until are correlated
        # (every archived signal has an old active_until), overestimates the batch by orders of
        # magnitude and would scan every match participant for a subquery on the signals.
        expiring = list(
            Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=today).values_list("pk", flat=True)
        )
        touched_ids: set[int] = set()
        for start in range(0, len(expiring), LIFECYCLE_CHUNK):
            ids = expiring[start : start + LIFECYCLE_CHUNK]
            touched_ids.update(MatchParticipant.objects.filter(signal_id__in=ids).values_list("match_id", flat=True))
            report.expired += Signal.objects.filter(pk__in=ids, status=SignalStatus.ACTIEF).update(
                status=SignalStatus.GEARCHIVEERD,
                ended_on=today,
                end_reason=EndReason.VERLOPEN,
                archive_until=today + relativedelta(years=ARCHIVE_YEARS),
            )
        touched = sorted(touched_ids)
        # 3. Archived signals past 5 years are destroyed; so are young people left without signals.
        purge = Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=today)
        purge_youths = set(purge.values_list("youth_id", flat=True))
        report.archive_purged = purge.delete()[1].get("verwijsindex.Signal", 0)
        if purge_youths:
            Youth.objects.filter(pk__in=purge_youths, signals__isnull=True).delete()
        # Family matches lost with a family member: end matches without two active signals.
        report.matches_ended = _close_matches_without_pairs(touched or None) if touched else 0
        audit.record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="vi.lifecycle",
            user_label="verwijsindex-levenscyclus",
            details=report.__dict__,
        )
    return report


def youth_deceased(*, actor: Actor, bsn: str) -> int:
    """Destroy everything about a young person who died (by the regievoerder). Returns signals removed."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    if not is_regievoerder(actor.user):
        raise NotFoundError
    if not is_valid_bsn(bsn):
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")
    youth = Youth.objects.filter(bsn_key=youth_key(bsn)).first()
    if youth is None:
        raise DomainError(_("Deze jongere staat niet in de verwijsindex."), field="bsn")
    with transaction.atomic():
        Match.objects.filter(youth=youth).delete()
        removed = Signal.objects.filter(youth=youth).delete()[1].get("verwijsindex.Signal", 0)
        youth.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="vi.youth",
            reason=EndReason.OVERLEDEN,
            details={"signals": removed},
        )
    return removed


def alerts_run(*, today: date | None = None) -> dict[str, int]:
    """Alert regievoerders to matches without contact past the deadline; remind postponed notices."""
    today = today or timezone.localdate()
    overdue = list(
        Match.objects.filter(status=MatchStatus.OPEN, contact_due__lt=today, regievoerder_alerted_at__isnull=True)
    )
    alerted = 0
    for match in overdue:
        municipalities = set(match.participants.values_list("municipality_id", flat=True))
        users = [r.user for r in Regievoerder.objects.filter(municipality_id__in=municipalities).select_related("user")]
        with transaction.atomic():
            if Match.objects.filter(pk=match.pk, regievoerder_alerted_at__isnull=True).update(
                regievoerder_alerted_at=timezone.now()
            ):
                notification_send(
                    recipients=users,
                    kind="verwijsindex.overdue",
                    title=_("Match zonder contact"),
                    body=_(
                        "Bij een match in de verwijsindex is na de afgesproken termijn nog geen contact vastgelegd."
                    ),
                    link=reverse("verwijsindex:regie"),
                )
                alerted += 1
    reminders = 0
    for record in SignalRecord.objects.filter(
        notice_postponed=True, remind_on__lte=today, reminded_at__isnull=True, signal__status=SignalStatus.ACTIEF
    ).select_related("signal__professional"):
        with transaction.atomic():
            if SignalRecord.objects.filter(pk=record.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                notification_send(
                    recipients=[record.signal.professional],
                    kind="verwijsindex.notice",
                    title=_("Informeren nog niet vastgelegd"),
                    body=_(
                        "U heeft het informeren over een signaal in de verwijsindex uitgesteld. "
                        "Is het inmiddels gebeurd?"
                    ),
                    link=reverse("verwijsindex:signal", args=[record.signal_id]),
                )
                reminders += 1
    return {"alerted": alerted, "reminders": reminders}


def index_settings_update(*, actor: Actor, municipality: Municipality, **values: Any) -> IndexSettings:
    """The functioneel beheerder of the gemeente sets the municipality's verwijsindex rules."""
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    if actor.membership.organisation.municipality_id != municipality.pk:
        raise NotFoundError
    months = values.get("active_months", 24)
    if not 1 <= int(months) <= 24:
        raise DomainError(_("Kies een looptijd van 1 tot en met 24 maanden."), field="active_months")
    unknown = [t for t in values.get("registering_types", []) if t not in OrganisationType.values]
    if unknown:
        raise DomainError(_("Onbekende soort organisatie."), field="registering_types")
    with transaction.atomic():
        obj, _created = IndexSettings.objects.update_or_create(municipality=municipality, defaults=values)
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="vi.settings", object_id=municipality.pk)
    return obj


def _manager_municipality(actor: Actor) -> int:
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    return int(actor.membership.organisation.municipality_id)


def regievoerder_add(*, actor: Actor, username: str) -> Regievoerder:
    """The functioneel beheerder of the gemeente designates a regievoerder (a member of an organisation there)."""
    municipality_id = _manager_municipality(actor)
    name = username.strip()
    user = (
        User.objects.filter(
            Q(username__iexact=name) | Q(email__iexact=name),
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__municipality_id=municipality_id,
        )
        .distinct()
        .first()
        if name
        else None
    )
    if user is None:
        raise DomainError(
            _("Er is geen actieve medewerker met deze gebruikersnaam of dit e-mailadres in uw gemeente."),
            field="username",
        )
    if Regievoerder.objects.filter(municipality_id=municipality_id, user=user).exists():
        raise DomainError(_("Deze medewerker is al regievoerder."), field="username")
    with transaction.atomic():
        designation = Regievoerder.objects.create(municipality_id=municipality_id, user=user)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="vi.regievoerder",
            object_id=designation.pk,
            details={"user": user.pk},
        )
    return designation


def regievoerder_remove(*, actor: Actor, regievoerder_id: int) -> None:
    """End a regievoerder designation of the actor's municipality."""
    municipality_id = _manager_municipality(actor)
    with transaction.atomic():
        designation = (
            Regievoerder.objects.select_for_update().filter(pk=regievoerder_id, municipality_id=municipality_id).first()
        )
        if designation is None:
            raise NotFoundError
        user_id = designation.user_id
        designation.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="vi.regievoerder",
            object_id=regievoerder_id,
            details={"user": user_id},
        )
