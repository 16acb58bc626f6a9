"""Matches: two or more active signals on one young person or on children of one parent, and what
happened after them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keten.verwijsindex.models.index import ParentKey, Signal, Youth


class MatchKind(models.TextChoices):
    CLIENT = "client", _("Cliëntmatch")
    FAMILY = "gezin", _("Gezinsmatch")


class MatchStatus(models.TextChoices):
    OPEN = "open", _("Nog geen contact")
    CONTACT = "contact", _("Contact gelegd")
    AFGESTEMD = "afgestemd", _("Afgestemd")
    BEEINDIGD = "beeindigd", _("Beëindigd")


#: Matches that still bring professionals together.
LIVE_STATUSES = (MatchStatus.OPEN, MatchStatus.CONTACT, MatchStatus.AFGESTEMD)


class Match(models.Model):
    """Two or more active signals on one young person (client) or on children of one parent (family)."""

    kind = models.CharField(_("soort"), max_length=10, choices=MatchKind.choices)
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, null=True, blank=True, related_name="matches")
    parent = models.ForeignKey(ParentKey, on_delete=models.CASCADE, null=True, blank=True, related_name="matches")
    status = models.CharField(_("status"), max_length=12, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    coordinator = models.ForeignKey(
        Signal, verbose_name=_("coördinator"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coordinator_accepted = models.BooleanField(_("coördinator bevestigd"), default=False)
    created_at = models.DateTimeField(_("ontstaan"), auto_now_add=True)
    contact_due = models.DateField(_("contact uiterlijk"))
    contact_at = models.DateTimeField(_("contact gelegd"), null=True, blank=True)
    coordinated_at = models.DateTimeField(_("afgestemd"), null=True, blank=True)
    regievoerder_alerted_at = models.DateTimeField(null=True, blank=True)
    cross_municipality = models.BooleanField(_("over gemeentegrenzen"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=models.Q(kind="client") & ~models.Q(status="beeindigd"),
                name="vi_one_live_client_match",
            ),
            models.UniqueConstraint(
                fields=["parent"],
                condition=models.Q(kind="gezin") & ~models.Q(status="beeindigd"),
                name="vi_one_live_family_match",
            ),
        ]
        indexes = [models.Index(fields=["status", "contact_due"], name="vi_match_status_due")]

    def __str__(self) -> str:
        return f"Match {self.pk}"


class MatchParticipant(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="participants")
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="participations")
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["match", "signal"], name="vi_participant_unique")]
        indexes = [models.Index(fields=["municipality", "match"], name="vi_participant_muni")]

    def __str__(self) -> str:
        return f"{self.match} – {self.signal}"


class MatchEvent(models.Model):
    """What happened after a match (append-only): contact, coordination, coordinator, invitation."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Contact gelegd")
        AFGESTEMD = "afgestemd", _("Hulp afgestemd")
        COORDINATOR = "coordinator", _("Coördinator gekozen")
        UITNODIGING = "uitnodiging", _("Uitgenodigd voor casusoverleg")
        GESLOTEN = "gesloten", _("Match beëindigd")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match} {self.kind}"
