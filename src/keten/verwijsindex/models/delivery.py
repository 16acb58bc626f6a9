"""How source systems hear about matches: a per-organisation event feed and webhook deliveries.

A :class:`FeedEvent` is written in the same transaction as the match change it describes, once for
every organisation taking part in the match. Its payload holds ids, the match kind and status and the
professionals' names, organisations and contact details — never anything that identifies the young
person. Events go with their match: when a match is destroyed (the young person turned 23, died, or
the archive period ended) its events and deliveries are destroyed with it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField


class FeedEvent(models.Model):
    """One match event for one organisation (the outbox of the feed and the webhooks)."""

    class Kind(models.TextChoices):
        MATCH_CREATED = "match.created", _("Nieuwe match")
        PARTICIPANT_ADDED = "match.participant_added", _("Professional toegevoegd aan match")
        MATCH_ENDED = "match.ended", _("Match beëindigd")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey("verwijsindex.Match", on_delete=models.CASCADE, related_name="feed_events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("matchgebeurtenis")
        verbose_name_plural = _("matchgebeurtenissen")
        indexes = [models.Index(fields=["organisation", "id"], name="vi_feed_org_id")]

    def __str__(self) -> str:
        return f"{self.kind} {self.match_id} → {self.organisation_id}"


class WebhookSubscription(models.Model):
    """A source system's URL that receives the match events of its organisation, signed with a secret."""

    api_client = models.ForeignKey("accounts.ApiClient", on_delete=models.CASCADE, related_name="vi_webhooks")
    url = models.URLField(_("adres"), max_length=500)
    secret = EncryptedCharField(_("geheim"), max_length=200)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [models.UniqueConstraint(fields=["api_client", "url"], name="vi_webhook_unique_url")]

    def __str__(self) -> str:
        return f"webhook {self.pk} ({self.api_client_id})"


class WebhookDelivery(models.Model):
    """One event to deliver to one subscription, with its retry state."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op aflevering")
        DELIVERED = "delivered", _("Afgeleverd")
        FAILED = "failed", _("Mislukt")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(FeedEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhookaflevering")
        verbose_name_plural = _("webhookafleveringen")
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="vi_webhook_delivery_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="vi_webhook_due")]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: one row per HTTP attempt (status code, duration, generic error; no payload).

    The subscriber reads the status code of an answer, or one of three generic words: never an
    exception text, an address, a port or (for a call without an answer) a duration, which would
    let a partner map a network through Keten. The details go to the server log only.
    """

    class Error(models.TextChoices):
        UNREACHABLE = "niet bereikbaar", _("Niet bereikbaar")
        INVALID_RESPONSE = "ongeldig antwoord", _("Ongeldig antwoord")
        TIMEOUT = "time-out", _("Time-out")

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True, choices=Error.choices)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"attempt {self.pk} ({self.status_code or self.error})"

    @property
    def reported_duration_ms(self) -> int | None:
        """The duration as the subscriber reads it: only for a call that got an HTTP answer."""
        return self.duration_ms if self.status_code is not None else None
