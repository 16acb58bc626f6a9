"""Overleg en afspraken: case conferences, their agendas, discussion records and agreements.

An :class:`OverlegType` is a standing conference of a municipality (an afstemmingsoverleg
straf–zorg, an MDA++ triage, a wijk-casusoverleg, an MDO) with member organisations, a chair, a
recurrence and the process steps by which cases are admitted. A professional registers a case
(:class:`CaseRegistration`) from a dossier; the chair's triage admits it onto a :class:`Meeting`'s
agenda or declines it. At a meeting each case gets a discussion record and :class:`Agreement` s —
who does what by when.

History is appended, never edited: agenda changes are :class:`AgendaEvent` rows, discussion
records are :class:`DiscussionEntry` rows (a correction is a new entry), and every change of an
agreement is an :class:`AgreementVersion` row. Case content (reason, goal, notes, what was agreed)
is encrypted at rest; the plain columns (dates, statuses, steps) hold no client data and feed the
municipality's aggregate figures.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField
from simple_history.models import HistoricalRecords

from keten.core.crypto import hash_token
from keten.core.fields import EncryptedJSONTextField


class AppendOnlyError(RuntimeError):
    """Overleg history rows cannot be changed or deleted; record a new row instead."""


class _AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("overleg history rows are append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("overleg history rows are append-only")


class _AppendOnlyModel(models.Model):
    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("overleg history rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("overleg history rows are append-only")


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


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Afgelast")


class Meeting(models.Model):
    """One session of an overleg. Its calendar data (time, place, link) never holds client data."""

    overleg_type = models.ForeignKey(
        OverlegType, verbose_name=_("overleg"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("begint"))
    ends_at = models.DateTimeField(_("eindigt"))
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    online_link = models.URLField(_("link voor online deelname"), blank=True)
    cancel_reason = models.CharField(_("reden afgelasting"), max_length=300, blank=True)
    #: True when made by the recurrence job (such meetings are not made again once cancelled).
    generated = models.BooleanField(default=False, editable=False)
    held_at = models.DateTimeField(_("afgerond"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["overleg_type", "starts_at"], name="overleg_meeting_unique_start"),
        ]
        indexes = [
            models.Index(fields=["overleg_type", "status", "starts_at"], name="overleg_meeting_type_status"),
            models.Index(fields=["status", "starts_at"], name="overleg_meeting_status_start"),
        ]

    def __str__(self) -> str:
        return f"{self.overleg_type} {self.starts_at:%Y-%m-%d %H:%M}"


class RegistrationStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    TOEGELATEN = "toegelaten", _("Toegelaten")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class CaseRegistration(models.Model):
    """A case (a family's dossier) brought to an overleg by a professional."""

    overleg_type = models.ForeignKey(
        OverlegType, verbose_name=_("overleg"), on_delete=models.PROTECT, related_name="registrations"
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
        ProcessStep,
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


class AgendaState(models.TextChoices):
    ON_AGENDA = "on_agenda", _("Geagendeerd")
    REMOVED = "removed", _("Van de agenda gehaald")


class AgendaSource(models.TextChoices):
    TRIAGE = "triage", _("Toegelaten door de voorzitter")
    FOLLOW_UP = "follow_up", _("Open afspraken komen terug")
    MANUAL = "manual", _("Geagendeerd door de voorzitter")


class AgendaItem(models.Model):
    """A case on a meeting's agenda. Its state changes only through the service, each change an AgendaEvent."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("bijeenkomst"), on_delete=models.PROTECT, related_name="items")
    registration = models.ForeignKey(
        CaseRegistration, verbose_name=_("aanmelding"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    source = models.CharField(_("waarom geagendeerd"), max_length=12, choices=AgendaSource.choices)
    state = models.CharField(_("status"), max_length=12, choices=AgendaState.choices, default=AgendaState.ON_AGENDA)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geagendeerd door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("geagendeerd"), auto_now_add=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"],
                condition=models.Q(state="on_agenda"),
                name="overleg_agenda_one_live_item",
            ),
        ]
        indexes = [
            models.Index(fields=["registration", "state"], name="overleg_agenda_reg_state"),
            models.Index(fields=["meeting", "state", "order"], name="overleg_agenda_meeting_state"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.registration}"


class AgendaEvent(_AppendOnlyModel):
    """What happened to an agenda item: added, removed (with reason), moved. Never changed."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Geagendeerd")
        REMOVED = "removed", _("Van de agenda gehaald")
        MOVED = "moved", _("Volgorde gewijzigd")

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("agendawijziging")
        verbose_name_plural = _("agendawijzigingen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.kind}"


class Attendance(models.Model):
    """Someone on a meeting's attendance list, for an organisation; presence recorded at the meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("bijeenkomst"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deelnemer"),
        on_delete=models.PROTECT,
        related_name="overleg_attendances",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    #: None until recorded at the meeting; False: absent (loses sight of the meeting's cases).
    present = models.BooleanField(_("aanwezig"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="overleg_attendance_unique")]
        indexes = [models.Index(fields=["user", "meeting"], name="overleg_attendance_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class DiscussionEntry(_AppendOnlyModel):
    """The record of one case's discussion at a meeting (optionally by the viervenstermodel).

    Appended, never edited: a correction is a new entry that points at the one it corrects.
    """

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agendapunt"), on_delete=models.PROTECT, related_name="discussion"
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
        CaseRegistration, verbose_name=_("aanmelding"), on_delete=models.PROTECT, related_name="agreements"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
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


class AgreementVersion(_AppendOnlyModel):
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


class CalendarFeed(models.Model):
    """A personal calendar subscription: a secret link that shows the user's meetings in an agenda app.

    Only the SHA-256 hash of the token is stored; the link itself is shown once, when it is made.
    A user has at most one active feed; making a new one revokes the old one. The feed holds the
    same calendar data as the iCal export: overleg name, time and place, never client data.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("medewerker"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="overleg_calendar_feed_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    #: The same one-way hash as the API clients' tokens.
    hash_token = staticmethod(hash_token)
