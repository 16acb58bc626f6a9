"""Overleg types: a standing case conference of a municipality and the process steps by which cases are admitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OverlegKind(models.TextChoices):
    STRAF_ZORG = "straf_zorg", _("Afstemmingsoverleg straf–zorg")
    MDA_TRIAGE = "mda_triage", _("MDA++-triage")
    WIJK = "wijk", _("Wijk-casusoverleg")
    MDO = "mdo", _("Multidisciplinair overleg (MDO)")
    OVERIG = "overig", _("Ander overleg")


class OverlegType(models.Model):
    """A standing case conference of a municipality: who takes part, who chairs, when it meets."""

    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="overleg_types"
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort overleg"), max_length=20, choices=OverlegKind.choices)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie die het overleg voert"),
        on_delete=models.PROTECT,
        related_name="led_overleg_types",
    )
    members = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("deelnemende organisaties"), related_name="overleg_types"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorzitter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_overleg_types",
    )
    #: ISO weekdays the overleg meets on (1 = Monday … 7 = Sunday), e.g. [2, 4] for Tuesday and Thursday.
    weekdays = models.JSONField(_("weekdagen"), default=list, blank=True)
    start_time = models.TimeField(_("aanvangstijd"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duur in minuten"), default=90)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    online_link = models.URLField(_("link voor online deelname"), blank=True)
    convenant = models.ForeignKey(
        "sharing.Convenant",
        verbose_name=_("convenant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleg_types",
    )
    privacy_basis = models.TextField(
        _("grondslag voor het delen van gegevens"),
        blank=True,
        help_text=_("Op welke grondslag de deelnemers casusinformatie met elkaar delen."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("soort overleg")
        verbose_name_plural = _("soorten overleg")
        ordering = ["municipality__name", "name"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """One step of an overleg's flow (signalering … inzet hulp … monitoring) with its admission criteria."""

    overleg_type = models.ForeignKey(
        OverlegType, verbose_name=_("overleg"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"))
    name = models.CharField(_("naam"), max_length=120)
    criteria = models.TextField(_("toelatingscriteria"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("processtap")
        verbose_name_plural = _("processtappen")
        ordering = ["overleg_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["overleg_type", "order"], name="overleg_step_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
