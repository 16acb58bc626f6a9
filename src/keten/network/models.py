"""The sociale kaart: organisation entries, postcode ranges of wijken, agreements, contact requests.

None of these records holds client data: they describe organisations, professionals and the
agreements between them. A contact request carries a short message that must not identify a client.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationEntry(models.Model):
    """What the sociale kaart shows about one organisation."""

    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.CASCADE, related_name="entry"
    )
    description = models.TextField(_("beschrijving"), blank=True)
    visiting_address = models.CharField(_("bezoekadres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    secure_email = models.EmailField(
        _("beveiligde e-mail"), blank=True, help_text=_("Bijvoorbeeld een Zorgmail- of ZIVVER-adres.")
    )
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.TextField(_("bereikbaarheid"), blank=True)
    opening_hours_weekly = models.JSONField(_("openingstijden per dag"), default=dict, blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(
        _("leeftijd vanaf"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("leeftijd tot en met"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    is_public = models.BooleanField(_("openbaar op de routekaart"), default=False)
    last_confirmed_at = models.DateTimeField(_("laatst bevestigd"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redacteuren"),
        blank=True,
        related_name="edited_entries",
        help_text=_("Medewerkers van de organisatie die deze gegevens mogen bijwerken en bevestigen."),
    )
    last_reminder_sent_at = models.DateTimeField(_("laatste herinnering verstuurd"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(excluded_fields=["search_text", "last_reminder_sent_at"], m2m_fields=[editors])

    class Meta:
        verbose_name = _("vermelding op de sociale kaart")
        verbose_name_plural = _("vermeldingen op de sociale kaart")

    def __str__(self) -> str:
        return str(self.organisation)


class PostcodeRange(models.Model):
    """A range of 4-digit postcode numbers that belongs to a wijk."""

    wijk = models.ForeignKey(
        "accounts.Wijk", verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="postcode_ranges"
    )
    start = models.PositiveSmallIntegerField(
        _("van postcode"), validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    end = models.PositiveSmallIntegerField(
        _("tot en met postcode"), validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )

    class Meta:
        verbose_name = _("postcodegebied")
        verbose_name_plural = _("postcodegebieden")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="postcoderange_start_lte_end"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} ({self.wijk})"


class AgreementType(models.TextChoices):
    BEREIKBAARHEID = "bereikbaarheid", _("Bereikbaarheid")
    VERWIJZEN = "verwijzen", _("Verwijzen en toeleiden")
    TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling van informatie")
    CASUISTIEKOVERLEG = "casuistiekoverleg", _("Casuïstiekoverleg")
    FOLLOW_UP = "follow_up", _("Follow-up na afsluiting")
    INFORMATIE_UITWISSELING = "informatie_uitwisseling", _("Informatie-uitwisseling / convenant")
    ESCALATIE = "escalatie", _("Escalatie")


class Agreement(models.Model):
    """A samenwerkingsafspraak between at least two organisations."""

    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="agreements"
    )
    type = models.CharField(_("soort afspraak"), max_length=30, choices=AgreementType.choices)
    title = models.CharField(_("titel"), max_length=200)
    parties = models.ManyToManyField("accounts.Organisation", verbose_name=_("partijen"), related_name="agreements")
    teams = models.ManyToManyField("accounts.Team", verbose_name=_("teams"), blank=True, related_name="agreements")
    contact_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("contactpersonen"), blank=True, related_name="+"
    )
    promise = models.TextField(_("afspraak"), help_text=_("Wat de partijen elkaar concreet beloven."))
    wijken = models.ManyToManyField(
        "accounts.Wijk",
        verbose_name=_("wijken"),
        blank=True,
        related_name="agreements",
        help_text=_("Leeg: de afspraak geldt voor de hele gemeente."),
    )
    start_date = models.DateField(_("ingangsdatum"))
    review_date = models.DateField(_("evaluatiedatum"), null=True, blank=True)
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    bestuurlijk_vastgesteld = models.BooleanField(_("bestuurlijk vastgesteld"), default=False)
    source_url = models.URLField(_("brondocument"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(m2m_fields=[parties, wijken])

    class Meta:
        verbose_name = _("samenwerkingsafspraak")
        verbose_name_plural = _("samenwerkingsafspraken")
        ordering = ["type", "title"]

    def __str__(self) -> str:
        return self.title


class ContactRequest(models.Model):
    """A consultation or referral request sent from the sociale kaart (without client data)."""

    class Kind(models.TextChoices):
        CONSULTATIE = "consultatie", _("Consultatie")
        VERWIJZING = "verwijzing", _("Verwijzing")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        BEANTWOORD = "beantwoord", _("Beantwoord")
        GESLOTEN = "gesloten", _("Gesloten")

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("van"), on_delete=models.PROTECT, related_name="+"
    )
    from_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("van organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("aan organisatie"),
        on_delete=models.PROTECT,
        related_name="contact_requests",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aan professional"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("soort vraag"), max_length=20, choices=Kind.choices)
    message = models.TextField(
        _("korte vraag"),
        max_length=1000,
        help_text=_("Zet hier geen gegevens van cliënten: geen namen, geboortedata, adressen of BSN."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("consultatie- of verwijsvraag")
        verbose_name_plural = _("consultatie- en verwijsvragen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_organisation}"


class KaartVersion(models.Model):
    """A counter per municipality, raised by every change to its sociale kaart (see ``kaart_cache``)."""

    #: The municipality's id, without a foreign key: a version raised while the municipality itself is
    #: being deleted must not block that delete.
    municipality_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("versie van de sociale kaart")

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.version}"
