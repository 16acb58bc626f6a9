"""Families, persons, dossiers and case teams.

Names, BSN, date of birth, address and free-text notes are encrypted at rest per field. Look-ups on BSN and on
name + date of birth go through keyed blind indexes (see ``keten.core.crypto``). Every family and
person has a random pseudonym: the only client identifier that reaches logs, audit rows and URLs.

Every family belongs to one municipality (the one of the professional who registered it). A BSN is
unique within a municipality: what one municipality knows does not exist for another.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from simple_history.models import HistoricalRecords

from keten.core.crypto import new_pseudonym
from keten.core.models import AppendOnlyModel


def _family_pseudonym() -> str:
    return new_pseudonym("G")


def _person_pseudonym() -> str:
    return new_pseudonym("P")


class Family(models.Model):
    """A family or household (gezin/huishouden).

    Blank encrypted fields are stored as NULL (the encrypted field type stores no empty strings).
    """

    pseudonym = models.CharField(_("pseudoniem"), max_length=16, unique=True, default=_family_pseudonym, editable=False)
    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    name = EncryptedCharField(_("gezinsnaam"), max_length=200)
    address = EncryptedTextField(_("adres"), blank=True, null=True)
    wijk = models.ForeignKey(
        "accounts.Wijk", verbose_name=_("wijk"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_test = models.BooleanField(_("testgegevens"), default=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")

    def __str__(self) -> str:
        return self.pseudonym


class Relation(models.TextChoices):
    KIND = "kind", _("Kind")
    OUDER = "ouder", _("Ouder")
    VERZORGER = "verzorger", _("Verzorger")
    OVERIG = "overig", _("Overig gezinslid")


class Person(models.Model):
    """A child, parent or carer in a family."""

    family = models.ForeignKey(Family, verbose_name=_("gezin"), on_delete=models.PROTECT, related_name="persons")
    #: The family's municipality, kept beside the BSN index so that a BSN is unique per municipality.
    municipality = models.ForeignKey(
        "accounts.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    pseudonym = models.CharField(_("pseudoniem"), max_length=16, unique=True, default=_person_pseudonym, editable=False)
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    first_name = EncryptedCharField(_("voornaam"), max_length=120)
    last_name = EncryptedCharField(_("achternaam"), max_length=160)
    date_of_birth = EncryptedDateField(_("geboortedatum"), null=True, blank=True)
    bsn = EncryptedCharField(_("BSN"), max_length=9, blank=True, null=True)
    # NULL (not "") without a BSN: the unique constraint per municipality must not see empty strings as equal.
    bsn_index = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)  # noqa: DJ001
    name_birth_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("adres"), blank=True, null=True)
    is_test = models.BooleanField(_("testgegevens"), default=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords(excluded_fields=["bsn_index", "name_birth_index"])

    class Meta:
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "bsn_index"], name="person_bsn_once_per_municipality"),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Dossier(models.Model):
    """The dossier of one family, worked on by its case team."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Gesloten")

    family = models.OneToOneField(Family, verbose_name=_("gezin"), on_delete=models.PROTECT, related_name="dossier")
    reference = models.CharField(_("dossiernummer"), max_length=20, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    summary = EncryptedTextField(_("samenvatting"), blank=True, null=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regievoerder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_dossiers",
    )
    opened_at = models.DateTimeField(_("geopend"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [models.Index(fields=["status", "-updated_at"], name="dossier_status_updated")]

    def __str__(self) -> str:
        return self.reference


class CaseRole(models.TextChoices):
    REGIEVOERDER = "regievoerder", _("Regievoerder")
    HULPVERLENER = "hulpverlener", _("Hulpverlener")
    SIGNALEERDER = "signaleerder", _("Signaleerder")
    CONSULENT = "consulent", _("Consulent / adviseur")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")


class CaseTeamMember(models.Model):
    """A professional on a dossier's case team, in a role for this case."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.PROTECT,
        related_name="case_memberships",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    case_role = models.CharField(_("rol in de casus"), max_length=20, choices=CaseRole.choices)
    added_at = models.DateTimeField(_("toegevoegd"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(_("beëindigd"), null=True, blank=True)

    class Meta:
        verbose_name = _("lid casusteam")
        verbose_name_plural = _("casusteam")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "user"],
                condition=models.Q(ended_at__isnull=True),
                name="caseteam_one_active_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_at", "dossier"], name="caseteam_user_active")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_case_role_display()})"


class DossierNote(models.Model):
    """A free-text note in a dossier. Notes are appended, never edited."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("notitie"))
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.created_at:%Y-%m-%d}"


class BreakGlassAccess(models.Model):
    """Temporary access to a dossier outside the case team, granted with a mandatory reason.

    The reason is encrypted and shown only in the review queue; the audit event names the grant.
    """

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("medewerker"), on_delete=models.PROTECT, related_name="+"
    )
    #: The organisation the professional acted for (its aandachtsfunctionarissen may review the grant).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = EncryptedTextField(_("reden"))
    granted_at = models.DateTimeField(_("verleend"))
    expires_at = models.DateTimeField(_("verloopt"))

    class Meta:
        verbose_name = _("noodtoegang")
        verbose_name_plural = _("noodtoegangen")
        indexes = [
            models.Index(fields=["user", "dossier", "expires_at"], name="breakglass_user_dossier"),
            models.Index(fields=["-granted_at"], name="breakglass_granted"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.dossier}"


class BreakGlassReview(AppendOnlyModel):
    """An aandachtsfunctionaris' or privacy officer's judgement of one break-the-glass grant.

    Append-only: a later judgement is a new row; the newest one counts.
    """

    grant = models.ForeignKey(
        BreakGlassAccess, verbose_name=_("noodtoegang"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beoordelaar"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("rol"), max_length=30)
    justified = models.BooleanField(_("terecht"))
    note = EncryptedTextField(_("toelichting"))
    created_at = models.DateTimeField(_("beoordeeld"), auto_now_add=True)

    class Meta:
        verbose_name = _("beoordeling van noodtoegang")
        verbose_name_plural = _("beoordelingen van noodtoegang")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.grant_id}: {'terecht' if self.justified else 'onterecht'}"


class AccessRequest(models.Model):
    """A professional asks a dossier's regievoerder to join its case team.

    Made from a duplicate message ("this person is already known"); the requester never learns the
    dossier's reference, family or members before the request is accepted.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Toegekend")
        DECLINED = "declined", _("Afgewezen")

    #: Allowed transitions: a request is decided once.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.ACCEPTED, Status.DECLINED}),
        Status.ACCEPTED: frozenset(),
        Status.DECLINED: frozenset(),
    }

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aanvrager"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    motivation = EncryptedTextField(_("motivering"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslist door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toegangsverzoek")
        verbose_name_plural = _("toegangsverzoeken")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "requester"],
                condition=models.Q(status="open"),
                name="accessrequest_one_open_per_requester",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "status"], name="accessrequest_dossier_status")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.dossier} ({self.status})"
