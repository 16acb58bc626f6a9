"""A short-lived cache of rendered routekaart PDFs, dropped on every change in the municipality.

Rendering a routekaart PDF takes WeasyPrint most of a second, and the document changes only when
the sociale kaart of the municipality does. The bytes are cached per wijk, language and the
reader's organisation (step 2 lists that organisation's own aandachtsfunctionarissen) under a
version number per municipality. Every saved or deleted organisation, entry, agreement, wijk,
membership or professional of the municipality raises that number (``keten.network.signals``), so
the next download renders afresh. The audit event is written for every download, cached or not.

The version lives in the Django cache too: with a cache shared between processes (Redis, the
database cache) a change is seen everywhere at once; with the per-process default (LocMemCache)
another worker may serve its own copy until ``TIMEOUT`` ends it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

#: Seconds a rendered PDF is kept.
TIMEOUT = 10 * 60

_VERSION = "routekaart-pdf-version:{municipality_id}"


def _version(municipality_id: int) -> int:
    name = _VERSION.format(municipality_id=municipality_id)
    version = cache.get(name)
    if version is None:
        cache.add(name, _fresh(), timeout=None)
        version = cache.get(name, 0)
    return int(version)


def _fresh() -> int:
    """A starting version unlike any earlier one, in case the counter itself was evicted."""
    return time.time_ns() // 1000


def key(*, municipality_id: int, wijk_id: int, organisation_id: int, language: str) -> str:
    version = _version(municipality_id)
    return f"routekaart-pdf:{municipality_id}:{version}:{wijk_id}:{organisation_id}:{language}"


def _bump(municipality_id: int) -> None:
    name = _VERSION.format(municipality_id=municipality_id)
    try:
        cache.incr(name)
    except ValueError:  # not set yet, or evicted
        cache.add(name, _fresh(), timeout=None)


def invalidate(municipality_ids: Iterable[int | None]) -> None:
    """Drop the cached PDFs of these municipalities, now and again once the transaction commits.

    The second bump covers a PDF rendered from the old data while the change was not yet committed.
    """
    ids = {m for m in municipality_ids if m is not None}
    for municipality_id in ids:
        _bump(municipality_id)

    def bump_again() -> None:
        for municipality_id in ids:
            _bump(municipality_id)

    if ids:
        transaction.on_commit(bump_again)
