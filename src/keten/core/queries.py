"""Small helpers for building lean queries."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import QuerySet

#: What most pages show of a professional and of an organisation.
USER_NAMES = ("username", "first_name", "last_name")
ORGANISATION_NAME = ("name",)


def display_name(first: str | None, last: str | None, username: str | None) -> str:
    """A professional's name as ``User.get_full_name() or username`` gives it, from plain columns
    (a ``values()`` row or raw SQL), for lists that do not load whole users."""
    return f"{first or ''} {last or ''}".strip() or (username or "")


def defer_except(path: str, model: Any, keep: Iterable[str]) -> list[str]:
    """``defer()`` lookups for every plain column of the related ``model`` at ``path`` except ``keep``.

    For a ``select_related`` join whose row is only partly shown: the columns left out are not read
    and, for encrypted fields, not decrypted. Keys and relations are always kept, so the join itself
    and ``select_related`` further along still work.
    """
    kept = set(keep)
    return [
        f"{path}__{f.name}"
        for f in model._meta.concrete_fields
        if f.name not in kept and not f.primary_key and not f.is_relation
    ]


def _count_sql(qs: QuerySet[Any]) -> tuple[str, list[Any]]:
    """``qs.count()`` as a scalar subquery, to send several counts in one statement."""
    sql, params = qs.order_by().values("pk").query.get_compiler(using=qs.db).as_sql()
    # ORM-compiled SQL; every value stays a parameter.
    return f"(SELECT COUNT(*) FROM ({sql}) AS keten_counted)", list(params)  # noqa: S608


def exists_each(**querysets: QuerySet[Any]) -> set[str]:
    """The names of the querysets that hold any row, asked in one statement (an EXISTS for each).

    For a page that would otherwise run several queries of which most find nothing: ask first, then
    run only those that will find rows.
    """
    if not querysets:
        return set()
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets.values():
        sql, qs_params = qs.order_by().values("pk").query.get_compiler(using=qs.db).as_sql()
        # ORM-compiled SQL; every value stays a parameter.
        parts.append(f"EXISTS ({sql})")
        params.extend(qs_params)
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {name for name, found in zip(querysets, row, strict=True) if found}


#: A user id no account has; stands for "the user" while a query is compiled once.
_SOMEONE = -918273645


class UserCounts:
    """Counts that depend on one user, for the main menu: compiled to SQL once per process.

    ``factories`` map a name to a function ``user -> QuerySet`` in which the user's id is a
    parameter. The first call for a combination
    of names compiles those querysets for a stand-in user (the ORM would compile them on every
    request); later calls put the real user's id where the stand-in's was and send one statement.
    """

    def __init__(self, factories: dict[str, Callable[[Any], QuerySet[Any]]]) -> None:
        self.factories = factories
        self._compiled: dict[tuple[str, ...], tuple[str, list[Any]]] = {}
        self._lock = threading.Lock()

    def _compile(self, names: tuple[str, ...]) -> tuple[str, list[Any]]:
        someone = get_user_model()(pk=_SOMEONE)
        parts: list[str] = []
        params: list[Any] = []
        for name in names:
            sql, qs_params = _count_sql(self.factories[name](someone))
            if str(_SOMEONE) in sql:
                raise ValueError(f"{name}: the user id must be a parameter")
            parts.append(sql)
            params.extend(qs_params)
        return f"SELECT {', '.join(parts)}", params

    def __call__(self, user_id: int, names: Sequence[str]) -> dict[str, int]:
        key = tuple(names)
        if not key:
            return {}
        with self._lock:
            compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(key)
            with self._lock:
                self._compiled[key] = compiled
        sql, params = compiled
        bound = [user_id if p == _SOMEONE else p for p in params]
        with connections["default"].cursor() as cursor:
            cursor.execute(sql, bound)
            row = cursor.fetchone()
        return {name: int(n) for name, n in zip(key, row, strict=True)}
