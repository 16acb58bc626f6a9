"""Bulk notifications: one INSERT for the notifications, one e-mail per recipient, queued after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from keten.accounts.models import Role
from keten.notifications.models import Notification
from keten.notifications.services import (
    NewNotification,
    notification_emails_enqueue,
    notifications_create_many,
)
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _notes(users, per_user=2):
    return [
        NewNotification(recipient_id=user.pk, kind="test.bulk", title=f"Melding {i}", link="/x/")
        for user in users
        for i in range(per_user)
    ]


def test_creates_every_notification_and_mails_each_recipient_once(
    organisation, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    users = [make_user(Role.PROFESSIONAL, organisation, username=f"p{i}") for i in range(3)]
    # One INSERT (on PostgreSQL a COPY, which the query log does not list).
    with django_capture_on_commit_callbacks(execute=True) as callbacks, django_assert_max_num_queries(1):
        assert notifications_create_many(_notes(users)) == 6
    assert len(callbacks) == 1
    assert Notification.objects.filter(kind="test.bulk").count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert all("Keten" in m.subject for m in mail.outbox)


def test_nothing_to_create_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert notifications_create_many([]) == 0
    assert callbacks == []


@override_settings(TASKS=DB_TASKS)
def test_database_backend_gets_one_insert_for_all_mails(organisation, django_assert_num_queries):
    from django_tasks_db.models import DBTaskResult

    users = [make_user(Role.PROFESSIONAL, organisation, username=f"q{i}") for i in range(4)]
    with django_assert_num_queries(1):
        assert notification_emails_enqueue([u.pk for u in users] + [users[0].pk]) == 4
    rows = list(DBTaskResult.objects.order_by("args_kwargs"))
    assert len(rows) == 4
    assert sorted(r.args_kwargs["args"][0] for r in rows) == sorted(u.pk for u in users)
    assert {r.task_path for r in rows} == {"keten.notifications.services.send_notification_email"}
    # Each row is what enqueue would have written: a ready task that runs as soon as a worker takes it.
    single = DBTaskResult.objects.filter(pk=rows[0].pk).get()
    assert single.task_result.status == "READY"
    assert DBTaskResult.objects.ready().count() == 4
    assert mail.outbox == []
