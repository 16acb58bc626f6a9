"""Reads of notifications: a user sees only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from keten.accounts.models import User
from keten.notifications.models import Notification


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
