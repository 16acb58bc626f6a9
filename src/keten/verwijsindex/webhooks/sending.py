"""Sending webhook deliveries: signed calls, retried with exponential backoff, every attempt logged.

A delivery is sent by the job :func:`send_webhooks`, queued after the commit that wrote it; a failed
call is retried up to ``KETEN_VI_WEBHOOK_MAX_ATTEMPTS`` and every attempt is logged (status code,
duration, a generic error word — never the payload). The sweep (:func:`deliver_due`) takes what was
missed.

Signature: ``X-Keten-Signature: sha256=<hex>``, the HMAC-SHA256 with the subscription's secret of
``"<X-Keten-Timestamp>.<raw body>"``. Receivers should check it and reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from keten.verwijsindex.models import WebhookAttempt, WebhookDelivery
from keten.verwijsindex.webhooks import transport
from keten.verwijsindex.webhooks.feed import event_body

logger = logging.getLogger(__name__)

#: First retry after a minute, then doubling, never more than six hours apart.
BACKOFF_FIRST_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
SIGNATURE_HEADER = "X-Keten-Signature"
TIMESTAMP_HEADER = "X-Keten-Timestamp"


@task()
def send_webhooks(delivery_ids: list[int]) -> dict[str, int]:
    """Send the given webhook deliveries (queued after the transaction that wrote them)."""
    counts: dict[str, int] = {}
    for pk in delivery_ids:
        status = deliver(pk)
        counts[status] = counts.get(status, 0) + 1
    return counts


def enqueue(delivery_ids: list[int]) -> None:
    """Queue the sending of new deliveries (after the commit that wrote them)."""
    try:
        send_webhooks.enqueue(delivery_ids)
    except Exception:  # the sweep (send_due_webhooks) picks them up
        logger.exception("could not queue %d webhook deliveries", len(delivery_ids))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failed ones."""
    return timedelta(seconds=min(BACKOFF_FIRST_SECONDS * 2 ** max(0, attempts - 1), BACKOFF_MAX_SECONDS))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """Send one call (checked, pinned, no redirects); the status code, or ``DeliveryError``."""
    return transport.post(
        url,
        body,
        headers,
        timeout=settings.KETEN_VI_WEBHOOK_TIMEOUT_SECONDS,
        allow_private=bool(settings.KETEN_VI_WEBHOOK_ALLOW_HTTP),
    )


def deliver(delivery_id: int) -> str:
    """Try one delivery now (if it is pending and due); returns its status afterwards."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.KETEN_VI_WEBHOOK_TIMEOUT_SECONDS + 60)
    # Claim it, so that a second worker does not send it at the same time.
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .exclude(next_attempt_at__gt=now)
        .update(next_attempt_at=lease)
    )
    delivery = (
        WebhookDelivery.objects.select_related("subscription__api_client", "event").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return "missing"
    if not claimed:
        return str(delivery.status)
    sub = delivery.subscription
    if not (sub.is_active and sub.api_client.is_active):
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "next_attempt_at"])
        return str(delivery.status)
    body = json.dumps(event_body(delivery.event), cls=DjangoJSONEncoder, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Keten-Verwijsindex-Webhook/1",
        "X-Keten-Event": delivery.event.kind,
        "X-Keten-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(sub.secret, timestamp, body),
    }
    started = time.monotonic()
    status_code: int | None = None
    error = ""
    detail = ""
    try:
        status_code = _post(sub.url, body, headers)
    except Exception as exc:  # refused addresses, timeouts, refused connections, TLS errors: all retried
        error = transport.failure_kind(exc)  # what the subscriber reads
        detail = transport.describe(exc)  # what only the server log says
    duration = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    attempts = delivery.attempts + 1
    with transaction.atomic():
        WebhookAttempt.objects.create(delivery=delivery, status_code=status_code, duration_ms=duration, error=error)
        changes: dict[str, Any] = {"attempts": attempts}
        if ok:
            changes.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now(), next_attempt_at=None)
        elif attempts >= settings.KETEN_VI_WEBHOOK_MAX_ATTEMPTS:
            changes.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
        else:
            changes.update(next_attempt_at=timezone.now() + backoff(attempts))
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
    if not ok:
        logger.info(
            "webhook delivery %s (subscription %s) failed, attempt %s after %d ms: %s",
            delivery.pk,
            sub.pk,
            attempts,
            duration,
            status_code or detail,
        )
        if attempts < settings.KETEN_VI_WEBHOOK_MAX_ATTEMPTS:
            _schedule_retry(delivery.pk, changes["next_attempt_at"])
    return str(changes.get("status", WebhookDelivery.Status.PENDING))


def _schedule_retry(delivery_id: int, when: datetime) -> None:
    """Queue the retry for its time if the task backend can defer; otherwise the sweep takes it."""
    if not send_webhooks.get_backend().supports_defer:
        return
    try:
        send_webhooks.using(run_after=when).enqueue([delivery_id])
    except Exception:
        logger.exception("could not queue the retry of webhook delivery %s", delivery_id)


def deliver_due(*, limit: int = 500) -> dict[str, int]:
    """Send every pending delivery that is due (the sweep behind retries and missed queueing)."""
    now = timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .exclude(next_attempt_at__gt=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"delivered": 0, "failed": 0, "pending": 0}
    for pk in ids:
        status = deliver(pk)
        counts[status] = counts.get(status, 0) + 1
    return counts
