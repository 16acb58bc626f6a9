"""Agreements made at a meeting (who does what by when) and the append-only history of their changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from keten.core.fields import EncryptedJSONTextField
from keten.overleg.models.base import AppendOnlyModel


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Uitgevoerd")
    CANCELLED = "cancelled", _("Vervallen")


class Agreement(models.Model):
    """Who (a person or an organisation) does what by when, for one case.

    The row holds the current state; every change (with who and when) is an AgreementVersion row,
    and ``version`` detects two attendees editing at once.
    """

    registration = models.ForeignKey(
        "overleg.CaseRegistration", verbose_name=_("aanmelding"), on_delete=models.PROTECT, related_name="agreements"
    )
    agenda_item = models.ForeignKey(
        "overleg.AgendaItem",
        verbose_name=_("gemaakt bij"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar (persoon)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleg_agreements",
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("eigenaar (organisatie)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleg_agreements",
    )
    what = EncryptedTextField(_("afspraak"))
    due_on = models.DateField(_("uiterlijk"))
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    result = EncryptedTextField(_("resultaat"), blank=True, null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    closed_at = models.DateTimeField(_("afgerond"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("versie"), default=1)

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_organisation__isnull=False),
                name="overleg_agreement_has_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["registration", "status"], name="overleg_agr_reg_status"),
            models.Index(fields=["owner_user", "status", "due_on"], name="overleg_agr_user_due"),
            models.Index(fields=["owner_organisation", "status", "due_on"], name="overleg_agr_org_due"),
            models.Index(fields=["status", "due_on"], name="overleg_agr_status_due"),
        ]

    def __str__(self) -> str:
        return f"Afspraak {self.pk}"


class AgreementVersion(AppendOnlyModel):
    """One change of an agreement: who, when, what changed (the values after the change, encrypted)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Vastgelegd")
        UPDATED = "updated", _("Gewijzigd")
        DONE = "done", _("Uitgevoerd")
        CANCELLED = "cancelled", _("Vervallen")
        REOPENED = "reopened", _("Heropend")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("versie"))
    kind = models.CharField(_("soort wijziging"), max_length=12, choices=Kind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gewijzigd door"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("gewijzigd"), auto_now_add=True)
    #: Names of the fields that changed (no content: safe to show in lists).
    fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    #: The agreement's values after the change (owner ids, what, due date, status, result); encrypted.
    values = EncryptedJSONTextField(_("waarden"), default=dict)

    class Meta:
        verbose_name = _("versie van een afspraak")
        verbose_name_plural = _("versies van afspraken")
        ordering = ["agreement", "version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="overleg_agreement_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.version}"
