"""Match delivery to source systems: the event outbox, the feed, and signed webhook calls.

Events are written by the registering (or ending) transaction itself, once per organisation in the
match, so they exist exactly when the match change committed. Webhook deliveries for the
organisation's subscriptions are written in the same transaction and sent by a background task after
the commit; a failed call is retried with exponential backoff up to ``KETEN_VI_WEBHOOK_MAX_ATTEMPTS``
and every attempt is logged (status code, duration, a generic error word — never the payload).

The address is a partner's choice and so untrusted: :mod:`keten.verwijsindex.webhooks.transport`
resolves it and sends only to public addresses, checked at registration and again before every
call, connecting to exactly the checked address; the subscriber reads only a status code or
"niet bereikbaar", "ongeldig antwoord", "time-out" (details go to the server log).

A payload holds ids, the match kind and status and the professionals' names, organisations and
contact details. It never holds the young person's name, date of birth, BSN or any risk category.

Signature: ``X-Keten-Signature: sha256=<hex>``, the HMAC-SHA256 with the subscription's secret of
``"<X-Keten-Timestamp>.<raw body>"``. Receivers should check it and reject old timestamps.
"""

from keten.verwijsindex.webhooks.feed import (
    FEED_MAX_LIMIT,
    FEED_SETTLE_SECONDS,
    FeedPage,
    event_body,
    feed_page,
    feed_purge,
)
from keten.verwijsindex.webhooks.outbox import match_changes_record, matches_ended_record
from keten.verwijsindex.webhooks.sending import backoff, deliver, deliver_due, send_webhooks, sign
from keten.verwijsindex.webhooks.subscriptions import (
    deliveries_list,
    subscription_create,
    subscription_delete,
    subscriptions_list,
)

__all__ = [
    "FEED_MAX_LIMIT",
    "FEED_SETTLE_SECONDS",
    "FeedPage",
    "backoff",
    "deliver",
    "deliver_due",
    "deliveries_list",
    "event_body",
    "feed_page",
    "feed_purge",
    "match_changes_record",
    "matches_ended_record",
    "send_webhooks",
    "sign",
    "subscription_create",
    "subscription_delete",
    "subscriptions_list",
]
