"""Match delivery to source systems: the event outbox, the feed, and signed webhook calls.

Events are written by the registering (or ending) transaction itself, once per organisation in the
match, so they exist exactly when the match change committed. Webhook deliveries for the
organisation's subscriptions are written in the same transaction and sent by a background task after
the commit; a failed call is retried with exponential backoff up to ``KETEN_VI_WEBHOOK_MAX_ATTEMPTS``
and every attempt is logged (status code, duration, a generic error word — never the payload).

The address is a partner's choice and so untrusted: :mod:`keten.verwijsindex.webhook_transport`
resolves it and sends only to public addresses, checked at registration and again before every
call, connecting to exactly the checked address; the subscriber reads only a status code or
"niet bereikbaar", "ongeldig antwoord", "time-out" (details go to the server log).

A payload holds ids, the match kind and status and the professionals' names, organisations and
contact details. It never holds the young person's name, date of birth, BSN or any risk category.

Signature: ``X-Keten-Signature: sha256=<hex>``, the HMAC-SHA256 with the subscription's secret of
``"<X-Keten-Timestamp>.<raw body>"``. Receivers should check it and reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.queries import display_name
from keten.verwijsindex import webhook_transport
from keten.verwijsindex.copying import any_args, any_of, insert_rows
from keten.verwijsindex.models import (
    FeedEvent,
    Match,
    MatchParticipant,
    Signal,
    SignalStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

#: The feed lists an event only once it is this old, so that an event of a transaction that
#: committed late (with a lower id than one already listed) is not skipped by a poller's cursor.
FEED_SETTLE_SECONDS = 2
FEED_MAX_LIMIT = 500
#: First retry after a minute, then doubling, never more than six hours apart.
BACKOFF_FIRST_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
MIN_SECRET_LENGTH = 24
MAX_SUBSCRIPTIONS = 5
SIGNATURE_HEADER = "X-Keten-Signature"
TIMESTAMP_HEADER = "X-Keten-Timestamp"


# --- the outbox --------------------------------------------------------------------------------


class _Participant(NamedTuple):
    """What a payload shows of one participant of a match (read as plain values, not model rows)."""

    signal_id: int
    active: bool
    organisation_id: int
    organisation_name: str
    professional: str
    phone: str
    email: str


def _participants(match_ids: Iterable[int]) -> dict[int, list[_Participant]]:
    ids = sorted(set(match_ids))
    out: dict[int, list[_Participant]] = {}
    if not ids:
        return out
    signal = Signal._meta.db_table
    organisation = Signal._meta.get_field("organisation").related_model._meta.db_table  # type: ignore[union-attr]
    user = Signal._meta.get_field("professional").related_model._meta.db_table  # type: ignore[union-attr]
    sql = (
        "SELECT p.match_id, p.signal_id, s.status, s.organisation_id, o.name, u.first_name, u.last_name, "  # noqa: S608
        f"u.username, s.contact_phone, s.contact_email FROM {MatchParticipant._meta.db_table} p "
        f"JOIN {signal} s ON s.id = p.signal_id JOIN {organisation} o ON o.id = s.organisation_id "
        f"JOIN {user} u ON u.id = s.professional_id WHERE p.match_id {any_of(ids)} "
        "ORDER BY s.registered_on, p.signal_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, any_args(ids))
        rows = cursor.fetchall()
    active = SignalStatus.ACTIEF.value
    names: dict[tuple[str, str, str], str] = {}
    for match_id, signal_id, status, org_id, org_name, first, last, username, phone, email in rows:
        name = names.get((first, last, username))
        if name is None:
            name = names[(first, last, username)] = display_name(first, last, username)
        found = out.get(match_id)
        if found is None:
            found = out[match_id] = []
        found.append(_Participant(signal_id, status == active, org_id, org_name, name, phone, email))
    return out


def _payload(
    match: Match,
    participants: list[_Participant],
    organisation_id: int,
    listed: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "match": {
            "id": match.pk,
            "kind": match.kind,
            "status": match.status,
            "contact_due": match.contact_due.isoformat() if match.contact_due else None,
            "coordinator_signal": match.coordinator_id,
            "cross_municipality": match.cross_municipality,
        },
        "own_signals": [p.signal_id for p in participants if p.organisation_id == organisation_id],
        "participants": listed if listed is not None else _listed(participants),
    }


def _listed(participants: list[_Participant]) -> list[dict[str, Any]]:
    return [
        {
            "signal": p.signal_id,
            "active": p.active,
            "organisation": {"id": p.organisation_id, "name": p.organisation_name},
            "professional": p.professional,
            "phone": p.phone,
            "email": p.email,
        }
        for p in participants
    ]


class _Event(NamedTuple):
    """A feed event to store (plain values: a registration writes many)."""

    organisation_id: int
    match_id: int
    kind: str
    payload: dict[str, Any]


def _write(events: list[_Event]) -> None:
    """Store the events and the deliveries to the subscriptions of their organisations; send after commit."""
    if not events:
        return
    organisation_ids = sorted({e.organisation_id for e in events})
    client = WebhookSubscription._meta.get_field("api_client").related_model._meta.db_table  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.id, c.organisation_id FROM {WebhookSubscription._meta.db_table} w "  # noqa: S608
            f"JOIN {client} c ON c.id = w.api_client_id WHERE w.is_active = %s AND c.is_active = %s "
            f"AND c.organisation_id {any_of(organisation_ids)}",
            [True, True, *any_args(organisation_ids)],
        )
        subscriptions = cursor.fetchall()
    now = timezone.now()
    event_ids = insert_rows(
        FeedEvent,
        ("organisation_id", "match_id", "kind", "payload", "created_at"),
        [(e.organisation_id, e.match_id, e.kind, e.payload, now) for e in events],
        ids=bool(subscriptions),
    )
    if not subscriptions:
        return
    ids = insert_rows(
        WebhookDelivery,
        ("subscription_id", "event_id", "status", "attempts", "created_at"),
        [
            (sub_id, event_id, WebhookDelivery.Status.PENDING.value, 0, now)
            for event, event_id in zip(events, event_ids, strict=True)
            for sub_id, org_id in subscriptions
            if org_id == event.organisation_id
        ],
        ids=True,
    )
    transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(delivery_ids: list[int]) -> None:
    from keten.verwijsindex.tasks import send_webhooks

    try:
        send_webhooks.enqueue(delivery_ids)
    except Exception:  # the sweep (send_due_webhooks) picks them up
        logger.exception("could not queue %d webhook deliveries", len(delivery_ids))


def match_changes_record(changes: Sequence[tuple[Match, Sequence[int]]]) -> None:
    """After a registration: each (match, ids of the signals that just joined it).

    An organisation whose every signal in the match just joined hears of a new match; the others
    hear that a professional was added. Called inside the registering transaction.
    """
    if not changes:
        return
    participants = _participants(m.pk for m, _new in changes)
    events: list[_Event] = []
    created, added = FeedEvent.Kind.MATCH_CREATED.value, FeedEvent.Kind.PARTICIPANT_ADDED.value
    for match, newcomers in changes:
        rows = participants.get(match.pk, [])
        joined = set(newcomers)
        listed = _listed(rows)  # the same for every organisation of the match
        for org_id in sorted({p.organisation_id for p in rows if p.active}):
            own = {p.signal_id for p in rows if p.organisation_id == org_id}
            kind = created if own <= joined else added
            events.append(_Event(org_id, match.pk, kind, _payload(match, rows, org_id, listed)))
    _write(events)


def matches_ended_record(match_ids: Iterable[int]) -> None:
    """Matches that just ended: every organisation that took part hears it. Inside the ending transaction."""
    ids = list(match_ids)
    for start in range(0, len(ids), 1000):  # the nightly job may end many at once
        chunk = ids[start : start + 1000]
        participants = _participants(chunk)
        events: list[_Event] = []
        for match in Match.objects.filter(pk__in=chunk):
            rows = participants.get(match.pk, [])
            listed = _listed(rows)
            for org_id in sorted({p.organisation_id for p in rows}):
                events.append(
                    _Event(org_id, match.pk, FeedEvent.Kind.MATCH_ENDED.value, _payload(match, rows, org_id, listed))
                )
        _write(events)


def event_body(event: FeedEvent) -> dict[str, Any]:
    return {"id": event.pk, "type": event.kind, "occurred_at": event.created_at, **event.payload}


# --- the feed ----------------------------------------------------------------------------------


@dataclass
class FeedPage:
    events: list[FeedEvent]
    next_cursor: int
    has_more: bool


def feed_page(*, actor: Actor, after: int = 0, limit: int = 100) -> FeedPage:
    """Match events for the actor's organisation after the cursor (a system client), or of the matches
    the professional takes part in (a session). Audited when it returns events."""
    org_id = actor.organisation_id
    if org_id is None:
        raise NotFoundError
    limit = max(1, min(limit, FEED_MAX_LIMIT))
    qs = FeedEvent.objects.filter(
        organisation_id=org_id,
        pk__gt=max(0, after),
        created_at__lte=timezone.now() - timedelta(seconds=FEED_SETTLE_SECONDS),
    )
    if actor.api_client is None:
        if actor.user is None:
            raise NotFoundError
        mine = MatchParticipant.objects.filter(match_id=OuterRef("match_id"), signal__professional=actor.user)
        qs = qs.filter(Exists(mine))
    rows = list(qs.order_by("pk")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    if rows:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type="vi.feed",
            details={"after": after, "events": len(rows)},
        )
    return FeedPage(events=rows, next_cursor=rows[-1].pk if rows else max(0, after), has_more=has_more)


# --- subscriptions -----------------------------------------------------------------------------


def _check_url(url: str) -> str:
    """The URL as registered, if it is a complete https address whose every address is public."""
    url = url.strip()
    allow = bool(settings.KETEN_VI_WEBHOOK_ALLOW_HTTP)
    try:
        webhook_transport.parse(url, allow_http=allow)
    except webhook_transport.CredentialsInAddressError as exc:
        raise DomainError(_("Zet geen gebruikersnaam of wachtwoord in het adres."), field="url") from exc
    except webhook_transport.AddressRefusedError as exc:
        raise DomainError(_("Geef een volledig https-adres op."), field="url") from exc
    try:
        webhook_transport.resolve(url, allow_private=allow)
    except webhook_transport.AddressRefusedError as exc:
        # One answer for an unknown name and an internal one: registration is no DNS oracle.
        logger.info("webhook address refused at registration: %s", exc.detail)
        raise DomainError(
            _("Dit adres is niet van buitenaf bereikbaar; geef een openbaar https-adres op."), field="url"
        ) from exc
    return url


def subscription_create(*, actor: Actor, url: str, secret: str) -> WebhookSubscription:
    """A source system registers a URL that receives its organisation's match events."""
    client = actor.api_client
    if client is None:
        raise NotFoundError
    url = _check_url(url)
    if len(secret) < MIN_SECRET_LENGTH:
        raise DomainError(_("Kies een geheim van minstens %(n)d tekens.") % {"n": MIN_SECRET_LENGTH}, field="secret")
    if WebhookSubscription.objects.filter(api_client=client, is_active=True).count() >= MAX_SUBSCRIPTIONS:
        raise DomainError(_("Een koppeling heeft hoogstens %(n)d webhooks.") % {"n": MAX_SUBSCRIPTIONS}, field="url")
    try:
        with transaction.atomic():
            sub, _created = WebhookSubscription.objects.update_or_create(
                api_client=client, url=url, defaults={"secret": secret, "is_active": True}
            )
            audit.record(actor=actor, action=AuditAction.CREATE, object_type="vi.webhook", object_id=sub.pk)
    except IntegrityError as exc:
        raise DomainError(_("Deze webhook bestaat al."), field="url") from exc
    return sub


def subscriptions_list(*, actor: Actor) -> list[WebhookSubscription]:
    if actor.api_client is None:
        raise NotFoundError
    return list(WebhookSubscription.objects.filter(api_client=actor.api_client, is_active=True).order_by("pk"))


def subscription_delete(*, actor: Actor, subscription_id: int) -> None:
    """Stop a webhook; pending deliveries to it are given up, its delivery log stays."""
    if actor.api_client is None:
        raise NotFoundError
    with transaction.atomic():
        sub = (
            WebhookSubscription.objects.select_for_update()
            .filter(pk=subscription_id, api_client=actor.api_client, is_active=True)
            .first()
        )
        if sub is None:
            raise NotFoundError
        sub.is_active = False
        sub.save(update_fields=["is_active"])
        WebhookDelivery.objects.filter(subscription=sub, status=WebhookDelivery.Status.PENDING).update(
            status=WebhookDelivery.Status.FAILED, next_attempt_at=None
        )
        audit.record(actor=actor, action=AuditAction.DELETE, object_type="vi.webhook", object_id=sub.pk)


def deliveries_list(*, actor: Actor, subscription_id: int, limit: int = 100) -> list[WebhookDelivery]:
    """The delivery log of one of the client's webhooks, newest first."""
    if actor.api_client is None:
        raise NotFoundError
    sub = WebhookSubscription.objects.filter(pk=subscription_id, api_client=actor.api_client).first()
    if sub is None:
        raise NotFoundError
    return list(
        WebhookDelivery.objects.filter(subscription=sub)
        .select_related("event")
        .prefetch_related("log")
        .order_by("-pk")[: max(1, min(limit, 500))]
    )


# --- sending -----------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failed ones."""
    return timedelta(seconds=min(BACKOFF_FIRST_SECONDS * 2 ** max(0, attempts - 1), BACKOFF_MAX_SECONDS))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """Send one call (checked, pinned, no redirects); the status code, or ``DeliveryError``."""
    return webhook_transport.post(
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
        error = webhook_transport.failure_kind(exc)  # what the subscriber reads
        detail = webhook_transport.describe(exc)  # what only the server log says
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
    from keten.verwijsindex.tasks import send_webhooks

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


def feed_purge(*, now: datetime | None = None) -> int:
    """Forget events (and their deliveries) older than ``KETEN_VI_FEED_RETENTION_DAYS``."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KETEN_VI_FEED_RETENTION_DAYS)
    deleted = FeedEvent.objects.filter(created_at__lt=cutoff).delete()[1]
    return int(deleted.get("verwijsindex.FeedEvent", 0))
