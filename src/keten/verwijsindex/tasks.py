"""Background jobs of the verwijsindex: the nightly lifecycle, the daily alerts, and webhook delivery.

Schedule ``manage.py verwijsindex_lifecycle`` nightly, ``manage.py verwijsindex_alerts`` daily and
``manage.py verwijsindex_webhooks`` every few minutes (see docs/architecture.md); with ``--enqueue``
each queues its task here for the worker instead of running in the command.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_lifecycle() -> dict[str, Any]:
    """Expire, age out at 23, purge the archive; then forget feed events past their retention."""
    from keten.verwijsindex import services, webhooks

    report = services.lifecycle_run()
    return {**report.__dict__, "feed_events_purged": webhooks.feed_purge()}


@task()
def run_alerts() -> dict[str, int]:
    """Alert regievoerders to overdue matches and remind postponed notices."""
    from keten.verwijsindex import services

    return services.alerts_run()


@task()
def send_webhooks(delivery_ids: list[int]) -> dict[str, int]:
    """Send the given webhook deliveries (queued after the transaction that wrote them)."""
    from keten.verwijsindex import webhooks

    counts: dict[str, int] = {}
    for pk in delivery_ids:
        status = webhooks.deliver(pk)
        counts[status] = counts.get(status, 0) + 1
    return counts


@task()
def send_due_webhooks() -> dict[str, int]:
    """Send every pending delivery that is due: retries, and deliveries whose queueing was missed."""
    from keten.verwijsindex import webhooks

    return webhooks.deliver_due()
