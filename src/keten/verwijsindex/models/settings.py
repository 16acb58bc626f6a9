"""The verwijsindex rules of a municipality and its designated regievoerders."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
