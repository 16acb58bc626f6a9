"""The timeline of a dossier: everything that happened in it, across the apps, newest first.

Dossiers keeps its own events (notes, case-team changes, status changes); the apps above it keep
theirs (meldcode entries, overleg, disclosures and consents). Dossiers imports none of those apps:
each registers a :class:`TimelineSource` in its ``AppConfig.ready()``::

    timeline.register(TimelineSource(name="meldcode", order=10,
                                     kinds=[("meldcode.signalen", _("Signalen")), ...],
                                     collect=meldcode_entries))

A source's ``collect(actor, dossier, kinds, before, limit)`` returns at most ``limit`` entries of
the given kinds (a subset of its own) that are older than the cursor ``before`` (``None``: from
the newest), newest first, in a fixed number of queries whatever the dossier's size. It reads
only what the actor may see through its app's rules and selectors: an entry it returns may be
shown to the actor, and its ``url`` (if any) is a page the actor may open. The dossier it gets was
loaded through the dossier selector (the actor may see it); the page view is audited once by
:func:`timeline_page`.

Order and paging: every entry has a key ``(moment, row_id, event)`` — the moment it happened (a
date counts as the start of that day in Europe/Amsterdam), the id of its row and the name of the
query it came from (``event``, unique per table and kind of happening in a source). Keys are
unique, so a page ends at a key and the next page starts right below it: nothing is skipped or
shown twice, also when many entries share a moment. A source builds each query with
:func:`older_rows`, which applies the cursor and this order (or reads a dossier's few rows of a
table at once and picks with :func:`newest_below`). Most dossiers have nothing of most kinds: a
source asks first, with :func:`present` (one query), which of its tables hold rows of the dossier,
and runs only the queries of those.

The page is read inside :func:`keten.core.memo.reading`: the sources ask the policy the same
questions (is the actor on the case team), and each is answered by the database once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.memo import reading
from keten.core.models import AuditAction
from keten.core.queries import exists_each

if TYPE_CHECKING:
    from keten.dossiers.models import Dossier

#: Entries per page of the timeline.
PAGE_SIZE = 25
#: The largest page anyone may ask for.
MAX_PAGE_SIZE = 100

_NAME = re.compile(r"^[a-z][a-z0-9_.-]*$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)

M = TypeVar("M", bound=Model)


def moment_of(when: datetime | date) -> datetime:
    """The aware moment an entry is ordered by: a datetime as it is, a date at the start of that day."""
    if isinstance(when, datetime):
        return when if timezone.is_aware(when) else timezone.make_aware(when)
    return timezone.make_aware(datetime.combine(when, time.min))


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened in a dossier, as the timeline shows it."""

    kind: str  # the filter kind, one of its source's ``kinds`` keys ("notities", "meldcode.signalen", …)
    kind_label: str  # in Dutch: "Notitie", "Signaal", …
    when: datetime | date  # an aware datetime, or a date when only the day is known
    title: str
    dossier_id: int
    event: str  # the query it came from, unique per table and happening ("dossiers.note")
    row_id: int  # the id of its row in that query
    detail: str = ""  # a short text; no more client data than the app's own page shows the case team
    actor_name: str = ""  # who did it
    organisation_name: str = ""  # for which organisation
    url: str = ""  # the page that shows it in full (one the viewer may open), or empty

    @property
    def moment(self) -> datetime:
        return moment_of(self.when)

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)

    @property
    def key(self) -> tuple[datetime, int, str]:
        return (self.moment, self.row_id, self.event)

    @property
    def cursor(self) -> Cursor:
        return Cursor(moment=self.moment, row_id=self.row_id, event=self.event)


@dataclass(frozen=True)
class Cursor:
    """A position in the timeline: the next page holds the entries whose key is below it."""

    moment: datetime
    row_id: int
    event: str

    def __str__(self) -> str:
        micros = (self.moment - _EPOCH) // _MICRO
        return f"{micros}~{self.row_id}~{self.event}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """The cursor written by ``str(cursor)``; ValueError for anything else."""
        parts = text.split("~")
        if len(parts) != 3 or len(text) > 200:
            raise ValueError("not a timeline cursor")
        micros, row_id, event = parts
        if not micros.lstrip("-").isdigit() or not row_id.isdigit() or not _NAME.match(event):
            raise ValueError("not a timeline cursor")
        try:
            moment = _EPOCH + int(micros) * _MICRO
        except OverflowError as exc:
            raise ValueError("not a timeline cursor") from exc
        return cls(moment=moment, row_id=int(row_id), event=event)


def before_q(cursor: Cursor | None, *, event: str, moment: str, is_date: bool = False, row_id: str = "pk") -> Q:
    """The rows of one query (``event``) whose key is below ``cursor``: a ``Q`` on its ``moment``
    field (a DateTimeField, or a DateField with ``is_date``) and its ``row_id`` field."""
    if cursor is None:
        return Q()
    # Same moment and same row id: the event names decide (they are constant within one query).
    same_moment_ids = Q(**{f"{row_id}__lte" if event < cursor.event else f"{row_id}__lt": cursor.row_id})
    if not is_date:
        return Q(**{f"{moment}__lt": cursor.moment}) | (Q(**{moment: cursor.moment}) & same_moment_ids)
    local = timezone.localtime(cursor.moment)
    day = local.date()
    if local.time() != time.min or moment_of(day) != cursor.moment:
        # The cursor is inside a day: that whole day (its start) is below it.
        return Q(**{f"{moment}__lte": day})
    return Q(**{f"{moment}__lt": day}) | (Q(**{moment: day}) & same_moment_ids)


def older_rows(
    qs: QuerySet[M],
    *,
    event: str,
    moment: str,
    before: Cursor | None,
    limit: int,
    is_date: bool = False,
    row_id: str = "pk",
) -> list[M]:
    """At most ``limit`` rows of ``qs`` below the cursor, in timeline order (newest first): one query."""
    filtered = qs.filter(before_q(before, event=event, moment=moment, is_date=is_date, row_id=row_id))
    return list(filtered.order_by(f"-{moment}", f"-{row_id}")[:limit])


def newest_below(entries: Iterable[TimelineEntry], before: Cursor | None, limit: int) -> list[TimelineEntry]:
    """The newest ``limit`` of ``entries`` whose key is below the cursor, newest first: what
    :func:`older_rows` gives, for a source that reads all of a dossier's (few) rows of a table in one
    query and makes several sorts of entry of each row (a case registered, decided and closed)."""
    below = [e for e in entries if before is None or e.key < (before.moment, before.row_id, before.event)]
    return sorted(below, key=lambda e: e.key, reverse=True)[:limit]


def present(dossier: Dossier, **events: QuerySet[Any]) -> set[str]:
    """The names of the querysets (each limited to ``dossier``) that hold any row, asked in one query,
    so that a source skips the queries of what never happened in this dossier (most dossiers have no
    disclosures, consents or requests). Nothing is read but whether rows exist."""
    return exists_each(**events)


def shorten(text: str | None, limit: int = 160) -> str:
    """The first ``limit`` characters of a text on one line (an ellipsis where it was cut)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


#: ``(actor, dossier, kinds, before, limit) -> entries``; see the module's docstring for the contract.
TimelineCollector = Callable[[Actor, "Dossier", frozenset[str], "Cursor | None", int], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class TimelineSource:
    """What one app contributes to the timeline: its kinds (key, Dutch label) and how to collect them."""

    name: str
    kinds: Sequence[tuple[str, str | Promise]]
    collect: TimelineCollector
    order: int = 100

    def kind_keys(self) -> frozenset[str]:
        return frozenset(key for key, _label in self.kinds)


_registry: dict[str, TimelineSource] = {}


def register(source: TimelineSource) -> TimelineSource:
    """Add ``source`` (once per name; registering the same source again is a no-op). Kind keys are
    unique across sources."""
    known = _registry.get(source.name)
    if known is not None:
        if known != source:
            raise ImproperlyConfigured(f"A timeline source named {source.name!r} is registered already.")
        return source
    for key in source.kind_keys():
        if not _NAME.match(key):
            raise ImproperlyConfigured(f"Timeline kind {key!r} is not a valid name.")
        for other in _registry.values():
            if key in other.kind_keys():
                raise ImproperlyConfigured(f"Timeline kind {key!r} is registered by {other.name!r} already.")
    _registry[source.name] = source
    return source


def unregister(name: str) -> None:
    """Remove a source (for tests that register their own)."""
    _registry.pop(name, None)


def registered() -> list[TimelineSource]:
    """The registered sources in the order their kinds are offered."""
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


def all_kinds() -> list[tuple[str, str]]:
    """Every kind of every source, (key, Dutch label), in the order the filter offers them."""
    return [(key, str(label)) for source in registered() for key, label in source.kinds]


def unknown_kinds(kinds: Iterable[str]) -> list[str]:
    known = {key for key, _label in all_kinds()}
    return [k for k in kinds if k not in known]


@dataclass(frozen=True)
class TimelinePage:
    """One page of a dossier's timeline."""

    dossier: Dossier
    entries: list[TimelineEntry]
    #: The cursor of the next (older) page, or None when this is the last page.
    next_cursor: Cursor | None
    #: The kinds shown (every kind when the page is not filtered).
    kinds: frozenset[str]
    filtered: bool
    #: The cursor this page starts below (None: the newest page).
    before: Cursor | None = None
    #: Whether the actor is on the case team (else they read by break-the-glass: read only).
    on_team: bool = True
    all_kinds: list[tuple[str, str]] = field(default_factory=list)


def _merge(found: Iterable[TimelineEntry], limit: int) -> tuple[list[TimelineEntry], bool]:
    ordered = sorted(found, key=lambda e: e.key, reverse=True)
    return ordered[:limit], len(ordered) > limit


def timeline_page(
    actor: Actor,
    dossier: Dossier,
    kinds: Collection[str] | None = None,
    before: Cursor | None = None,
    limit: int = PAGE_SIZE,
    *,
    audit_read: bool = True,
) -> TimelinePage:
    """The newest ``limit`` entries below ``before`` of the given kinds (None or empty: all), and the
    cursor of the next page. Each source is asked for ``limit + 1`` entries, in its fixed number of
    queries. ValueError for an unknown kind; NotFoundError when the actor may not see the dossier.
    The read is audited once, with the family's pseudonym and what the page showed — unless the
    page that shows it audits the dossier's read itself (``audit_read=False``: the workspace's overview).
    The sources ask the policy the same questions about the actor and the dossier: each is asked once
    per page (:func:`keten.core.memo.reading`).
    """
    with reading():
        return _timeline_page(actor, dossier, kinds, before, limit, audit_read=audit_read)


def _timeline_page(
    actor: Actor,
    dossier: Dossier,
    kinds: Collection[str] | None,
    before: Cursor | None,
    limit: int,
    *,
    audit_read: bool,
) -> TimelinePage:
    from keten.core.policy import allows

    if actor.user is None or not allows("dossiers.view_dossier", actor, dossier):
        raise NotFoundError
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    every = all_kinds()
    wanted = frozenset(kinds or ())
    if unknown_kinds(wanted):
        raise ValueError("unknown timeline kind")
    filtered = bool(wanted)
    shown = wanted or frozenset(key for key, _label in every)
    found: list[TimelineEntry] = []
    for source in registered():
        asked = source.kind_keys() & shown
        if asked:
            found.extend(e for e in source.collect(actor, dossier, asked, before, limit + 1) if e.kind in asked)
    entries, more = _merge(found, limit)
    if audit_read:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="dossier.timeline",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
            details={
                "kinds": sorted(shown) if filtered else ["*"],
                "entries": len(entries),
                "before": str(before) if before else "",
            },
        )
    return TimelinePage(
        dossier=dossier,
        entries=entries,
        next_cursor=entries[-1].cursor if more and entries else None,
        kinds=shown,
        filtered=filtered,
        before=before,
        on_team=allows("dossiers.change_dossier", actor, dossier),
        all_kinds=every,
    )


def entries_of(rows: Iterable[Any], build: Callable[[Any], TimelineEntry | None]) -> list[TimelineEntry]:
    """``build`` applied to each row, leaving out the rows it returns None for."""
    return [entry for entry in (build(row) for row in rows) if entry is not None]
