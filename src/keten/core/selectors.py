"""Reads of the audit log, scoped to the actor's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import bsn_index, is_valid_bsn
from keten.core.models import AuditAction, AuditEvent, AuditEventClient
from keten.core.policy import allows


@dataclass
class AuditFilter:
    professional_id: int | None = None
    client: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def looks_like_bsn(value: str) -> bool:
    digits = "".join(ch for ch in value if ch.isdigit())
    return len(digits) in (8, 9) and digits == value.replace(" ", "") and is_valid_bsn(digits)


def client_filter_token(client: str) -> str:
    """What the audit filter may carry in its URL: the family pseudonym, never the BSN itself."""
    return _client_pseudonym(client) or ""


def _client_pseudonym(client: str) -> str | None:
    """A client filter accepts a family pseudonym (G-…) or a BSN (looked up through the blind index)."""
    client = client.strip()
    if not client:
        return None
    if looks_like_bsn(client):
        from keten.dossiers.models import Person

        digits = "".join(ch for ch in client if ch.isdigit())
        person = Person.objects.filter(bsn_index=bsn_index(digits)).select_related("family").first()
        return person.family.pseudonym if person else "-"
    return client.upper()


def audit_events(*, actor: Actor, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events of the actor's own organisation, newest first. Empty for anyone not allowed."""
    if actor.user is None or actor.organisation_id is None or not allows("core.view_auditlog", actor.user):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.filter(organisation_id=actor.organisation_id)
    if filters.professional_id:
        qs = qs.filter(actor_id=filters.professional_id)
    pseudonym = _client_pseudonym(filters.client)
    if pseudonym:
        # Reads of the family's own records, and list reads that showed the family.
        listed = AuditEventClient.objects.filter(pseudonym=pseudonym).values("event_id")
        qs = qs.filter(Q(client_pseudonym=pseudonym) | Q(pk__in=listed))
    if filters.action in AuditAction.values:
        qs = qs.filter(action=filters.action)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.order_by("-id")


def audit_page(
    *, actor: Actor, filters: AuditFilter, before_id: int | None = None, size: int = 50
) -> tuple[list[AuditEvent], int | None]:
    """One page of events (keyset pagination: no count over millions of rows) and the next cursor."""
    qs = audit_events(actor=actor, filters=filters)
    if before_id:
        qs = qs.filter(id__lt=before_id)
    rows = list(qs[: size + 1])
    next_cursor = rows[size - 1].pk if len(rows) > size else None
    page = rows[:size]
    if page:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="audit_log",
            details={"filters": {k: str(v) for k, v in vars(filters).items() if v}, "rows": len(page)},
        )
    return page, next_cursor


def audit_professionals(*, actor: Actor) -> list[Any]:
    """Professionals of the actor's organisation, for the audit filter."""
    from keten.accounts.models import User

    if actor.organisation_id is None or not allows("core.view_auditlog", actor.user):
        return []
    return list(
        User.objects.filter(memberships__organisation_id=actor.organisation_id)
        .distinct()
        .order_by("last_name", "first_name")
    )
