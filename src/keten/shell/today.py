"""The "Vandaag" start page: what needs the signed-in person, per role, each item one click from its page.

:func:`today_for` asks the policy which blocks the actor's role may see and fills each through the
apps' user-scoped selectors, which audit the client data they return. The page runs one fixed set of
queries per role, whatever the number of dossiers, deadlines, consultations or matches: every block
reads its rows in a fixed number of queries, and the family names of all deadlines shown are read
in one (audited) query.

A block that is ``None`` is not shown; an empty one is shown with its empty state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from keten.accounts.selectors import beheer_summary
from keten.core import audit
from keten.core.actor import Actor
from keten.core.memo import reading
from keten.core.policy import allows, may_see_client_data
from keten.dossiers import deadlines as dossier_deadlines
from keten.dossiers import selectors as dossier_selectors
from keten.dossiers.access import break_glass, requests
from keten.dossiers.deadlines import Deadline, Urgency
from keten.meldcode.consultations import selectors as consultation_selectors
from keten.meldcode.figures.selectors import meldcode_figures
from keten.meldcode.trajecten import selectors as traject_selectors
from keten.network.kaart.selectors import StaleEntries, stale_entries_to_confirm
from keten.notifications.selectors import notifications_for
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.figures.selectors import municipality_aggregates
from keten.overleg.meetings import selectors as meeting_selectors
from keten.verwijsindex import selectors as vi_selectors

#: How many rows a block lists; its heading counts them all and its link leads to the rest.
SHOWN = 5


@dataclass(frozen=True)
class DeadlineItem:
    """A deadline as the page lists it: with the family's name and whether it is the actor's own."""

    deadline: Deadline
    family_name: str
    mine: bool

    @property
    def label(self) -> str:
        return self.deadline.label

    @property
    def due_on(self) -> dt.date:
        return self.deadline.due_on

    @property
    def url(self) -> str:
        return self.deadline.url

    @property
    def reference(self) -> str:
        return self.deadline.dossier_reference


@dataclass
class Deadlines:
    overdue: list[DeadlineItem]
    soon: list[DeadlineItem]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.soon)


@dataclass
class Listed:
    """The first rows of a block and how many there are in all."""

    rows: list[Any]
    total: int


@dataclass
class Figures:
    """The municipality's headline figures for the beleidsmedewerker (counts only, small cells hidden)."""

    dossiers: dict[str, Any]
    meldcode_by_step: list[Any]
    vi_by_wijk: list[dict[str, Any]]
    vi_open_without_contact: int | None
    overleg: list[dict[str, Any]]
    small_cell: int


@dataclass
class Today:
    on: dt.date
    notifications: list[Any]
    deadlines: Deadlines | None = None
    consultations: Listed | None = None
    break_glass: Listed | None = None
    access_requests: int | None = None
    matches: Listed | None = None
    regie_overdue: int | None = None
    agreements: Listed | None = None
    agreements_overdue: int = 0
    meetings: list[Any] | None = None
    trajecten: dict[str, int] | None = None
    stale_entries: StaleEntries | None = None
    beheer: dict[str, Any] | None = None
    dossiers: Listed | None = None
    workload: list[dict[str, Any]] | None = None
    figures: Figures | None = None

    @property
    def needs_action(self) -> int:
        """How many items ask for action (the page's summary line)."""
        return sum(
            (
                len(self.deadlines.overdue) if self.deadlines else 0,
                self.consultations.total if self.consultations else 0,
                self.break_glass.total if self.break_glass else 0,
                self.access_requests or 0,
                self.matches.total if self.matches else 0,
            )
        )


def _deadlines(actor: Actor, today: dt.date) -> Deadlines:
    found = dossier_deadlines.due_for(actor, until=today + dt.timedelta(days=dossier_deadlines.SOON_DAYS))
    names = dossier_selectors.family_names(actor=actor, references=[d.dossier_reference for d in found])
    overdue: list[DeadlineItem] = []
    soon: list[DeadlineItem] = []
    for deadline in found:
        if deadline.dossier_reference not in names:
            continue  # not visible (cannot happen for the actor's own case teams; never shown unnamed)
        item = DeadlineItem(
            deadline=deadline,
            family_name=names[deadline.dossier_reference],
            mine=deadline.owner_id is not None and deadline.owner_id == actor.user_id,
        )
        (overdue if deadline.urgency(today) == Urgency.OVERDUE else soon).append(item)
    return Deadlines(overdue=overdue, soon=soon)


def _consultations(actor: Actor) -> Listed:
    rows = consultation_selectors.consultation_inbox(actor=actor)
    return Listed(rows=rows[:SHOWN], total=len(rows))


def _break_glass(actor: Actor) -> Listed:
    rows = break_glass.review_queue(actor=actor)
    # Overdue reviews first, then the oldest.
    rows.sort(key=lambda r: (not r.overdue, r.granted_at))
    return Listed(rows=rows[:SHOWN], total=len(rows))


def _agreements(actor: Actor, today: dt.date) -> tuple[Listed, int]:
    page = agreement_selectors.my_agreements_page(actor=actor, page_size=SHOWN, today=today)
    for line in page.rows:
        line.url = reverse("overleg:agreement", args=[line.pk])
    return Listed(rows=page.rows, total=page.total), page.overdue


def _figures(actor: Actor) -> Figures:
    dossiers = dossier_selectors.dossier_aggregates(actor=actor)
    meldcode = meldcode_figures(actor=actor)
    vi = vi_selectors.aggregates(actor=actor)
    return Figures(
        dossiers=dossiers,
        meldcode_by_step=meldcode.by_step,
        vi_by_wijk=vi["signals_by_wijk"],
        vi_open_without_contact=vi["open_without_contact"],
        overleg=municipality_aggregates(actor=actor),
        small_cell=meldcode.small_cell,
    )


def today_for(*, actor: Actor) -> Today:
    """Everything the start page shows the actor, most urgent first; blocks the role may not see are None.

    Each selector audits what it returns; the events are written together when the page is built
    (:func:`keten.core.audit.batched`), and the policy's answers are asked once
    (:func:`keten.core.memo.reading`).
    """
    with audit.batched(), reading():
        return _today_for(actor)


def _today_for(actor: Actor) -> Today:
    user = actor.user
    assert user is not None
    now = timezone.now()
    today = timezone.localdate()
    page = Today(on=today, notifications=list(notifications_for(user=user, unread_only=True)[:SHOWN]))
    case_role = may_see_client_data(user)
    if case_role:
        page.deadlines = _deadlines(actor, today)
        page.consultations = _consultations(actor)
        page.access_requests = requests.open_requests_to_decide_count(actor=actor)
        page.agreements, page.agreements_overdue = _agreements(actor, today)
    if allows("dossiers.review_break_glass", user):
        page.break_glass = _break_glass(actor)
    if allows("verwijsindex.register", user):
        found = vi_selectors.matches_without_contact(actor=actor, limit=SHOWN)
        page.matches = Listed(rows=found.rows, total=found.total)
    page.regie_overdue = vi_selectors.regie_overdue_count(actor=actor, today=today)
    if actor.membership is not None and case_role:
        page.meetings = meeting_selectors.meetings_attended(actor=actor, start=now, end=now + dt.timedelta(days=7))
    if allows("meldcode.view_organisation_trajecten", user):
        page.trajecten = traject_selectors.organisation_attention(actor=actor)
    if allows("accounts.manage", user):
        page.beheer = beheer_summary(actor=actor)
        page.stale_entries = stale_entries_to_confirm(actor=actor, limit=SHOWN)
    if allows("dossiers.add_dossier", user):
        rows, total = dossier_selectors.dossier_list(actor=actor, status="open", limit=SHOWN)
        page.dossiers = Listed(rows=rows, total=total)
    if allows("core.view_team_workload", user):
        page.workload = dossier_selectors.team_workload(actor=actor)
    if allows("core.view_aggregates", user) and actor.membership is not None:
        page.figures = _figures(actor)
    return page
