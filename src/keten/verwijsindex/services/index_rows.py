"""Registrations on their way into the index, set-based: the young people and parents found or
created, locked in id order, and the signals and the professionals' own records written with one
INSERT each. A batch of 1,000 costs about the same number of statements as one registration.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, User
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.verwijsindex.copying import any_args as _args
from keten.verwijsindex.copying import any_of as _in
from keten.verwijsindex.copying import insert_rows
from keten.verwijsindex.models import (
    IndexSettings,
    Match,
    ParentKey,
    ParentLink,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
    youth_pseudonym,
)
from keten.verwijsindex.services.validation import (
    MAX_AGE,
    IdentityConfirmationError,
    Memo,
    Registration,
    check_registration,
)

NOTICE_REMINDER_DAYS = 14


class Retry(Exception):  # noqa: N818
    """Something this batch read before taking its locks changed concurrently: start again."""


def duplicate() -> DomainError:
    return DomainError(
        _("U heeft al een actief signaal op deze jongere. Een tweede signaal is niet nodig."), field="identity"
    )


@dataclass(eq=False)
class Row:
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


def prepare(
    index: int,
    data: Registration,
    party: Actor,
    rules: IndexSettings,
    today: date,
    memo: Memo | None = None,
) -> Row:
    """Validate one registration (DomainError when bad) and compute its keys; no database access."""
    assert party.user is not None
    assert party.membership is not None
    memo = memo or Memo()
    _age, bsn_key, name_key = check_registration(data, today, memo)
    assert data.identity.date_of_birth is not None
    parents = dict.fromkeys(memo.bsn(b)[0] for b in data.identity.parent_bsns)
    return Row(
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


def _new_youth(row: Row, bsn_key: str | None) -> Youth:
    ident = row.data.identity
    return Youth(
        bsn_key=bsn_key,
        name_birth_key=row.name_key,
        display_name=f"{ident.first_name.strip()} {ident.last_name.strip()}",
        date_of_birth=ident.date_of_birth,
        destroy_on=row.destroy_on,
    )


def resolve_youths(rows: list[Row]) -> tuple[dict[str, Row], list[Row]]:
    """Find the young person of every row (one query per kind of key); mark bad and dependent rows.

    Returns the rows that create a young person with a BSN (first row per key) and without one.
    A row without BSN whose name and birth date match a young person an earlier row of the batch
    creates is deferred: registered one by one, it would have been asked to confirm the identity.
    """
    youth = Youth._meta.db_table
    bsn_keys = sorted({r.bsn_key for r in rows if r.bsn_key})
    by_bsn: dict[str, int] = {}
    if bsn_keys:
        by_bsn = dict(fetch(f"SELECT bsn_key, id FROM {youth} WHERE bsn_key {_in(bsn_keys)}", _args(bsn_keys)))  # noqa: S608
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
        for key, municipality_id, pk in fetch(sql, _args(name_keys)):
            named.setdefault((key, municipality_id), []).append(pk)
    new_by_bsn: dict[str, Row] = {}
    new_plain: list[Row] = []
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
            row.error = duplicate()
            continue
        pairs.add(pair)
    return new_by_bsn, new_plain


def create_youths(rows: list[Row], new_by_bsn: dict[str, Row], new_plain: list[Row]) -> None:
    if new_by_bsn:
        # Registered at the same moment elsewhere: the insert waits for it and theirs is the one.
        Youth.objects.bulk_create([_new_youth(r, k) for k, r in sorted(new_by_bsn.items())], ignore_conflicts=True)
        made = dict(Youth.objects.filter(bsn_key__in=list(new_by_bsn)).values_list("bsn_key", "pk"))
        for row in rows:
            if row.bsn_key in new_by_bsn:
                if row.bsn_key not in made:
                    raise Retry
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
    found: dict[str, int] = dict(fetch(f"SELECT key, id FROM {table} WHERE key {_in(wanted)}", _args(wanted)))  # noqa: S608
    missing = [k for k in wanted if k not in found]
    if missing:
        ParentKey.objects.bulk_create([ParentKey(key=k) for k in missing], ignore_conflicts=True)
        found.update(fetch(f"SELECT key, id FROM {table} WHERE key {_in(missing)}", _args(missing)))  # noqa: S608
        if len(found) != len(wanted):
            raise Retry
    return found


def lock_youths(rows: list[Row]) -> list[int]:
    """Lock the young people of the rows (id order) and mark rows whose professional has an active
    signal on the young person already. Read under the lock, so a registration that committed
    while this one waited is seen. Every registration takes its young people before any parent, so
    two of them never wait for each other crosswise."""
    youth_ids = sorted({r.youth_id for r in rows if r.youth_id is not None})
    table = Youth._meta.db_table
    locked = fetch(f"SELECT id FROM {table} WHERE id {_in(youth_ids)} ORDER BY id{for_update()}", _args(youth_ids))  # noqa: S608
    if len(locked) != len(youth_ids):  # removed meanwhile (the nightly job or a death)
        raise Retry
    professionals = sorted({r.professional.pk for r in rows})
    taken = set(
        fetch(
            f"SELECT youth_id, professional_id FROM {Signal._meta.db_table} WHERE status = %s "  # noqa: S608
            f"AND youth_id {_in(youth_ids)} AND professional_id {_in(professionals)}",
            [SignalStatus.ACTIEF.value, *_args(youth_ids), *_args(professionals)],
        )
    )
    for row in rows:
        if (row.youth_id, row.professional.pk) in taken:
            row.error = duplicate()
    return youth_ids


def already_made(actor: Actor, rows: list[Row]) -> None:
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


def link_parents(rows: list[Row], youth_ids: list[int]) -> dict[int, set[int]]:
    """Find or create the parents of the rows, lock every parent of the young people (id order) and
    add the new parent links; returns the parents of each young person.

    Parent links are only added under the young person's lock, so the links read here are complete;
    registrations on siblings meet at the shared parent's lock. A parent key created at the same
    moment by another registration is waited for (unique index) and then shared.
    """
    links: dict[int, set[int]] = {y: set() for y in youth_ids}
    sql = f"SELECT youth_id, parent_id FROM {ParentLink._meta.db_table} WHERE youth_id {_in(youth_ids)}"  # noqa: S608
    for youth_id, parent_id in fetch(sql, _args(youth_ids)):
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
        fetch(
            f"SELECT id FROM {ParentKey._meta.db_table} WHERE id {_in(parents)} ORDER BY id{for_update()}",  # noqa: S608
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


def insert_signals(actor: Actor, rows: list[Row], today: date) -> None:
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


def for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one of the registration's fixed reads (plain SQL: no query building per call)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())
