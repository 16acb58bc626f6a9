"""The index itself: young people (by keyed pseudonym), their parents' keys, and the signals on them.

The index tables hold no BSN (only a keyed HMAC), no risk category and no free text about the young
person. The risk category and the motivation of a postponed notice live in the registering
professional's own record (:class:`SignalRecord`), encrypted and visible to that professional only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField

from keten.core.crypto import new_pseudonym
from keten.core.fields import EncryptedJSONTextField

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
