"""Writes of notifications; the e-mail that announces them is the job in ``notifications.tasks``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from keten.accounts.models import User
from keten.notifications.models import Notification
from keten.notifications.rules import notifications_visible_to
from keten.notifications.tasks import send_notification_email

logger = logging.getLogger(__name__)


def notification_send(*, recipients: Iterable[User], kind: str, title: str, body: str = "", link: str = "") -> int:
    """Create in-app notifications and queue an e-mail (without client data) after commit."""
    items = [
        Notification(recipient=user, kind=kind, title=title, body=body, link=link)
        for user in {u.pk: u for u in recipients}.values()
    ]
    Notification.objects.bulk_create(items)
    for item in items:
        user_id = item.recipient.pk
        transaction.on_commit(partial(send_notification_email.enqueue, user_id))
    return len(items)


def notification_mark_read(*, user: User, notification_id: int) -> None:
    notifications_visible_to(user).filter(pk=notification_id, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: User) -> None:
    notifications_visible_to(user).filter(read_at__isnull=True).update(read_at=timezone.now())


class NewNotification(NamedTuple):
    """One in-app notification to create with :func:`notifications_create_many`."""

    recipient_id: int
    kind: str
    title: str
    body: str = ""
    link: str = ""


def notifications_create_many(items: Sequence[NewNotification]) -> int:
    """Create many in-app notifications at once and queue one e-mail per distinct recipient.

    For callers that notify many people at once (a bulk registration): the notifications are kept as
    given (one per item); the e-mails (without client data) are queued after commit, one per
    recipient however many notifications they got, with :func:`notification_emails_enqueue`.
    """
    rows = list(items)
    if not rows:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql":
        # COPY: for thousands of rows a fraction of bulk_create's cost (values adapted in C).
        columns = ("recipient_id", "kind", "title", "body", "link", "created_at")
        sql = f"COPY {Notification._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor  # psycopg 3's cursor, for COPY
            with raw.copy(sql) as copy:
                for n in rows:
                    copy.write_row((n.recipient_id, n.kind, str(n.title), str(n.body), n.link, now))
    else:
        Notification.objects.bulk_create(
            [
                Notification(recipient_id=n.recipient_id, kind=n.kind, title=n.title, body=n.body, link=n.link)
                for n in rows
            ]
        )
    recipients = sorted({n.recipient_id for n in rows})
    transaction.on_commit(lambda: notification_emails_enqueue(recipients))
    return len(rows)


def notification_emails_enqueue(user_ids: Iterable[int]) -> int:
    """Queue the notification e-mail for each user (once per distinct id); returns how many.

    On the database task backend this is one multi-row INSERT into the task table (what
    ``enqueue`` would write per task, in one statement and one WAL flush); other backends get one
    ``enqueue`` per user.
    """
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return 0
    from django_tasks_db import DatabaseBackend  # a dependency; imported here as it needs the app registry

    task = send_notification_email
    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for user_id in ids:
            task.enqueue(user_id)
        return len(ids)
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend.validate_task(task)
    rows = [
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs=normalize_json({"args": [user_id], "kwargs": {}}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for user_id in ids
    ]
    DBTaskResult.objects.bulk_create(rows)
    # enqueue announces each task; its result object is costly to build, so only when someone
    # besides the library's debug log listens (or that log is on).
    if len(task_enqueued.receivers) > 1 or logging.getLogger("django_tasks").isEnabledFor(logging.DEBUG):
        for row in rows:
            task_enqueued.send(type(backend), task_result=row.task_result)
    return len(rows)
