"""Reads of notifications: a user sees only their own (the row filter in ``keten.notifications.rules``)."""

from __future__ import annotations

from django.db.models import QuerySet

from keten.accounts.models import User
from keten.notifications.models import Notification
from keten.notifications.rules import notifications_visible_to


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = notifications_visible_to(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread(*, user: User) -> QuerySet[Notification]:
    return notifications_visible_to(user).filter(read_at__isnull=True)
