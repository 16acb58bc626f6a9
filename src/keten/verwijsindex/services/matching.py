"""Matching: the client and family matches the new signals of a batch make or join, with the
coordinator the municipality's rules propose. Read under the locks the registration holds.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db import connection
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from keten.accounts.models import Organisation
from keten.core.workdays import add_working_days
from keten.verwijsindex.copying import any_args as _args
from keten.verwijsindex.copying import any_of as _in
from keten.verwijsindex.copying import insert_rows
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    IndexSettings,
    Match,
    MatchKind,
    MatchParticipant,
    ParentLink,
    Signal,
    SignalStatus,
)
from keten.verwijsindex.services.index_rows import (
    Row,
    fetch,
)
from keten.verwijsindex.services.settings import (
    DEFAULT_COORDINATOR_EXCLUDED,
    DEFAULT_COORDINATOR_PREFERENCE,
)


class Active(NamedTuple):
    """An active signal as matching needs it (read as plain values)."""

    pk: int
    youth_id: int
    municipality_id: int
    organisation_id: int
    professional_id: int
    registered_on: date
    organisation_type: str


def _propose_coordinator(signals: Sequence[Active], rules: IndexSettings) -> int | None:
    """The signal whose professional the municipality's rules propose as coordinator (or None)."""
    preference = list(rules.coordinator_preference or DEFAULT_COORDINATOR_PREFERENCE)
    excluded = set(rules.coordinator_excluded or DEFAULT_COORDINATOR_EXCLUDED)
    eligible = [s for s in signals if s.organisation_type not in excluded]
    if not eligible:
        return None
    rank = {t: i for i, t in enumerate(preference)}
    return min(eligible, key=lambda s: (rank.get(s.organisation_type, len(rank)), s.registered_on, s.pk)).pk


#: Match kinds as plain strings (dictionary keys; enum members hash differently).
CLIENT: str = MatchKind.CLIENT.value


FAMILY: str = MatchKind.FAMILY.value


@dataclass(eq=False)
class Joined:
    match: Match
    created: bool
    signals: list[Active]
    newcomers: list[Active]
    recipients: set[int]
    row: Row


def _active_signals(youths: list[int], parents: list[int]) -> tuple[dict[int, list[Active]], dict[int, set[int]]]:
    """The active signals on the young people and on the other children of their parents (one
    statement); returns them per young person (in id order) and the children with active signals
    per parent."""
    signal, link = Signal._meta.db_table, ParentLink._meta.db_table
    organisation = Organisation._meta.db_table
    columns = "s.id, s.youth_id, s.municipality_id, s.organisation_id, s.professional_id, s.registered_on, o.type"
    sql = (
        f"SELECT NULL, {columns} FROM {signal} s JOIN {organisation} o ON o.id = s.organisation_id "  # noqa: S608
        f"WHERE s.status = %s AND s.youth_id {_in(youths)}"
    )
    params: list[Any] = [SignalStatus.ACTIEF.value, *_args(youths)]
    if parents:
        sql += (
            f" UNION ALL SELECT pl.parent_id, {columns} FROM {link} pl "  # noqa: S608
            f"JOIN {signal} s ON s.youth_id = pl.youth_id JOIN {organisation} o ON o.id = s.organisation_id "
            f"WHERE s.status = %s AND pl.parent_id {_in(parents)}"
        )
        params += [SignalStatus.ACTIEF.value, *_args(parents)]
    seen: dict[int, Active] = {}
    family: dict[int, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for parent_id, pk, youth_id, municipality_id, organisation_id, professional_id, on, kind in cursor.fetchall():
            if pk not in seen:
                registered = on if isinstance(on, date) else date.fromisoformat(str(on))
                seen[pk] = Active(pk, youth_id, municipality_id, organisation_id, professional_id, registered, kind)
            if parent_id is not None:
                family.setdefault(parent_id, set()).add(youth_id)
    by_youth: dict[int, list[Active]] = {}
    for pk in sorted(seen):
        by_youth.setdefault(seen[pk].youth_id, []).append(seen[pk])
    return by_youth, family


#: The live match statuses as plain strings (query parameters).
_LIVE = [str(status.value) for status in LIVE_STATUSES]


def _live_matches(
    client_youths: list[int], family_parents: list[int]
) -> tuple[dict[tuple[str, int], Match], dict[int, list[tuple[int, int, str, int]]]]:
    """The live client matches of the young people and family matches of the parents, with their
    participants (signal, municipality, signal status, professional): the participants as plain
    values in one statement, then the matches themselves (one row each) in a second."""
    live: dict[tuple[str, int], Match] = {}
    present: dict[int, list[tuple[int, int, str, int]]] = {}
    wanted: list[str] = []
    params: list[Any] = [*_args(_LIVE)]
    if client_youths:
        wanted.append(f"(m.kind = %s AND m.youth_id {_in(client_youths)})")
        params += [CLIENT, *_args(client_youths)]
    if family_parents:
        wanted.append(f"(m.kind = %s AND m.parent_id {_in(family_parents)})")
        params += [FAMILY, *_args(family_parents)]
    if not wanted:
        return live, present
    sql = (
        "SELECT p.match_id, p.signal_id, p.municipality_id, s.status, s.professional_id "  # noqa: S608
        f"FROM {MatchParticipant._meta.db_table} p JOIN {Match._meta.db_table} m ON m.id = p.match_id "
        f"JOIN {Signal._meta.db_table} s ON s.id = p.signal_id "
        f"WHERE m.status {_in(_LIVE)} AND ({' OR '.join(wanted)}) ORDER BY p.id"
    )
    for match_id, signal_id, municipality_id, status, professional_id in fetch(sql, params):
        present.setdefault(match_id, []).append((signal_id, municipality_id, status, professional_id))
    if present:
        for match in Match.objects.filter(pk__in=list(present)):
            key = match.youth_id if match.kind == CLIENT else match.parent_id
            assert key is not None  # a client match has a young person, a family match a parent
            live[(str(match.kind), key)] = match
    return live, present


def match_rows(rows: list[Row], links: dict[int, set[int]], today: date) -> list[Joined]:
    """Find and update the client and family matches the new signals make (grouped over the batch).

    A young person with two or more active signals has one live client match; a parent whose
    children hold active signals on two or more of them has one live family match. Existing live
    matches get the new signals as participants; missing ones are created with a proposed coordinator.
    """
    new_ids = {r.signal.pk for r in rows if r.signal is not None}
    first_row: dict[int, Row] = {}
    for row in rows:
        assert row.youth_id is not None
        first_row.setdefault(row.youth_id, row)
    parents = sorted({p for y in first_row for p in links.get(y, ())})
    by_youth, family = _active_signals(sorted(first_row), parents)
    wanted: list[tuple[str, int, list[Active], Row]] = []
    for youth_id, row in first_row.items():
        on_youth = by_youth.get(youth_id, [])
        if len(on_youth) >= 2:
            wanted.append((CLIENT, youth_id, on_youth, row))
    for parent_id in parents:
        members = [y for y in family.get(parent_id, ()) if by_youth.get(y)]
        if len(members) < 2:
            continue
        signals = sorted((s for y in members for s in by_youth[y]), key=lambda s: s.pk)
        row = next(first_row[s.youth_id] for s in signals if s.pk in new_ids)
        wanted.append((FAMILY, parent_id, signals, row))
    if not wanted:
        return []
    client_youths = [k for kind, k, _s, _r in wanted if kind == CLIENT]
    family_parents = [k for kind, k, _s, _r in wanted if kind == FAMILY]
    live, present = _live_matches(client_youths, family_parents)
    joined: list[Joined] = []
    changed: list[Match] = []
    for kind, key, signals, row in wanted:
        match = live.get((kind, key))
        created = match is None
        if match is None:
            match = Match(
                kind=kind,
                youth_id=key if kind == CLIENT else None,
                parent_id=key if kind == FAMILY else None,
                contact_due=add_working_days(today, row.rules.contact_deadline_workdays),
            )
        before = present.get(match.pk, []) if match.pk else []
        in_match = {p[0] for p in before}
        newcomers = [s for s in signals if s.pk not in in_match]
        municipalities = {s.municipality_id for s in signals} | {p[1] for p in before}
        dirty = False
        if len(municipalities) > 1 and not match.cross_municipality:
            match.cross_municipality = True
            dirty = True
        if match.coordinator_id is None:
            proposed = _propose_coordinator(signals, row.rules)
            if proposed is not None:
                match.coordinator_id = proposed
                dirty = True
        if dirty and not created:
            changed.append(match)
        recipients = {s.professional_id for s in newcomers} | {p[3] for p in before if p[2] == SignalStatus.ACTIEF}
        joined.append(Joined(match, created, signals, newcomers, recipients, row))
    new_matches = [j.match for j in joined if j.created]
    if new_matches:
        Match.objects.bulk_create(new_matches)
    if changed:
        Match.objects.bulk_update(changed, ["coordinator", "cross_municipality"])
    now = timezone.now()
    insert_rows(
        MatchParticipant,
        ("match_id", "signal_id", "municipality_id", "added_at"),
        [(j.match.pk, s.pk, s.municipality_id, now) for j in joined for s in j.newcomers],
    )
    by_signal: dict[int, list[Match]] = {}
    for j in joined:
        for s in j.signals:
            if s.pk in new_ids:
                by_signal.setdefault(s.pk, []).append(j.match)
    for row in rows:
        assert row.signal is not None
        row.matches = by_signal.get(row.signal.pk, [])
    return joined


@functools.lru_cache(maxsize=8)
def _match_link_template(prefix: str) -> str:
    marker = 987654321
    return reverse("verwijsindex:match", args=[marker]).replace(str(marker), "{}")


def match_link(match_id: int) -> str:
    """``reverse("verwijsindex:match", args=[match_id])``, without resolving the URL per match."""
    return _match_link_template(get_script_prefix()).format(match_id)
