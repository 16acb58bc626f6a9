"""A source system's webhooks: register an address (checked to be public), list, stop, read the log."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.verwijsindex.models import WebhookDelivery, WebhookSubscription
from keten.verwijsindex.webhooks import transport

logger = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 24
MAX_SUBSCRIPTIONS = 5


def _check_url(url: str) -> str:
    """The URL as registered, if it is a complete https address whose every address is public."""
    url = url.strip()
    allow = bool(settings.KETEN_VI_WEBHOOK_ALLOW_HTTP)
    try:
        transport.parse(url, allow_http=allow)
    except transport.CredentialsInAddressError as exc:
        raise DomainError(_("Zet geen gebruikersnaam of wachtwoord in het adres."), field="url") from exc
    except transport.AddressRefusedError as exc:
        raise DomainError(_("Geef een volledig https-adres op."), field="url") from exc
    try:
        transport.resolve(url, allow_private=allow)
    except transport.AddressRefusedError as exc:
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
