"""Who sees a notification: its recipient, and nobody else. The rule and its row filter, side by side.

Asked through :func:`keten.core.policy.allows` (``notifications.view_notification``); the selectors
(``keten.notifications.selectors``) read through :func:`notifications_visible_to`.
``tests/test_rules_agree.py`` checks that the two agree.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet

from keten.notifications.models import Notification


def _user_pk(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


@rules.predicate
def is_recipient(user: Any, notification: Any) -> bool:
    return notification is not None and _user_pk(user) is not None and notification.recipient_id == _user_pk(user)


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    """Row filter of :func:`is_recipient`: the user's own notifications."""
    pk = _user_pk(user)
    if pk is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=pk)


rules.add_perm("notifications.view_notification", is_recipient)
