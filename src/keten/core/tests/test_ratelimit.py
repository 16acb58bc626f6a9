"""Rate-limit counters kept in the database, shared by every worker process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from keten.core import ratelimit
from keten.core.models import RateCounter

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 7, 10, 15, 30, tzinfo=UTC)


def test_counts_up_to_the_limit_then_refuses_with_the_time_left() -> None:
    results = [ratelimit.hit("lookup:user:1", limit=3, window_seconds=3600, now=NOW) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.count for r in results] == [1, 2, 3, 4]
    assert results[0].retry_after == 0
    # the hour window started at 10:00, so 44 minutes 30 seconds remain
    assert results[3].retry_after == 44 * 60 + 30


def test_keys_and_windows_are_counted_apart() -> None:
    ratelimit.hit("a", limit=1, window_seconds=60, now=NOW)
    assert ratelimit.hit("b", limit=1, window_seconds=60, now=NOW).allowed
    assert not ratelimit.hit("a", limit=1, window_seconds=60, now=NOW).allowed
    assert ratelimit.hit("a", limit=1, window_seconds=60, now=NOW + timedelta(seconds=60)).allowed
    assert ratelimit.count("a", window_seconds=60, now=NOW) == 2
    assert ratelimit.count("a", window_seconds=60, now=NOW + timedelta(seconds=60)) == 1
    assert ratelimit.count("never", window_seconds=60, now=NOW) == 0


def test_reset_and_purge_remove_rows() -> None:
    ratelimit.hit("a", limit=5, window_seconds=60, now=NOW - timedelta(days=2))
    ratelimit.hit("a", limit=5, window_seconds=60, now=NOW)
    ratelimit.hit("b", limit=5, window_seconds=60, now=NOW)
    assert ratelimit.purge(now=NOW) == 1
    assert ratelimit.reset("a") == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["b"]


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="key"):
        ratelimit.hit(key, limit=1, window_seconds=60)


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        ratelimit.hit("a", limit=0, window_seconds=60)
