"""The feed: the match events of an organisation, read by cursor, and their retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.verwijsindex.models import FeedEvent, MatchParticipant

#: The feed lists an event only once it is this old, so that an event of a transaction that
#: committed late (with a lower id than one already listed) is not skipped by a poller's cursor.
FEED_SETTLE_SECONDS = 2
FEED_MAX_LIMIT = 500


def event_body(event: FeedEvent) -> dict[str, Any]:
    return {"id": event.pk, "type": event.kind, "occurred_at": event.created_at, **event.payload}


@dataclass
class FeedPage:
    events: list[FeedEvent]
    next_cursor: int
    has_more: bool


def feed_page(*, actor: Actor, after: int = 0, limit: int = 100) -> FeedPage:
    """Match events for the actor's organisation after the cursor (a system client), or of the matches
    the professional takes part in (a session). Audited when it returns events."""
    org_id = actor.organisation_id
    if org_id is None:
        raise NotFoundError
    limit = max(1, min(limit, FEED_MAX_LIMIT))
    qs = FeedEvent.objects.filter(
        organisation_id=org_id,
        pk__gt=max(0, after),
        created_at__lte=timezone.now() - timedelta(seconds=FEED_SETTLE_SECONDS),
    )
    if actor.api_client is None:
        if actor.user is None:
            raise NotFoundError
        mine = MatchParticipant.objects.filter(match_id=OuterRef("match_id"), signal__professional=actor.user)
        qs = qs.filter(Exists(mine))
    rows = list(qs.order_by("pk")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="vi.feed",
            details={"after": after, "events": len(rows)},
        )
    return FeedPage(events=rows, next_cursor=rows[-1].pk if rows else max(0, after), has_more=has_more)


def feed_purge(*, now: datetime | None = None) -> int:
    """Forget events (and their deliveries) older than ``KETEN_VI_FEED_RETENTION_DAYS``."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KETEN_VI_FEED_RETENTION_DAYS)
    deleted = FeedEvent.objects.filter(created_at__lt=cutoff).delete()[1]
    return int(deleted.get("verwijsindex.FeedEvent", 0))
