"""The verwijsindex tables of the national profile as rows: explicit ids, column lists, one chunk of rows
and the writer (PostgreSQL ``COPY``, a plain ``INSERT`` elsewhere)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from keten.verwijsindex.models import Match, MatchParticipant, ParentKey, ParentLink, Signal, Youth


@dataclass
class Ids:
    """Explicit ids, continued after whatever the tables already hold."""

    youth: int
    parent: int
    link: int
    signal: int
    match: int
    participant: int

    @classmethod
    def after_existing(cls) -> Ids:
        def top(model: Any) -> int:
            return int(model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

        return cls(
            youth=top(Youth),
            parent=top(ParentKey),
            link=top(ParentLink),
            signal=top(Signal),
            match=top(Match),
            participant=top(MatchParticipant),
        )


@dataclass
class Chunk:
    youths: list[tuple[Any, ...]] = field(default_factory=list)
    parents: list[tuple[Any, ...]] = field(default_factory=list)
    links: list[tuple[Any, ...]] = field(default_factory=list)
    signals: list[tuple[Any, ...]] = field(default_factory=list)
    matches: list[tuple[Any, ...]] = field(default_factory=list)
    participants: list[tuple[Any, ...]] = field(default_factory=list)


YOUTH_COLUMNS = (
    "id",
    "pseudonym",
    "bsn_key",
    "name_birth_key",
    "display_name",
    "date_of_birth",
    "destroy_on",
    "created_at",
)
PARENT_COLUMNS = ("id", "key")
LINK_COLUMNS = ("id", "youth_id", "parent_id")
SIGNAL_COLUMNS = (
    "id", "youth_id", "municipality_id", "organisation_id", "professional_id", "wijk_id", "contact_phone",
    "contact_email", "registered_on", "active_until", "status", "ended_on", "end_reason", "archive_until",
    "api_client_id", "idempotency_key", "created_at",
)  # fmt: skip
MATCH_COLUMNS = (
    "id", "kind", "youth_id", "parent_id", "status", "coordinator_id", "coordinator_accepted", "created_at",
    "contact_due", "contact_at", "coordinated_at", "regievoerder_alerted_at", "cross_municipality", "version",
)  # fmt: skip
PARTICIPANT_COLUMNS = ("id", "match_id", "signal_id", "municipality_id", "added_at")


def write_rows(model: Any, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY on PostgreSQL; a plain multi-row INSERT elsewhere (tests on SQLite)."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(rows))  # noqa: S608
