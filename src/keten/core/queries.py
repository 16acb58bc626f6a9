"""Small helpers for building lean queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet

#: What most pages show of a professional and of an organisation.
USER_NAMES = ("username", "first_name", "last_name")
ORGANISATION_NAME = ("name",)


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


def counts(querysets: Sequence[QuerySet[Any]]) -> list[int]:
    """``[qs.count() for qs in querysets]`` in one statement (one round trip instead of one each).

    For the small counts every page shows (the badges of the main menu). All querysets must use the
    same database.
    """
    if not querysets:
        return []
    alias = querysets[0].db
    parts: list[str] = []
    params: list[Any] = []
    for qs in querysets:
        sql, qs_params = qs.order_by().values("pk").query.get_compiler(using=alias).as_sql()
        # ORM-compiled SQL; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS keten_counted)")  # noqa: S608
        params.extend(qs_params)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return [int(n) for n in row]
