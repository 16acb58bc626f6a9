"""What every page of a traject shows, read-only: the traject, its timeline, the tree and the steps.

The traject page (``trajecten``) adds the forms of the step it shows; the consultation page
(``consultations``) shows a traject to the one asked for advice. Both load the traject through the
policy with :func:`load_page` and share :func:`read_context`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from keten.core.actor import Actor, actor_from_request
from keten.core.localcache import ProcessCache
from keten.core.policy import allows
from keten.meldcode.afwegingskader import tree
from keten.meldcode.afwegingskader.selectors import evaluation
from keten.meldcode.models import Checklist, ChecklistKind, Entry, Traject
from keten.meldcode.record import selectors as record
from keten.meldcode.timeline.rows import TimelineRow, label_entries
from keten.meldcode.timeline.selectors import progress


@dataclass
class Page:
    """What the forms of one traject page need, loaded once."""

    actor: Actor
    traject: Traject
    entries: list[Entry]
    evaluation: tree.Evaluation
    #: Whether the entries carry their authors and organisations (see ``load_page``).
    with_people: bool = True
    #: Who may be asked for a consultation, (user id, label) pairs; read when the form is shown.
    candidates: list[tuple[int, str]] | None = None

    def may_record(self) -> bool:
        """On the case team, so may record in the traject (whatever its status); asked once per page."""
        if not hasattr(self, "_may_record"):
            self._may_record = allows("meldcode.change_traject", self.actor, self.traject)
        return self._may_record

    def checklists(self) -> list[Checklist]:
        if not hasattr(self, "_checklists"):
            order = list(ChecklistKind.values)
            self._checklists = sorted(self.traject.checklists.all(), key=lambda c: order.index(c.kind))
        return self._checklists

    def allowed(self) -> list[str]:
        return [str(d) for d in tree.allowed_decisions(self.evaluation)]


def load_page(
    request: HttpRequest, reference: str, *, for_change: bool, audit_read: bool, with_people: bool = True
) -> Page:
    """The traject (through the policy) and its entries; ``with_people=False`` leaves out who recorded
    each entry, for the traject page, whose timeline is cached (``timeline_html`` reads them when
    it renders)."""
    actor = actor_from_request(request)
    if for_change:
        traject = record.traject_for_change(actor=actor, reference=reference, audit_read=audit_read)
    else:
        traject = record.traject_get(actor=actor, reference=reference, audit_read=audit_read)
    entries = record.timeline(traject) if with_people else record.page_entries(traject)
    return Page(
        actor=actor,
        traject=traject,
        entries=entries,
        evaluation=evaluation(traject, entries),
        with_people=with_people,
    )


def timeline_rows(page: Page) -> list[TimelineRow]:
    """The page's entries as timeline rows, each with the link to correct it."""
    return label_entries(page.entries, base=reverse("meldcode:traject", args=[page.traject.reference]))


def traject_context(request: HttpRequest, reference: str) -> dict[str, Any]:
    """What every traject page shows: the traject, its timeline, the tree and the step progress (read-only)."""
    page = load_page(request, reference, for_change=False, audit_read=True)
    return {**read_context(page), "entries": timeline_rows(page)}


def read_context(page: Page) -> dict[str, Any]:
    traject = page.traject
    today = timezone.localdate()
    return {
        "traject": traject,
        "evaluation": page.evaluation,
        "progress": progress(traject, page.entries),
        # Who may record is on the case team and so sees the names; others only when consulted with names.
        "show_names": page.may_record() or record.may_see_names(page.actor, traject),
        "feedback_overdue": bool(
            traject.vt_feedback_due and not traject.vt_feedback_on and traject.vt_feedback_due < today
        ),
    }


#: Seconds a rendered timeline is kept (author names could change meanwhile; nothing else can).
TIMELINE_CACHE_SECONDS = 5 * 60
#: Rendered timelines hold decrypted client data: kept in this process only.
_TIMELINES = ProcessCache(maxsize=256)


def timeline_html(page: Page, may_change: bool) -> SafeString:
    """The rendered timeline of the traject page, kept per traject, entries, language and may_change
    for up to ``TIMELINE_CACHE_SECONDS``.

    Entries are append-only (a correction is a new entry that marks the old one), so the number of
    entries and the last id identify what the timeline shows. The entries were read through the
    case-team check of this request; the store only spares rendering them again.
    """
    entries = page.entries
    last = max(entries, key=lambda e: e.pk, default=None)
    stamp = f"{last.pk}@{last.created_at.timestamp()}" if last is not None else "0"
    period = int(time.time() // TIMELINE_CACHE_SECONDS)
    key = ("timeline", page.traject.reference, len(entries), stamp, may_change, get_language(), period)

    def render() -> str:
        if not page.with_people:
            # The same entries (append-only) with their authors and organisations, to render them.
            page.entries = record.timeline(page.traject)
        rows = timeline_rows(page)
        return str(render_to_string("meldcode/_timeline.html", {"entries": rows, "may_change": may_change}))

    html = _TIMELINES.get_or_set(key, render)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine above, escaped there
