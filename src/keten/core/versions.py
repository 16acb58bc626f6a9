"""The one way to notice a stale edit: a ``version`` column that every change raises by one.

An edit form carries the version it was opened with (a hidden field, read with
:func:`keten.core.pages.version_of`); the service compares it with the row it changes. Someone
else's change in between gives a :class:`~keten.core.errors.ConflictError` ("changed meanwhile")
instead of silently overwriting it. ``None`` means the caller did not say (an API client that sends
no version, a job), and the change goes ahead.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import F, QuerySet

from keten.core.errors import ConflictError


class Versioned(Protocol):
    pk: Any
    version: int


def check_version(row: Versioned, expected: int | None) -> None:
    """ConflictError when the form's version is given and differs from the (locked) row's."""
    if expected is not None and row.version != expected:
        raise ConflictError


def bump(row: Versioned, expected: int | None = None) -> None:
    """Check a row locked with ``select_for_update`` and raise its version (saved with the row)."""
    check_version(row, expected)
    row.version += 1


def claim(queryset: QuerySet[Any], pk: Any, expected: int | None, **changes: Any) -> None:
    """Compare-and-set in one statement: update the row only if its version is still ``expected``.

    Raises ConflictError when the row changed meanwhile (or is gone from ``queryset``).
    """
    rows = queryset.filter(pk=pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if rows.update(version=F("version") + 1, **changes) != 1:
        raise ConflictError
