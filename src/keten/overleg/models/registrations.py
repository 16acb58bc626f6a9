"""Case registrations: a family's case brought to an overleg, admitted or declined by its chair."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField
from simple_history.models import HistoricalRecords


class RegistrationStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    TOEGELATEN = "toegelaten", _("Toegelaten")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class CaseRegistration(models.Model):
    """A case (a family's dossier) brought to an overleg by a professional."""

    overleg_type = models.ForeignKey(
        "overleg.OverlegType", verbose_name=_("overleg"), on_delete=models.PROTECT, related_name="registrations"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="overleg_registrations"
    )
    match = models.ForeignKey(
        "verwijsindex.Match",
        verbose_name=_("match in de verwijsindex"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overleg_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemeld door"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reden van aanmelding"))
    goal = EncryptedTextField(_("doel"))
    process_step = models.ForeignKey(
        "overleg.ProcessStep",
        verbose_name=_("processtap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    #: Which admission criteria of the step apply to this case (free text; encrypted).
    criteria = EncryptedTextField(_("criteria die van toepassing zijn"), blank=True, null=True)
    invited_organisations = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("partners om uit te nodigen"), blank=True, related_name="+"
    )
    family_informed = models.BooleanField(_("gezin geïnformeerd"), default=True)
    family_not_informed_reason = EncryptedTextField(_("reden gezin niet geïnformeerd"), blank=True, null=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.AANGEMELD
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beoordeeld door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beoordeeld"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reden afwijzing"), blank=True, null=True)
    casusregisseur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("casusregisseur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleg_regie",
    )
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    close_reason = EncryptedTextField(_("reden afsluiting"), blank=True, null=True)
    follow_up = EncryptedTextField(_("nazorg: wie blijft in contact"), blank=True, null=True)
    follow_up_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("blijft in contact (organisatie)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("aangemeld"), auto_now_add=True)
    #: When the case was first discussed at a held meeting (for the municipality's lead-time figure).
    first_discussed_at = models.DateTimeField(_("eerst besproken"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-registered_at"]
        indexes = [
            models.Index(fields=["overleg_type", "status", "registered_at"], name="overleg_reg_type_status"),
            models.Index(fields=["registered_by", "status"], name="overleg_reg_by_status"),
            models.Index(fields=["dossier", "status"], name="overleg_reg_dossier_status"),
        ]

    def __str__(self) -> str:
        return f"A{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (RegistrationStatus.AANGEMELD, RegistrationStatus.TOEGELATEN)
