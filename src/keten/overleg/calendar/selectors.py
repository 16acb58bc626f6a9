"""Reads of the calendar: the actor's meetings for the iCalendar export and the subscription feed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.models import AuditAction
from keten.overleg.meetings.selectors import meetings_for
from keten.overleg.models import (
    CalendarFeed,
    Meeting,
)


def calendar_meetings(*, actor: Actor, days_back: int = 30, days_ahead: int = 120) -> list[Meeting]:
    """The meetings for the actor's calendar export (calendar data only, see :mod:`keten.overleg.ical`)."""
    now = timezone.now()
    return list(
        meetings_for(actor=actor, start=now - dt.timedelta(days=days_back), end=now + dt.timedelta(days=days_ahead))
    )


#: A token longer than this is not one Keten made (``secrets.token_urlsafe(32)`` gives 43 characters).
MAX_FEED_TOKEN = 100


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active calendar subscription of this token, for an active user; None otherwise.

    Looked up by the token's hash: the token itself is never stored.
    """
    if not token or len(token) > MAX_FEED_TOKEN:
        return None
    return (
        CalendarFeed.objects.filter(
            token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )


def calendar_feed_active(*, actor: Actor) -> CalendarFeed | None:
    """The actor's own active calendar subscription (dates only, never the token)."""
    if actor.user is None:
        return None
    return CalendarFeed.objects.filter(user=actor.user, revoked_at__isnull=True).first()


def calendar_export(*, actor: Actor) -> list[Meeting]:
    """:func:`calendar_meetings` for the signed-in download, audited as an export."""
    meetings = calendar_meetings(actor=actor)
    audit.record(
        actor=actor, action=AuditAction.EXPORT, object_type="overleg.calendar", details={"meetings": len(meetings)}
    )
    return meetings
