"""Meetings of an overleg: their agenda (items and the append-only agenda events) and the attendance list."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keten.overleg.models.base import AppendOnlyModel


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    HELD = "held", _("Gehouden")
    CANCELLED = "cancelled", _("Afgelast")


class Meeting(models.Model):
    """One session of an overleg. Its calendar data (time, place, link) never holds client data."""

    overleg_type = models.ForeignKey(
        "overleg.OverlegType", verbose_name=_("overleg"), on_delete=models.PROTECT, related_name="meetings"
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
        "overleg.CaseRegistration", verbose_name=_("aanmelding"), on_delete=models.PROTECT, related_name="agenda_items"
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


class AgendaEvent(AppendOnlyModel):
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
