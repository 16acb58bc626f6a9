"""The dossier's timeline page: everything that happened in the dossier, across the apps, newest first.

/dossiers/<reference>/tijdlijn/?soort=…&soort=…&voor=<cursor> — a GET filter of kinds and a cursor
for older entries. A garbled cursor or an unknown kind gives a Dutch message and the first page
without a filter. With HTMX the filter and the paging link swap only the list (``_timeline.html``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from keten.core.access import requires
from keten.core.actor import actor_from_request
from keten.core.memo import reading
from keten.dossiers import selectors
from keten.dossiers.timeline import Cursor, TimelinePage, timeline_page, unknown_kinds

#: The query parameters of the page.
KIND_PARAM = "soort"
CURSOR_PARAM = "voor"


def timeline_context(page: TimelinePage, *, problem: str = "") -> dict[str, Any]:
    """What ``dossiers/_timeline.html`` needs: the page, its kinds and the link to older entries."""
    query = QueryDict(mutable=True)
    if page.filtered:
        query.setlist(KIND_PARAM, sorted(page.kinds))
    newest = query.urlencode()
    if page.next_cursor is not None:
        query[CURSOR_PARAM] = str(page.next_cursor)
    return {
        "dossier": page.dossier,
        "timeline": page,
        "timeline_kinds": [(key, label, key in page.kinds and page.filtered) for key, label in page.all_kinds],
        "timeline_older_query": query.urlencode() if page.next_cursor is not None else "",
        "timeline_newest_query": newest,
        "timeline_problem": problem,
        "on_team": page.on_team,
    }


@require_GET
@requires("dossiers.view_dossiers")
def dossier_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    # A read-only page: the policy's answers (the case team, grants) are asked once while it is built.
    with reading():
        return _timeline(request, reference)


def _timeline(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_from_request(request)
    # The dossier through its selector (404 for anyone who may not see it); the timeline audits the read.
    dossier = selectors.dossier_get(actor=actor, reference=reference, audit_read=False)
    kinds = [k for k in request.GET.getlist(KIND_PARAM) if k]
    raw_cursor = request.GET.get(CURSOR_PARAM, "")
    before: Cursor | None = None
    problem = ""
    if unknown_kinds(kinds):
        problem = _("Dat soort gebeurtenis kennen we niet. U ziet nu alle gebeurtenissen, de nieuwste eerst.")
    elif raw_cursor:
        try:
            before = Cursor.parse(raw_cursor)
        except ValueError:
            problem = _(
                "De link naar oudere gebeurtenissen klopt niet. U ziet nu alle gebeurtenissen, de nieuwste eerst."
            )
    if problem:
        kinds, before = [], None
    page = timeline_page(actor, dossier, kinds=kinds, before=before)
    context = timeline_context(page, problem=problem)
    partial = getattr(request, "htmx", False) and not getattr(request.htmx, "history_restore_request", False)  # type: ignore[attr-defined]
    template = "dossiers/_timeline.html" if partial else "dossiers/timeline.html"
    return render(request, template, context, status=400 if problem else 200)
