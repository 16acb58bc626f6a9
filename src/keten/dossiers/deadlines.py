"""Deadlines in dossiers, contributed by the apps that keep them.

A dossier's dates that someone has to act on live in the apps above dossiers: the date Veilig Thuis
should have given feedback and the evaluation of help (meldcode), an agreement made in an overleg
(overleg), a request for inzage that must be answered (sharing), and later the plan's evaluation
and the follow-up check-ins. The dossier header shows the next one, the "Vandaag" dashboard the ones
due soon across the actor's dossiers. Dossiers imports none of those apps: each registers a
:class:`DeadlineSource` in its ``AppConfig.ready()``::

    deadlines.register(DeadlineSource(name="meldcode", collect=meldcode_deadlines))

A source gets the dossiers to look in as a queryset the caller has already limited to what the actor
may see, and returns the open deadlines in them (done ones are not deadlines any more) in a fixed
number of queries, whatever the number of dossiers: it filters its own rows by
``dossier__in=dossiers`` (a subquery) and, when ``until`` is given, by ``due_on <= until`` — overdue
deadlines are always included.

A deadline carries no client data beyond the dossier's reference: whoever shows it with the family's
name reads that through the dossier selectors, which audit it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone

from keten.core.actor import Actor

if TYPE_CHECKING:
    from keten.dossiers.models import Dossier

#: How many days ahead a deadline counts as "soon" (this week).
SOON_DAYS = 7


class Urgency:
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"


@dataclass(frozen=True)
class Deadline:
    """One date someone has to act on, and the page where that is done."""

    kind: str  # the source's name and what it is, e.g. "meldcode.vt_feedback"
    label: str  # what is due, in Dutch: "Terugkoppeling van Veilig Thuis"
    due_on: date
    url: str
    dossier_id: int
    dossier_reference: str
    owner_id: int | None = None  # the professional who has to act, when one is named

    def urgency(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.due_on < today:
            return Urgency.OVERDUE
        if self.due_on <= today + timedelta(days=SOON_DAYS):
            return Urgency.SOON
        return Urgency.LATER

    @property
    def is_overdue(self) -> bool:
        return self.urgency() == Urgency.OVERDUE

    @property
    def is_soon(self) -> bool:
        return self.urgency() == Urgency.SOON


#: ``(actor, dossiers, until) -> deadlines``; see the module's docstring for the contract.
DeadlineCollector = Callable[[Actor, "QuerySet[Dossier]", "date | None"], Iterable[Deadline]]


@dataclass(frozen=True)
class DeadlineSource:
    name: str
    collect: DeadlineCollector


_registry: dict[str, DeadlineSource] = {}


def register(source: DeadlineSource) -> DeadlineSource:
    """Add ``source`` (once per name; registering the same source again is a no-op)."""
    known = _registry.get(source.name)
    if known is not None and known != source:
        raise ImproperlyConfigured(f"A deadline source named {source.name!r} is registered already.")
    _registry[source.name] = source
    return source


def registered() -> list[DeadlineSource]:
    return sorted(_registry.values(), key=lambda s: s.name)


def _ordered(deadlines: Iterable[Deadline]) -> list[Deadline]:
    return sorted(deadlines, key=lambda d: (d.due_on, d.kind, d.dossier_id, d.url))


def collect(actor: Actor, dossiers: QuerySet[Dossier], *, until: date | None = None) -> list[Deadline]:
    """The open deadlines of every source in ``dossiers`` (already limited to what the actor may
    see), earliest first; one fixed set of queries per source."""
    found: list[Deadline] = []
    for source in registered():
        found.extend(source.collect(actor, dossiers, until))
    return _ordered(found)


def for_dossier(actor: Actor, dossier: Dossier) -> list[Deadline]:
    """The open deadlines of one dossier the actor may see, earliest first."""
    from keten.dossiers.models import Dossier

    return collect(actor, Dossier.objects.filter(pk=dossier.pk))


def due_for(actor: Actor, *, until: date | None = None) -> list[Deadline]:
    """The open deadlines, overdue or due by ``until`` (default: a week from today), in the open
    dossiers whose case team the actor is on (never those opened by break-the-glass)."""
    from keten.dossiers.models import Dossier
    from keten.dossiers.rules import team_dossier_ids

    until = until or timezone.localdate() + timedelta(days=SOON_DAYS)
    # The case team's dossiers as ids (tens of them): each source's query then names them instead of
    # repeating the case-team subquery, which lets the database start from these few dossiers.
    ids = sorted(team_dossier_ids(actor))
    if not ids:
        return []
    return collect(actor, Dossier.objects.filter(pk__in=ids, status=Dossier.Status.OPEN), until=until)
