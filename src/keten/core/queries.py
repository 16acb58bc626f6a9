"""Small helpers for building lean queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
