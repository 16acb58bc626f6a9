"""Writes of the calendar subscription: making and revoking the secret link, noting its use."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from keten.accounts.models import User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.overleg.models import (
    CalendarFeed,
)

# --- calendar subscription --------------------------------------------------------------------

#: A feed fetch records its use again only when the last recorded use is older than this, so a
#: calendar app that polls every few minutes does not write on every poll.
FEED_USE_INTERVAL = dt.timedelta(hours=1)


def _feed_owner(actor: Actor) -> User:
    """The user of a calendar subscription: someone signed in with an active membership."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def calendar_feed_create(*, actor: Actor) -> str:
    """Make a new calendar subscription for the actor and return its secret token.

    Only the token's hash is stored, so the caller must show the token now: it cannot be shown
    again. The actor's previous subscription, if any, is revoked in the same transaction.
    """
    user = _feed_owner(actor)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # Lock the user row so two requests at once cannot both leave an active feed behind.
        User.objects.select_for_update().filter(pk=user.pk).first()
        revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(user=user, token_hash=CalendarFeed.hash_token(token))
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="overleg.calendar_feed",
            object_id=feed.pk,
            details={"replaced": revoked},
        )
    return token


def calendar_feed_revoke(*, actor: Actor) -> bool:
    """Revoke the actor's active calendar subscription; False when there was none."""
    user = _feed_owner(actor)
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
        if feed is None:
            return False
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action=AuditAction.DELETE, object_type="overleg.calendar_feed", object_id=feed.pk)
    return True


def calendar_feed_used(*, actor: Actor, feed: CalendarFeed) -> None:
    """Note that an agenda app fetched the feed: at most one write an hour, audited only the first time.

    A fetch holds no client data, and agenda apps poll every few minutes, so later fetches are not
    audited; ``last_used_at`` shows that the link is in use.
    """
    now = timezone.now()
    if feed.last_used_at is not None and now - feed.last_used_at < FEED_USE_INTERVAL:
        return
    with transaction.atomic():
        if feed.last_used_at is None:
            # Conditional update: of two first fetches at once, only one records the first use.
            first = CalendarFeed.objects.filter(pk=feed.pk, last_used_at__isnull=True).update(last_used_at=now)
            if first:
                audit.record(
                    actor=actor,
                    action=AuditAction.VIEW,
                    object_type="overleg.calendar_feed",
                    object_id=feed.pk,
                    details={"first_use": True},
                )
        else:
            CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    feed.last_used_at = now
