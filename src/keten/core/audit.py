"""Writing and verifying the append-only, hash-chained audit log.

Every write of client data records its event inside the same transaction as the write; every read
of client data records a ``view`` event. Each event's hash covers its own columns and the hash of
the event before it. ``verify_chain`` walks the chain and reports the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from keten.core.actor import Actor
from keten.core.models import AuditAction, AuditEvent, AuditEventClient
from keten.core.requestcontext import client_ip_var, request_id_var

GENESIS_HASH = "0" * 64
# Arbitrary constant that identifies the audit chain's advisory lock on PostgreSQL.
_CHAIN_LOCK_KEY = 4_242_000_001

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "client_pseudonym",
    "reason",
    "details",
    "request_id",
    "ip",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def compute_hash(values: dict[str, Any], prev_hash: str) -> str:
    payload = {name: _canonical(values.get(name)) for name in HASHED_FIELDS}
    payload["prev_hash"] = prev_hash
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _lock_chain_and_get_head() -> str:
    """Serialise appends (so two transactions never chain onto the same predecessor) and return the
    hash of the newest event. On SQLite the connection runs IMMEDIATE transactions, which hold the
    write lock already.

    On PostgreSQL the head must be read by a statement that *starts* after the lock is granted: a
    statement sees the rows committed before it started (READ COMMITTED), so a head read in the
    statement that waited for the lock misses the event the lock holder committed meanwhile, and
    two events would chain onto the same predecessor. The lock and the read are two statements
    sent in one round trip (client-side binding allows that), else two round trips.
    """
    if connection.vendor == "postgresql":
        from psycopg import ClientCursor

        head = "SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1"
        with connection.cursor() as cursor:
            if isinstance(cursor.cursor, ClientCursor):
                cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {head}", [_CHAIN_LOCK_KEY])
                cursor.nextset()
            else:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
                cursor.execute(head)
            row = cursor.fetchone()
        return (row[0] if row else None) or GENESIS_HASH
    return AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS_HASH


def lock_chain() -> None:
    """Take the chain lock without reading the head (bulk writers read it themselves)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _with_system(actor: Actor | None, details: dict[str, Any] | None) -> dict[str, Any]:
    """The details, plus which system acted for which professional (api client and user id)."""
    extra = actor.system_details if actor is not None else {}
    return {**(details or {}), **extra} if extra else (details or {})


@dataclass
class _Batch:
    """Events recorded inside :func:`batched`, written when it ends."""

    depth: int  # how many atomic blocks were open when the batch began
    events: list[tuple[AuditEvent, list[str]]] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("keten_audit_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Write the events :func:`record` records inside the block together when the block ends: one
    chain lock, one INSERT of the events and one of their listed families, however many events.

    For a page that reads through several selectors (the start page), each still recording its own
    event. The events are chained and stored exactly as single appends are; :func:`record` returns
    each event unsaved, and it is saved (with its id and hash) when the block ends. An event
    recorded inside a transaction opened within the block is written at once, so that it rolls back
    with that transaction. When the block ends with an exception, what was recorded before it is
    still written. Nested blocks join the outer one.
    """
    if _batch.get() is not None:
        yield
        return
    batch = _Batch(depth=len(connection.atomic_blocks))
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        _append(batch.events)


def _append(events: list[tuple[AuditEvent, list[str]]]) -> None:
    """Chain ``events`` (built by :func:`record`, unsaved) onto the head and store them, with their
    listed families: three queries whatever their number."""
    if not events:
        return
    with transaction.atomic(savepoint=False):
        prev = _lock_chain_and_get_head()
        for event, _clients in events:
            values = {name: getattr(event, name) for name in HASHED_FIELDS}
            event.prev_hash = prev
            event.hash = prev = compute_hash(values, prev)
        stored = AuditEvent.objects.bulk_create([event for event, _clients in events])
        ids = [event.pk for event in stored]
        # The ids come from the sequence under the chain lock, one per row in the order of the rows,
        # so the id order is the chain order (verify_chain walks the ids).
        if any(pk is None for pk in ids) or ids != sorted(ids):
            raise RuntimeError("audit events were not given ascending ids in chain order")
        rows = [AuditEventClient(event=event, pseudonym=p) for event, shown in events for p in shown]
        if rows:
            AuditEventClient.objects.bulk_create(rows)


def record(
    *,
    actor: Actor | None,
    action: AuditAction | str,
    object_type: str = "",
    object_id: str | int = "",
    client_pseudonym: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    user_label: str = "",
    clients: Iterable[str] = (),
) -> AuditEvent:
    """Append one event. Joins the caller's transaction, so it commits or rolls back with the write.

    ``clients``: the pseudonyms of the families a list read showed; each gets an
    :class:`AuditEventClient` row, so the per-family filter of the audit log finds the event.

    Inside :func:`batched` (and outside any transaction opened within it) the event is returned
    unsaved and written when the block ends.
    """
    batch = _batch.get()
    if batch is not None and batch.depth == len(connection.atomic_blocks):
        values = _values(actor, action, object_type, object_id, client_pseudonym, reason, details, user_label)
        event = AuditEvent(**values)
        batch.events.append((event, sorted({p for p in clients if p})))
        return event
    with transaction.atomic():
        prev = _lock_chain_and_get_head()
        values = _values(actor, action, object_type, object_id, client_pseudonym, reason, details, user_label)
        event = AuditEvent(**values, prev_hash=prev, hash=compute_hash(values, prev))
        event.save(force_insert=True)
        shown = sorted({p for p in clients if p})
        if shown:
            AuditEventClient.objects.bulk_create([AuditEventClient(event=event, pseudonym=p) for p in shown])
        return event


def _values(
    actor: Actor | None,
    action: AuditAction | str,
    object_type: str,
    object_id: str | int,
    client_pseudonym: str,
    reason: str,
    details: dict[str, Any] | None,
    user_label: str,
) -> dict[str, Any]:
    return {
        "occurred_at": timezone.now(),
        "actor_id": actor.user_id if actor else None,
        "actor_label": (actor.label if actor else "") or user_label,
        "organisation_id": actor.organisation_id if actor else None,
        "role": actor.role if actor else "",
        "action": str(action),
        "object_type": object_type,
        "object_id": str(object_id),
        "client_pseudonym": client_pseudonym,
        "reason": reason,
        "details": _with_system(actor, details),
        "request_id": request_id_var.get(),
        "ip": client_ip_var.get(),
    }


@dataclass(frozen=True)
class Entry:
    """One event for :func:`record_many` (the actor is given once for the whole batch, unless the
    entry names its own: a system registering for several of its professionals in one call)."""

    action: AuditAction | str
    object_type: str = ""
    object_id: str | int = ""
    client_pseudonym: str = ""
    reason: str = ""
    details: dict[str, Any] | None = None
    actor: Actor | None = None


def _actor_values(actor: Actor | None, user_label: str) -> dict[str, Any]:
    return {
        "actor_id": actor.user_id if actor else None,
        "actor_label": (actor.label if actor else "") or user_label,
        "organisation_id": actor.organisation_id if actor else None,
        "role": actor.role if actor else "",
    }


def record_many(*, actor: Actor | None, entries: Sequence[Entry], user_label: str = "") -> list[AuditEvent]:
    """Append several events of one actor with one chain lock and one multi-row INSERT.

    Each event is chained exactly as :func:`record` chains it (its ``prev_hash`` is the hash of the
    event before it, in id order), so :func:`verify_chain` cannot tell the difference. Joins the
    caller's transaction without a savepoint of its own.
    """
    if not entries:
        return []
    now = timezone.now()
    common: dict[str, Any] = {
        "occurred_at": now,
        **_actor_values(actor, user_label),
        "request_id": request_id_var.get(),
        "ip": client_ip_var.get(),
    }
    own: dict[int, dict[str, Any]] = {}  # the actor columns of entries with an actor of their own
    with transaction.atomic(savepoint=False):
        prev = _lock_chain_and_get_head()
        events: list[AuditEvent] = []
        for entry in entries:
            by = entry.actor or actor
            if entry.actor is not None and id(entry.actor) not in own:
                own[id(entry.actor)] = _actor_values(entry.actor, user_label)
            values = {
                **common,
                **(own[id(entry.actor)] if entry.actor is not None else {}),
                "action": str(entry.action),
                "object_type": entry.object_type,
                "object_id": str(entry.object_id),
                "client_pseudonym": entry.client_pseudonym,
                "reason": entry.reason,
                "details": _with_system(by, entry.details),
            }
            digest = compute_hash(values, prev)
            events.append(AuditEvent(**values, prev_hash=prev, hash=digest))
            prev = digest
        # The ids come from the sequence under the chain lock, in chain order, so the id order is
        # the chain order.
        if connection.vendor == "postgresql":
            _copy_events(events)
        else:
            AuditEvent.objects.bulk_create(events)
    return events


def _copy_events(events: list[AuditEvent]) -> None:
    """PostgreSQL: take the ids from the sequence and write the rows with one COPY."""
    from psycopg.types.json import Jsonb

    table = AuditEvent._meta.db_table
    columns = ("id", *HASHED_FIELDS, "prev_hash", "hash")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(events)]
        )
        ids = sorted(int(row[0]) for row in cursor.fetchall())
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for event, pk in zip(events, ids, strict=True):
                event.pk = pk
                event._state.adding = False
                copy.write_row(
                    [Jsonb(getattr(event, name)) if name == "details" else getattr(event, name) for name in columns]
                )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str
    head_hash: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _iter_events(batch_size: int = 5000) -> Iterator[dict[str, Any]]:
    last_id = 0
    columns = ("id", "prev_hash", "hash", *HASHED_FIELDS)
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*columns)[:batch_size])
        if not rows:
            return
        yield from rows
        last_id = rows[-1]["id"]


def verify_chain() -> ChainReport:
    """Walk the whole chain in id order; report the first event whose link or content is wrong."""
    expected_prev = GENESIS_HASH
    checked = 0
    for row in _iter_events():
        if row["prev_hash"] != expected_prev:
            return ChainReport(checked, row["id"], "previous event changed or removed", expected_prev)
        if compute_hash(row, row["prev_hash"]) != row["hash"]:
            return ChainReport(checked, row["id"], "event content changed", expected_prev)
        expected_prev = row["hash"]
        checked += 1
    return ChainReport(checked, None, "", expected_prev)
