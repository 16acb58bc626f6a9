"""Discussion records of a case at a meeting (append-only: a correction is a new entry)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from keten.overleg.models.base import AppendOnlyModel


class DiscussionEntry(AppendOnlyModel):
    """The record of one case's discussion at a meeting (optionally by the viervenstermodel).

    Appended, never edited: a correction is a new entry that points at the one it corrects.
    """

    agenda_item = models.ForeignKey(
        "overleg.AgendaItem", verbose_name=_("agendapunt"), on_delete=models.PROTECT, related_name="discussion"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    summary = EncryptedTextField(_("samenvatting"), blank=True, null=True)
    mensen = EncryptedTextField(_("wie zijn de mensen"), blank=True, null=True)
    feiten = EncryptedTextField(_("wat zijn de feiten"), blank=True, null=True)
    weging = EncryptedTextField(_("hoe wegen we"), blank=True, null=True)
    volgende_stappen = EncryptedTextField(_("wat zijn de volgende stappen"), blank=True, null=True)
    decisions = EncryptedTextField(_("besluiten"), blank=True, null=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrigeert"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["agenda_item", "created_at"], name="overleg_discussion_item")]

    def __str__(self) -> str:
        return f"{self.agenda_item} verslag"
