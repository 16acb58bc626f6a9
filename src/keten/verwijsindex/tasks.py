"""Scheduled entry points of the verwijsindex: the nightly lifecycle, the daily alerts, the webhook sweep.

Schedule ``manage.py verwijsindex_lifecycle`` nightly, ``manage.py verwijsindex_alerts`` daily and
``manage.py verwijsindex_webhooks`` every few minutes (see docs/architecture.md); with ``--enqueue``
each queues its task here for the worker instead of running in the command. The job that sends new
webhook deliveries is queued by the outbox itself: :func:`keten.verwijsindex.webhooks.sending.send_webhooks`.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from keten.verwijsindex import services, webhooks
from keten.verwijsindex.webhooks.sending import send_webhooks

#: Jobs queued before the webhook job moved beside the outbox name this module; the name keeps
#: them working (the worker looks a job up by the path it was queued with).
__all__ = ["run_alerts", "run_lifecycle", "send_due_webhooks", "send_webhooks"]


@task()
def run_lifecycle() -> dict[str, Any]:
    """Expire, age out at 23, purge the archive; then forget feed events past their retention."""
    report = services.lifecycle_run()
    return {**report.__dict__, "feed_events_purged": webhooks.feed_purge()}


@task()
def run_alerts() -> dict[str, int]:
    """Alert regievoerders to overdue matches and remind postponed notices."""
    return services.alerts_run()


@task()
def send_due_webhooks() -> dict[str, int]:
    """Send every pending delivery that is due: retries, and deliveries whose queueing was missed."""
    return webhooks.deliver_due()
