"""Building blocks shared by the seed profiles: test BSNs, timestamps, bulk writes and the audit chain."""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from stdnum.nl import bsn as stdnum_bsn
from tqdm import tqdm

from keten.core.audit import GENESIS_HASH, HASHED_FIELDS, compute_hash, lock_chain
from keten.core.models import AuditEvent

#: BSNs in 999990000–999999999 are reserved for test persons; only the elfproef-valid ones are used.
TEST_BSN_FIRST = 999_990_000
TEST_BSN_LAST = 999_999_999
BATCH_SIZE = 5000
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: One password for every seeded account (demo and benchmark data only).
DEMO_PASSWORD = "Keten-demo-2026"  # noqa: S105


class SeedError(RuntimeError):
    """A profile cannot run against this database (already seeded, wrong settings, ...)."""


def reserved_test_bsns() -> list[str]:
    """Every elfproef-valid BSN in the test range 999990000–999999999 (about 909 numbers), ascending."""
    return [str(n) for n in range(TEST_BSN_FIRST, TEST_BSN_LAST + 1) if stdnum_bsn.is_valid(str(n))]


class BsnPool:
    """Hands out each test BSN at most once, in a shuffled (seeded) order; ``None`` when exhausted."""

    def __init__(self, rng: random.Random) -> None:
        self._numbers = reserved_test_bsns()
        rng.shuffle(self._numbers)
        self._next = 0

    def __len__(self) -> int:
        return len(self._numbers) - self._next

    @property
    def used(self) -> int:
        return self._next

    def take(self) -> str | None:
        if self._next >= len(self._numbers):
            return None
        value = self._numbers[self._next]
        self._next += 1
        return value


def pseudonym(rng: random.Random, prefix: str, used: set[str]) -> str:
    """A seeded, unique pseudonym in the same shape as :func:`keten.core.crypto.new_pseudonym`."""
    while True:
        value = prefix + "-" + "".join(rng.choices(PSEUDONYM_ALPHABET, k=10))
        if value not in used:
            used.add(value)
            return value


def ascii_slug(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment between ``start`` and ``end`` (microsecond precision)."""
    span = (end - start).total_seconds()
    return start + timedelta(microseconds=int(rng.random() * span * 1_000_000))


def birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    youngest = today - timedelta(days=365 * min_age)
    oldest = today - timedelta(days=365 * (max_age + 1) - 1)
    return oldest + timedelta(days=rng.randrange((youngest - oldest).days + 1))


@contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let the seed set ``auto_now``/``auto_now_add`` columns itself, so history can span years.

    Seed-only: the flags are restored on exit. Every seeded instance must set these columns.
    """
    saved: list[tuple[Any, bool, bool]] = []
    for model in model_classes:
        for fld in model._meta.concrete_fields:
            fld = cast(Any, fld)
            if getattr(fld, "auto_now", False) or getattr(fld, "auto_now_add", False):
                saved.append((fld, fld.auto_now, fld.auto_now_add))
                fld.auto_now = False
                fld.auto_now_add = False
    try:
        yield
    finally:
        for fld, auto_now, auto_now_add in saved:
            fld.auto_now = auto_now
            fld.auto_now_add = auto_now_add


def history_dated(instance: models.Model, when: datetime) -> None:
    """Date the history row that ``bulk_create_with_history`` writes for ``instance`` (django-simple-history
    reads the instance attribute ``_history_date``), so the seeded history starts when the record did."""
    instance.__dict__["_history_date"] = when


def progress(iterable: Iterable[Any] | None = None, *, total: int | None = None, desc: str, enabled: bool) -> tqdm[Any]:
    return tqdm(iterable, total=total, desc=desc, unit=" rows", disable=not enabled, dynamic_ncols=True, leave=True)


@dataclass
class AuditChainWriter:
    """Appends many audit events to the hash chain with bulk inserts.

    The chain is exactly the one :func:`keten.core.audit.record` builds: each event's ``prev_hash``
    is the hash of the event with the next-lower id, and ``hash`` is
    :func:`keten.core.audit.compute_hash` over its columns. Events must be added in the order they
    happened; each batch takes the chain lock, reads the current head, assigns explicit ids after
    the highest id and moves the id sequence past them, so live ``record()`` calls chain on after it.
    """

    batch_size: int = BATCH_SIZE
    written: int = 0
    _buffer: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        *,
        occurred_at: datetime,
        action: str,
        actor_id: int | None = None,
        actor_label: str = "",
        organisation_id: int | None = None,
        role: str = "",
        object_type: str = "",
        object_id: str = "",
        client_pseudonym: str = "",
        reason: str = "",
        details: dict[str, Any] | None = None,
        request_id: str = "",
        ip: str | None = None,
    ) -> None:
        self._buffer.append(
            {
                "occurred_at": occurred_at,
                "actor_id": actor_id,
                "actor_label": actor_label,
                "organisation_id": organisation_id,
                "role": role,
                "action": str(action),
                "object_type": object_type,
                "object_id": str(object_id),
                "client_pseudonym": client_pseudonym,
                "reason": reason,
                "details": details or {},
                "request_id": request_id,
                "ip": ip,
            }
        )
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> int:
        rows, self._buffer = self._buffer, []
        if not rows:
            return 0
        with transaction.atomic():
            lock_chain()
            head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
            next_id, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
            for offset, values in enumerate(rows):
                digest = compute_hash(values, prev)
                values["id"] = next_id + offset
                values["prev_hash"] = prev
                values["hash"] = digest
                prev = digest
            if connection.vendor == "postgresql":
                _copy_audit_rows(rows)
            else:
                AuditEvent.objects.bulk_create([AuditEvent(**values) for values in rows], batch_size=self.batch_size)
            reset_sequence(AuditEvent)
        self.written += len(rows)
        return len(rows)


_AUDIT_COLUMNS = ("id", *HASHED_FIELDS, "prev_hash", "hash")


def _copy_audit_rows(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL ``COPY`` of prepared audit rows: an order of magnitude faster than INSERT for millions."""
    table = AuditEvent._meta.db_table
    sql = f"COPY {table} ({', '.join(_AUDIT_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for values in rows:
            copy.write_row(tuple(json.dumps(values[c]) if c == "details" else values[c] for c in _AUDIT_COLUMNS))


def reset_sequence(model: type[models.Model]) -> None:
    """Move the id sequence past the highest id (PostgreSQL; SQLite's AUTOINCREMENT follows by itself)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    """Refresh the planner statistics after a bulk load (PostgreSQL), so the first queries plan well."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# Django's own reference tables survive a reset; everything else in the database is seed data.
_KEEP_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}
)


def wipe_database() -> list[str]:
    """Empty every data table of a demo or benchmark database (seed-only operation).

    The audit log is append-only: its model refuses deletes and on PostgreSQL a row trigger refuses
    DELETE. Resetting a *demo* database is the one exception: on PostgreSQL the tables are emptied
    with ``TRUNCATE`` (which row triggers do not see), on SQLite with raw ``DELETE FROM`` statements.
    Refused under the production settings.
    """
    if settings.SETTINGS_MODULE == "keten.conf.production":
        raise SeedError("--reset is refused under keten.conf.production: it empties the audit log")
    tables = sorted(
        t
        for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if t not in _KEEP_TABLES
    )
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check deferred foreign keys of earlier writes in this transaction now: TRUNCATE refuses
            # to run while such checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
    return tables
