"""Counters that every worker process sees: fixed-window rate limits kept in the database.

Django's default cache lives inside one process, so a limit kept there is multiplied by the number of
workers and reset by every restart. These counters are rows in ``core.RateCounter`` and are raised
with one atomic ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` statement (PostgreSQL and SQLite
3.35+ alike), so concurrent requests in different processes never lose a count.

A count joins the caller's transaction. Count *before* the work that may fail and outside the
transaction that may roll back when a refused attempt must still count (for example: look-ups that
could reveal whether a person is known to Keten).

Keys name what is limited and for whom (``"bsn-lookup:user:42"``, ``"api:ip:10.0.0.1"``); they must
never hold client data such as a BSN or a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from keten.core.models import RateCounter

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class RateResult:
    """The outcome of one counted attempt."""

    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def _window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window_seconds, tz=UTC)


def _check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError("rate limit key must be 1-200 characters")


def hit(key: str, *, limit: int, window_seconds: int, now: datetime | None = None) -> RateResult:
    """Count one attempt under ``key`` and say whether it stays within ``limit`` per window."""
    _check_key(key)
    if limit < 1 or window_seconds < 1:
        raise ValueError("limit and window must be positive")
    now = now or timezone.now()
    start = _window_start(now, window_seconds)
    q = connection.ops.quote_name
    table, key_col, start_col, count_col = (q(RateCounter._meta.db_table), q("key"), q("window_start"), q("count"))
    sql = (
        f"INSERT INTO {table} ({key_col}, {start_col}, {count_col}) VALUES (%s, %s, 1) "  # noqa: S608 - our names
        f"ON CONFLICT ({key_col}, {start_col}) DO UPDATE SET {count_col} = {table}.{count_col} + 1 "
        f"RETURNING {count_col}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, connection.ops.adapt_datetimefield_value(start)])
        count = int(cursor.fetchone()[0])
    allowed = count <= limit
    retry = 0 if allowed else max(1, int((start + timedelta(seconds=window_seconds) - now).total_seconds()))
    return RateResult(allowed=allowed, count=count, limit=limit, retry_after=retry)


def count(key: str, *, window_seconds: int, now: datetime | None = None) -> int:
    """How many attempts ``key`` made in the current window, without counting one more."""
    _check_key(key)
    start = _window_start(now or timezone.now(), window_seconds)
    return RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0


def reset(key: str) -> int:
    """Forget every window of ``key`` (e.g. after a successful sign-in). Returns the rows removed."""
    _check_key(key)
    deleted, _ = RateCounter.objects.filter(key=key).delete()
    return deleted


def purge(*, older_than: timedelta = timedelta(days=1), now: datetime | None = None) -> int:
    """Remove windows that ended long ago (run daily; counters are no history worth keeping)."""
    cutoff = (now or timezone.now()) - older_than
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
