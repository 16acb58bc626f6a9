"""Whom an audit event of the verwijsindex is about.

A young person in the index is named by their own random pseudonym (``J-…``), never by a database
id. Where Keten knows the young person's family — a person in a Keten family with the same name and
date of birth, through the blind index the index and the dossiers share (``Youth.name_birth_key`` is
``Person.name_birth_index``) — the event names that family's pseudonym as well, in its list rows
(``AuditEventClient``), so the per-family filter of the audit log finds the verwijsindex reads of
its children. A young person unknown to Keten is named by the index pseudonym alone.

The families only go into the list rows and the hashed details, which the audit log uses to filter
and does not show: the log's "client" column shows the young person's pseudonym.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from keten.core import audit
from keten.core.actor import Actor
from keten.core.models import AuditAction
from keten.dossiers.models import Person
from keten.verwijsindex.models import Youth


def youth_pseudonyms(youth_ids: Iterable[int | None]) -> dict[int, str]:
    """The pseudonym of each young person (one query, no client field read)."""
    wanted = sorted({i for i in youth_ids if i})
    if not wanted:
        return {}
    return dict(Youth.objects.filter(pk__in=wanted).values_list("pk", "pseudonym"))


@dataclass(frozen=True)
class Subjects:
    """The young people of a read and the Keten families known for them."""

    youths: dict[int, str]
    families: dict[int, list[str]]

    def of(self, youth_id: int | None) -> str:
        return self.youths.get(youth_id or 0, "")

    def family_pseudonyms(self) -> list[str]:
        return sorted({p for pseudonyms in self.families.values() for p in pseudonyms})

    def all(self) -> list[str]:
        return sorted(set(self.youths.values()) | set(self.family_pseudonyms()))


def subjects(youth_ids: Iterable[int | None] = (), *, youths: Iterable[Youth] = ()) -> Subjects:
    """Pseudonyms of these young people and of their Keten families: two queries whatever the number,
    one when the caller has loaded them already (``youths``)."""
    rows = {y.pk: (y.pk, y.pseudonym, y.name_birth_key) for y in youths}
    wanted = sorted({i for i in youth_ids if i and i not in rows})
    if wanted:
        rows.update(
            (pk, (pk, pseudonym, key))
            for pk, pseudonym, key in Youth.objects.filter(pk__in=wanted).values_list(
                "pk", "pseudonym", "name_birth_key"
            )
        )
    return _with_families(list(rows.values()))


def _with_families(rows: list[tuple[int, str, str]]) -> Subjects:
    if not rows:
        return Subjects({}, {})
    by_key: dict[str, set[str]] = {}
    keys = sorted({key for _pk, _pseudonym, key in rows if key})
    if keys:
        for key, family in Person.objects.filter(name_birth_index__in=keys).values_list(
            "name_birth_index", "family__pseudonym"
        ):
            by_key.setdefault(key, set()).add(family)
    return Subjects(
        youths={pk: pseudonym for pk, pseudonym, _key in rows},
        families={pk: sorted(by_key.get(key, ())) for pk, _pseudonym, key in rows},
    )


def record_read(
    *,
    actor: Actor,
    object_type: str,
    youth_ids: Iterable[int | None] = (),
    youths: Iterable[Youth] = (),
    object_id: str | int = "",
    about: int | None = None,
    reason: str = "",
    **details: Any,
) -> None:
    """A ``view`` event of a read that showed (or is about) these young people.

    ``about``: the one young person the read is about (a signal, a client match), as the event's
    client pseudonym. Every young person and every known family goes into the list rows. ``youths``:
    young people the caller has loaded already (saves a query).
    """
    found = subjects(youth_ids, youths=youths)
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        client_pseudonym=found.of(about),
        reason=reason,
        details={**details, "youths": sorted(found.youths.values()), "families": found.family_pseudonyms()},
        clients=found.all(),
    )
