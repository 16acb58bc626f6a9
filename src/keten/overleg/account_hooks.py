"""What the overleg holds for a person that must end when their account is reset or deactivated."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from keten.accounts.login.credentials import standing_tokens_revoke
from keten.overleg.models import CalendarFeed


@receiver(standing_tokens_revoke, dispatch_uid="overleg.calendar_feed")
def _revoke_calendar_feed(sender: Any, *, user: Any, **kwargs: Any) -> tuple[str, int]:
    """The personal calendar feed link stops working (the user can make a new one later)."""
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return ("overleg.calendar_feed", revoked)
