"""The verwijsindex: *that* a professional is involved with a young person, and the matches it makes.

The index tables (:class:`Youth`, :class:`ParentKey`, :class:`ParentLink`, :class:`Signal`,
:class:`Match`, :class:`MatchParticipant`) hold no BSN (only a keyed HMAC), no risk category and no
free text about the young person. The risk category and the motivation of a postponed notice live
in the registering professional's own record (:class:`SignalRecord`), encrypted and visible to that
professional only. Names and date of birth of the young person are kept encrypted for display to
the professionals of a match, who each already know their own client.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField

from keten.core.crypto import new_pseudonym
from keten.core.fields import EncryptedJSONTextField


class IndexSettings(models.Model):
    """The verwijsindex rules of one municipality."""

    municipality = models.OneToOneField(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="vi_settings"
    )
    active_months = models.PositiveSmallIntegerField(
        _("looptijd signaal (maanden)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("Wettelijk maximum 24 maanden; een gemeente kan korter kiezen, bijvoorbeeld 12."),
    )
    criteria_text = models.TextField(_("uniforme registratiecriteria"), blank=True)
    #: [{"code": "a", "label": "..."}] — the checklist a professional confirms one of.
    criteria_items = models.JSONField(_("criteria"), default=list, blank=True)
    registering_types = models.JSONField(_("organisatiesoorten die mogen registreren"), default=list, blank=True)
    #: Organisation types in the order they are proposed as coordinator.
    coordinator_preference = models.JSONField(_("voorkeur coördinator"), default=list, blank=True)
    #: Organisation types that are never proposed as coordinator (e.g. school, police).
    coordinator_excluded = models.JSONField(_("nooit coördinator"), default=list, blank=True)
    contact_deadline_workdays = models.PositiveSmallIntegerField(
        _("termijn voor contact na een match (werkdagen)"), default=10, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("instellingen verwijsindex")
        verbose_name_plural = _("instellingen verwijsindex")

    def __str__(self) -> str:
        return str(self.municipality)


class Regievoerder(models.Model):
    """A professional designated as the municipality's verwijsindex regievoerder."""

    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="vi_regievoerders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("aangewezen"), auto_now_add=True)

    class Meta:
        verbose_name = _("regievoerder verwijsindex")
        verbose_name_plural = _("regievoerders verwijsindex")
        constraints = [models.UniqueConstraint(fields=["municipality", "user"], name="vi_regievoerder_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"


#: Length of a young person's pseudonym after "J-": the index holds millions of them.
YOUTH_PSEUDONYM_LENGTH = 12


def youth_pseudonym() -> str:
    return new_pseudonym("J", YOUTH_PSEUDONYM_LENGTH)


class Youth(models.Model):
    """A young person in the index, known by a keyed pseudonym of the BSN (or of name + date of birth).

    ``pseudonym`` (``J-…``, random) is the only identifier of the young person in audit rows.
    ``name_birth_key`` is the same blind index as ``dossiers.Person.name_birth_index``: audit rows of a
    read also name the Keten families with a person of that name and date of birth.
    """

    pseudonym = models.CharField(_("pseudoniem"), max_length=16, unique=True, default=youth_pseudonym, editable=False)
    bsn_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    name_birth_key = models.CharField(max_length=64, db_index=True, editable=False)
    display_name = EncryptedCharField(_("naam"), max_length=300)
    date_of_birth = EncryptedDateField(_("geboortedatum"))
    #: The day the young person turns 23: everything about them is destroyed then.
    destroy_on = models.DateField(_("vernietigen op"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jongere")
        verbose_name_plural = _("jongeren")

    def __str__(self) -> str:
        return self.pseudonym


class ParentKey(models.Model):
    """A parent, known only by a keyed pseudonym of their BSN (for family matches)."""

    key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("ouder")
        verbose_name_plural = _("ouders")

    def __str__(self) -> str:
        return f"P{self.pk}"


class ParentLink(models.Model):
    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(ParentKey, on_delete=models.CASCADE, related_name="children")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["youth", "parent"], name="vi_parentlink_unique")]

    def __str__(self) -> str:
        return f"{self.youth} – {self.parent}"


class SignalStatus(models.TextChoices):
    ACTIEF = "actief", _("Actief")
    GEARCHIVEERD = "gearchiveerd", _("Gearchiveerd")


class EndReason(models.TextChoices):
    INGETROKKEN = "ingetrokken", _("Ingetrokken door de professional")
    VERLOPEN = "verlopen", _("Looptijd verstreken")
    LEEFTIJD = "leeftijd", _("Jongere is 23 geworden")
    OVERLEDEN = "overleden", _("Jongere is overleden")


class Signal(models.Model):
    """That a professional of an organisation is involved with a young person — nothing more."""

    youth = models.ForeignKey(Youth, on_delete=models.CASCADE, related_name="signals")
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vi_signals")
    #: The wijk the registering professional works in (for aggregate figures only).
    wijk = models.ForeignKey("accounts.Wijk", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact_phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    registered_on = models.DateField(_("geregistreerd op"))
    active_until = models.DateField(_("actief tot en met"))
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.ACTIEF)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde"), max_length=20, choices=EndReason.choices, blank=True)
    archive_until = models.DateField(_("in archief tot"), null=True, blank=True)
    api_client = models.ForeignKey(
        "accounts.ApiClient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "professional"],
                condition=models.Q(status="actief"),
                name="vi_signal_one_active_per_professional",
            ),
            models.UniqueConstraint(
                fields=["api_client", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="vi_signal_idempotency",
            ),
        ]
        indexes = [
            models.Index(fields=["youth", "status"], name="vi_signal_youth_status"),
            models.Index(fields=["status", "active_until"], name="vi_signal_status_until"),
            models.Index(fields=["status", "archive_until"], name="vi_signal_status_archive"),
            models.Index(fields=["professional", "status"], name="vi_signal_prof_status"),
        ]

    def __str__(self) -> str:
        return f"S{self.pk}"


class SignalRecord(models.Model):
    """The registering professional's own record of a signal: why, and whether the family was informed.

    Not part of the index: it never takes part in matching and only its professional sees it.
    """

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="record")
    risk_categories = EncryptedJSONTextField(_("risico's"), default=list)
    criteria_confirmed = models.BooleanField(_("criterium bevestigd"), default=False)
    parents_informed_on = models.DateField(_("ouders geïnformeerd op"), null=True, blank=True)
    youth_informed_on = models.DateField(_("jongere geïnformeerd op"), null=True, blank=True)
    notice_postponed = models.BooleanField(_("informeren uitgesteld"), default=False)
    postpone_motivation = EncryptedTextField(_("motivering uitstel"), blank=True, null=True)
    remind_on = models.DateField(_("herinneren op"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"record {self.signal_id}"


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


from keten.verwijsindex.delivery_models import FeedEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription  # noqa: E402, F401
