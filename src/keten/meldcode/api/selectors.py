"""Reads for the meldcode API: the trajecten an actor may see, as one page, without free text."""

from __future__ import annotations

from django.db.models import F, QuerySet

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.meldcode.models import Status, Traject
from keten.meldcode.rules import trajecten_visible_to as visible_trajecten

PAGE_SIZE = 50


def trajecten_visible_to(actor: Actor) -> QuerySet[Traject]:
    """Trajecten in dossiers the actor may see (case team or break-the-glass) or was consulted on.

    A system acting for a professional: only the trajecten of that professional's case teams. The
    rule and its row filter are in ``keten.meldcode.rules``."""
    if actor.user is None or not allows("meldcode.view_trajecten", actor):
        raise NotFoundError
    return visible_trajecten(actor.user)


def traject_page(*, actor: Actor, status: str = "", page: int = 1) -> tuple[list[Traject], int]:
    """One page of the actor's trajecten, latest activity first (two queries plus the audit event)."""
    qs = trajecten_visible_to(actor)
    if status in Status.values:
        qs = qs.filter(status=status)
    total = qs.count()
    offset = (max(page, 1) - 1) * PAGE_SIZE
    rows: list[Traject] = list(
        qs.select_related("dossier", "organisation")
        # The family of each traject, for the audit event (no client field is read).
        .annotate(family_pseudonym=F("dossier__family__pseudonym"))
        .order_by("-last_activity_at", "-pk")[offset : offset + PAGE_SIZE]
    )
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.traject_list",
        details={"count": len(rows), "page": page, "status": status, "trajecten": [t.reference for t in rows]},
        clients=[getattr(t, "family_pseudonym", "") for t in rows],
    )
    return rows, total
