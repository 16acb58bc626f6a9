"""Reads of the audit log, scoped to the actor's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from keten.core import audit, lookups
from keten.core.actor import Actor
from keten.core.crypto import bsn_index, is_valid_bsn
from keten.core.listing import Listing, ListSpec, Page, Sort, paginate
from keten.core.models import AuditAction, AuditEvent, AuditEventClient
from keten.core.policy import allows, audit_events_visible_to


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


def client_filter_token(*, actor: Actor, client: str) -> str:
    """What the audit filter may carry in its URL: the family pseudonym, never the BSN itself.

    Turning a BSN into a pseudonym is an existence look-up (``keten.core.lookups``): only persons of
    the actor's municipality are found, a hit is audited with the family pseudonym and limited per
    user; over the limit it raises :class:`~keten.core.errors.RateLimitedError`.
    """
    client = client.strip()
    if not client:
        return ""
    if not looks_like_bsn(client):
        return client.upper()
    from keten.dossiers.models import Person

    membership = actor.membership
    if membership is None:
        return "-"
    lookups.ensure_allowed(actor, object_type="bsn_lookup", field="client")
    digits = "".join(ch for ch in client if ch.isdigit())
    person = (
        Person.objects.filter(bsn_index=bsn_index(digits), municipality_id=membership.organisation.municipality_id)
        .select_related("family")
        .first()
    )
    if person is None:
        return "-"
    lookups.record_hit(
        actor,
        object_type="bsn_lookup",
        pseudonyms=[person.family.pseudonym],
        field="client",
        details={"field": "audit_filter"},
    )
    return str(person.family.pseudonym)


def _client_pseudonym(client: str) -> str | None:
    """A client filter holds a family pseudonym (G-…); a BSN reaches it only through the filter form
    (:func:`client_filter_token`), so one here finds nothing."""
    client = client.strip()
    if not client:
        return None
    return "-" if looks_like_bsn(client) else client.upper()


def audit_events(*, actor: Actor, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events of the actor's own organisation, newest first. Empty for anyone not allowed."""
    if actor.user is None or actor.api_client is not None:
        return AuditEvent.objects.none()
    qs = audit_events_visible_to(actor.user)
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


#: The audit log page: newest first by default; its filters are the page's own form (:class:`AuditFilter`).
AUDIT_LOG = ListSpec(
    sorts=(
        Sort("tijdstip", _l("Tijdstip"), ("id",)),  # ids grow with time, and are indexed
        Sort("medewerker", _l("Medewerker"), ("actor_label",)),
        Sort("actie", _l("Actie"), ("action",)),
        Sort("object", _l("Object"), ("object_type", "object_id")),
    ),
    default_sort="-tijdstip",
    page_size=50,
)


def audit_page(*, actor: Actor, filters: AuditFilter, listing: Listing | None = None) -> Page[AuditEvent]:
    """One page of events, sorted as ``listing`` (:data:`AUDIT_LOG`) asks, with their number: one
    COUNT and one SELECT over the organisation's events (indexed by organisation and id)."""
    page = paginate(audit_events(actor=actor, filters=filters), listing or AUDIT_LOG.parse({}))
    if page.rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="audit_log",
            details={"filters": {k: str(v) for k, v in vars(filters).items() if v}, "rows": len(page.rows)},
        )
    return page


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
