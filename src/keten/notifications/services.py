"""Writes of notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from keten.accounts.models import User
from keten.notifications.models import Notification
from keten.notifications.tasks import send_notification_email


def notification_send(*, recipients: Iterable[User], kind: str, title: str, body: str = "", link: str = "") -> int:
    """Create in-app notifications and queue an e-mail (without client data) after commit."""
    items = [
        Notification(recipient=user, kind=kind, title=title, body=body, link=link)
        for user in {u.pk: u for u in recipients}.values()
    ]
    Notification.objects.bulk_create(items)
    for item in items:
        user_id = item.recipient.pk
        transaction.on_commit(lambda uid=user_id: send_notification_email.enqueue(uid))  # type: ignore[misc]
    return len(items)


def notification_mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: User) -> None:
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
