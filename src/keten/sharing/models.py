"""Informatie delen: convenants, consents, disclosures (verstrekkingen) and the access they grant.

A disclosure is appended, never changed: it records what was shared about whom, with whom, for
what purpose, on which legal basis, whether the client was informed, who decided and when, and
the deelhulp advice it followed or overrode. A disclosure to a professional inside Keten grants
them access to exactly the shared part of the dossier for a period (:class:`AccessGrant`).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField
from simple_history.models import HistoricalRecords

from keten.core.fields import EncryptedJSONTextField


class LegalBasis(models.TextChoices):
    """The legal bases a convenant flow or a disclosure can rest on."""

    TOESTEMMING = "toestemming", _("Toestemming (AVG art. 6 lid 1 sub a)")
    WETTELIJKE_PLICHT = "wettelijke_plicht", _("Wettelijke verplichting (AVG art. 6 lid 1 sub c)")
    VITAAL_BELANG = "vitaal_belang", _("Vitaal belang (AVG art. 6 lid 1 sub d)")
    PUBLIEKE_TAAK = "publieke_taak", _("Taak van algemeen belang (AVG art. 6 lid 1 sub e)")
    MELDRECHT_VEILIG_THUIS = "meldrecht_veilig_thuis", _("Meldrecht Veilig Thuis (Wmo 2015 art. 5.2.6)")
    MELDRECHT_VERWIJSINDEX = "meldrecht_verwijsindex", _("Meldrecht verwijsindex (Jeugdwet art. 7.1.4.1)")
    CONVENANT = "convenant", _("Convenant (met de grondslag van de gegevensstroom)")
    BEHANDELRELATIE = "behandelrelatie", _("Directe betrokkenheid bij de hulp (eigen organisatie)")
    CONFLICT_VAN_PLICHTEN = "conflict_van_plichten", _("Conflict van plichten")


class DataCategory(models.TextChoices):
    BETROKKENHEID = "betrokkenheid", _("Dat er betrokkenheid is")
    CONTACTGEGEVENS = "contactgegevens", _("Contactgegevens van de professional")
    PERSONALIA = "personalia", _("Personalia (naam, geboortedatum, adres)")
    SIGNALEN = "signalen", _("Signalen en zorgen")
    GEZINSSITUATIE = "gezinssituatie", _("Gezinssituatie")
    GEZONDHEID = "gezondheid", _("Gezondheid (bijzonder persoonsgegeven)")
    HULPVERLENING = "hulpverlening", _("Lopende hulp en afspraken")
    NOTITIES = "notities", _("Notities uit het dossier")
    MELDCODE = "meldcode", _("Meldcode-traject")
    STRAFRECHT = "strafrecht", _("Strafrechtelijke gegevens")


class Convenant(models.Model):
    """A samenwerkingsverband with the legal frame for sharing between its parties."""

    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="convenants"
    )
    title = models.CharField(_("titel"), max_length=200)
    parties = models.ManyToManyField("accounts.Organisation", verbose_name=_("partijen"), related_name="convenants")
    purposes = models.JSONField(_("doelen"), default=list)
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    document_url = models.URLField(_("document"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        verbose_name = _("convenant")
        verbose_name_plural = _("convenanten")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ConvenantFlow(models.Model):
    """One permitted data flow of a convenant: from which kind of partner to which, why, what, on what basis."""

    convenant = models.ForeignKey(Convenant, on_delete=models.CASCADE, related_name="flows")
    from_types = models.JSONField(_("van soort organisatie"), default=list)
    to_types = models.JSONField(_("naar soort organisatie"), default=list)
    purpose = models.CharField(_("doel"), max_length=300)
    categories = models.JSONField(_("gegevenscategorieën"), default=list)
    legal_basis = models.CharField(_("grondslag"), max_length=40, choices=LegalBasis.choices)
    legal_reference = models.CharField(_("wetsartikel"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("gegevensstroom")
        verbose_name_plural = _("gegevensstromen")

    def __str__(self) -> str:
        return f"{self.convenant}: {self.purpose}"


class GiverRole(models.TextChoices):
    OUDER_MET_GEZAG = "ouder_gezag", _("Ouder met gezag")
    JONGERE_12 = "jongere_12", _("Jongere van 12 tot 16 jaar (samen met de ouders)")
    JONGERE_16 = "jongere_16", _("Jongere van 16 jaar of ouder (zelfstandig)")
    VOLWASSENE = "volwassene", _("Volwassene over zichzelf")


class Consent(models.Model):
    """Consent by one person, for one purpose, to named recipients, until withdrawn or expired."""

    class Form(models.TextChoices):
        MONDELING = "mondeling", _("Mondeling")
        SCHRIFTELIJK = "schriftelijk", _("Schriftelijk")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="consents")
    giver = models.ForeignKey(
        "dossiers.Person", verbose_name=_("gegeven door"), on_delete=models.PROTECT, related_name="consents_given"
    )
    giver_role = models.CharField(_("als"), max_length=20, choices=GiverRole.choices)
    about = models.ForeignKey(
        "dossiers.Person", verbose_name=_("over"), on_delete=models.PROTECT, related_name="consents_about"
    )
    purpose = EncryptedTextField(_("doel"))
    recipients = models.ManyToManyField("accounts.Organisation", verbose_name=_("ontvangers"), related_name="+")
    form = models.CharField(_("vorm"), max_length=20, choices=Form.choices)
    document = models.FileField(_("ondertekend formulier"), upload_to="consents/%Y/", blank=True)
    given_on = models.DateField(_("gegeven op"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[recipients])

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.giver} → {self.about} ({self.given_on})"


class AppendOnlyError(RuntimeError):
    """Disclosures cannot be changed or deleted."""


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("disclosures are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("disclosures are append-only")


class Disclosure(models.Model):
    """A verstrekking: personal data shared, recorded in the spirit of the Logboek Dataverwerkingen."""

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="disclosures")
    about = models.ManyToManyField("dossiers.Person", verbose_name=_("over"), related_name="disclosures")
    categories = models.JSONField(_("gegevenscategorieën"), default=list)
    #: Which documents or fields exactly (encrypted: may name things about the family).
    items = EncryptedJSONTextField(_("welke gegevens"), default=list)
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("aan organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aan professional"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_name = models.CharField(_("naam ontvanger"), max_length=200, blank=True)
    purpose = EncryptedTextField(_("doel"))
    legal_basis = models.CharField(_("grondslag"), max_length=40, choices=LegalBasis.choices)
    convenant = models.ForeignKey(Convenant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures")
    no_consent_reason = EncryptedTextField(_("waarom zonder toestemming"), blank=True, null=True)
    client_informed = models.BooleanField(_("cliënt ingelicht"))
    client_informed_on = models.DateField(_("ingelicht op"), null=True, blank=True)
    not_informed_reason = EncryptedTextField(_("waarom niet ingelicht"), blank=True, null=True)
    advice = models.JSONField(_("advies deelhulp"), default=dict, blank=True)
    override_motivation = EncryptedTextField(_("motivering afwijken van advies"), blank=True, null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField(_("gedeeld op"))
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("verstrekking")
        verbose_name_plural = _("verstrekkingen")
        ordering = ["-shared_on", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "shared_on"], name="disclosure_dossier"),
            models.Index(fields=["decided_by_organisation", "shared_on"], name="disclosure_org"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("disclosures are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("disclosures are append-only")


class AccessGrant(models.Model):
    """Access for a professional inside Keten to the shared part of a dossier, for a period."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="grant")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants")
    categories = models.JSONField(default=list)
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="grant_user_expiry")]

    def __str__(self) -> str:
        return f"{self.user} → {self.dossier} ({self.expires_at:%Y-%m-%d})"


class RequesterRole(models.TextChoices):
    """Who asks for inzage or destruction, and in what capacity (Jeugdwet 7.3.10 / 7.3.9, AVG art. 15 / 17)."""

    OUDER_MET_GEZAG = "ouder_gezag", _("Ouder met gezag, over een kind jonger dan 16")
    JONGERE = "jongere", _("Jongere van 12 jaar of ouder, over zichzelf")
    VOLWASSENE = "volwassene", _("Volwassene, over zichzelf")


class InzageRequest(models.Model):
    """A request by a parent or young person to see (and get a copy of) what the dossier holds about someone."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="inzage_requests")
    requester = models.ForeignKey(
        "dossiers.Person", verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requester_role = models.CharField(_("als"), max_length=20, choices=RequesterRole.choices)
    about = models.ForeignKey("dossiers.Person", verbose_name=_("over"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("ontvangen op"))
    due_on = models.DateField(_("beantwoorden uiterlijk"))
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)
    answer_note = EncryptedTextField(_("toelichting bij het antwoord"), blank=True, null=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier} inzage {self.received_on}"


class DestructionRequest(models.Model):
    """A request to destroy what the dossier holds about someone: recorded, decided, and followed up.

    Keten does not delete dossier notes or meldcode entries itself (they are append-only and a note
    concerns the whole family); a granted request names the manual follow-up and when it was done.
    """

    class Decision(models.TextChoices):
        OPEN = "open", _("Nog niet beslist")
        GRANTED = "toegewezen", _("Toegewezen")
        REFUSED = "afgewezen", _("Afgewezen")

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="destruction_requests")
    requester = models.ForeignKey(
        "dossiers.Person", verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requester_role = models.CharField(_("als"), max_length=20, choices=RequesterRole.choices)
    about = models.ForeignKey("dossiers.Person", verbose_name=_("over"), on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("ontvangen op"))
    due_on = models.DateField(_("beslissen uiterlijk"))
    decision = models.CharField(_("beslissing"), max_length=20, choices=Decision.choices, default=Decision.OPEN)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField(_("motivering"), blank=True, null=True)
    follow_up = EncryptedTextField(_("wat er vernietigd wordt en door wie"), blank=True, null=True)
    carried_out_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        verbose_name = _("vernietigingsverzoek")
        verbose_name_plural = _("vernietigingsverzoeken")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier} vernietiging {self.received_on}"


class InzageExport(models.Model):
    """The overview PDF of an inzage request, built in the background for the professional who asked for it.

    The PDF is stored encrypted (Fernet, as base64 text) and only its requester can download it, until
    ``expires_at``; after that the daily job clears the content and a new one can be made.
    """

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("In de wachtrij")
        RUNNING = "bezig", _("Wordt gemaakt")
        READY = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    request = models.ForeignKey(InzageRequest, on_delete=models.PROTECT, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    started_at = models.DateTimeField(_("begonnen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    expires_at = models.DateTimeField(_("te downloaden tot"))
    pages = models.PositiveIntegerField(_("pagina's"), null=True, blank=True)
    size = models.PositiveIntegerField(_("grootte in bytes"), null=True, blank=True)
    #: The PDF, base64-encoded and then encrypted. Cleared when the export expires.
    content = EncryptedTextField(_("inhoud"), blank=True, null=True)

    class Meta:
        verbose_name = _("inzageoverzicht")
        verbose_name_plural = _("inzageoverzichten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request} overzicht {self.created_at:%Y-%m-%d %H:%M}"
