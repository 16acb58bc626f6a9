"""Calendar subscriptions: a secret link (only its hash stored) for an agenda app that cannot sign in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keten.core.crypto import hash_token


class CalendarFeed(models.Model):
    """A personal calendar subscription: a secret link that shows the user's meetings in an agenda app.

    Only the SHA-256 hash of the token is stored; the link itself is shown once, when it is made.
    A user has at most one active feed; making a new one revokes the old one. The feed holds the
    same calendar data as the iCal export: overleg name, time and place, never client data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="overleg_calendar_feed_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    #: The same one-way hash as the API clients' tokens.
    hash_token = staticmethod(hash_token)
