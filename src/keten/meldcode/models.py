"""The Meldcode as a recorded workflow: trajecten, their append-only entries, checklists, consultations.

A traject belongs to one dossier (one family), optionally to one child in it, and to the
organisation of the professional who started it. Everything the professional records — signals,
Kindchecks, consultations, conversations, afwegingen, the decision, the melding and the feedback of
Veilig Thuis — is an :class:`Entry`: appended, never edited; a correction is a new entry that refers
to the one it corrects. Free text and the structured content of an entry are encrypted at rest; the
plain columns (kind, step, dates, outcome) hold no client data and feed the aggregate figures.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField
from simple_history.models import HistoricalRecords

from keten.core.crypto import new_pseudonym
from keten.core.fields import EncryptedJSONTextField


class ChecklistKind(models.TextChoices):
    KINDSIGNALEN = "kindsignalen", _("Signalen bij het kind")
    OUDERSIGNALEN = "oudersignalen", _("Signalen bij ouders en gezin")
    BESCHERMEND = "beschermend", _("Beschermende factoren")


class Checklist(models.Model):
    """One version of a checklist of signals or factors, for all organisations or one organisation type.

    ``municipality`` empty: a national version, loaded from ``meldcode/data`` and read-only in the
    beheer. Otherwise a version of that municipality, published by the functioneel beheerder of its
    gemeente organisation; new trajecten of organisations in the municipality use it instead of the
    national one. Versions are never edited once published: the beheerder publishes a new version,
    and a traject keeps the versions it was filled in with.
    """

    kind = models.CharField(_("soort lijst"), max_length=20, choices=ChecklistKind.choices)
    organisation_type = models.CharField(
        _("voor soort organisatie"),
        max_length=30,
        blank=True,
        help_text=_("Leeg: voor alle soorten organisaties."),
    )
    municipality = models.ForeignKey(
        "accounts.Municipality",
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leeg: de landelijke versie."),
    )
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    #: [{"code": "K04-L01", "group": "lichamelijk", "age_band": "0-4", "label": "..."}, ...]
    items = models.JSONField(_("items"), default=list)
    published_at = models.DateTimeField(_("gepubliceerd"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["kind", "organisation_type", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation_type", "version"],
                condition=models.Q(municipality__isnull=True),
                name="checklist_unique_national_version",
            ),
            models.UniqueConstraint(
                fields=["municipality", "kind", "organisation_type", "version"],
                condition=models.Q(municipality__isnull=False),
                name="checklist_unique_municipal_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def item_map(self) -> dict[str, dict[str, Any]]:
        return {item["code"]: item for item in self.items}


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    HULP = "hulp", _("Hulp loopt")
    GEMELD = "gemeld", _("Gemeld bij Veilig Thuis")
    GEMELD_EN_HULP = "gemeld_en_hulp", _("Gemeld en hulp loopt")
    AFGESLOTEN = "afgesloten", _("Afgesloten")


class Step(models.IntegerChoices):
    SIGNALEREN = 1, _("Stap 1 – Signalen in kaart brengen")
    CONSULTEREN = 2, _("Stap 2 – Collegiale consultatie")
    GESPREK = 3, _("Stap 3 – Gesprek met de betrokkenen")
    WEGEN = 4, _("Stap 4 – Wegen")
    BESLISSEN = 5, _("Stap 5 – Beslissen")


class Traject(models.Model):
    """A meldcode-traject for a child or a family, started by a professional of one organisation."""

    reference = models.CharField(_("kenmerk"), max_length=20, unique=True, default="", editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="trajecten"
    )
    child = models.ForeignKey(
        "dossiers.Person",
        verbose_name=_("kind"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajecten",
        help_text=_("Leeg: het traject gaat over het hele gezin."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="trajecten"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gestart door"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    current_step = models.PositiveSmallIntegerField(_("huidige stap"), choices=Step.choices, default=Step.SIGNALEREN)
    #: The step the afwegingen belong to in this organisation's meldcode (sources differ: 4 or 5).
    afwegingen_step = models.PositiveSmallIntegerField(_("afwegingen in stap"), default=5)
    meldcode_version = models.CharField(_("versie meldcode"), max_length=60)
    checklists = models.ManyToManyField(Checklist, verbose_name=_("gebruikte checklists"), related_name="+")
    outcome = models.CharField(_("besluit"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    first_signal_on = models.DateField(_("eerste signaal"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("laatste activiteit"))
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    help_evaluation_on = models.DateField(_("evaluatiedatum hulp"), null=True, blank=True)
    melding_on = models.DateField(_("gemeld op"), null=True, blank=True)
    vt_feedback_due = models.DateField(_("terugkoppeling Veilig Thuis uiterlijk"), null=True, blank=True)
    vt_feedback_on = models.DateField(_("terugkoppeling Veilig Thuis ontvangen"), null=True, blank=True)
    stalled_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    stalled_escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("versie"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meldcode-traject")
        verbose_name_plural = _("meldcode-trajecten")
        indexes = [
            models.Index(fields=["organisation", "status", "last_activity_at"], name="traject_org_status"),
            models.Index(fields=["status", "last_activity_at"], name="traject_status_activity"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.reference:
            self.reference = new_pseudonym("M")
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status == Status.AFGESLOTEN


class EntryKind(models.TextChoices):
    SIGNAAL = "signaal", _("Signaal")
    OBSERVATIE = "observatie", _("Observatie")
    KINDCHECK = "kindcheck", _("Kindcheck")
    CONSULTATIEVRAAG = "consultatievraag", _("Consultatievraag")
    CONSULTATIEADVIES = "consultatieadvies", _("Advies uit consultatie")
    ADVIES_VEILIG_THUIS = "advies_vt", _("Advies van Veilig Thuis")
    DESKUNDIGE = "deskundige", _("Consultatie deskundige")
    GESPREK = "gesprek", _("Gesprek met betrokkenen")
    GEEN_GESPREK = "geen_gesprek", _("Geen gesprek (met reden)")
    AFWEGING = "afweging", _("Afweging")
    BESLUIT = "besluit", _("Besluit")
    MELDING = "melding", _("Melding bij Veilig Thuis")
    TERUGKOPPELING = "terugkoppeling", _("Terugkoppeling van Veilig Thuis")
    STAP = "stap", _("Naar andere stap")
    AFSLUITING = "afsluiting", _("Afsluiting")
    CORRECTIE = "correctie", _("Correctie")


#: The step an entry kind belongs to (None: no fixed step, e.g. a step change or a correction).
ENTRY_STEP: dict[str, int | None] = {
    EntryKind.SIGNAAL: 1,
    EntryKind.OBSERVATIE: 1,
    EntryKind.KINDCHECK: 1,
    EntryKind.CONSULTATIEVRAAG: 2,
    EntryKind.CONSULTATIEADVIES: 2,
    EntryKind.ADVIES_VEILIG_THUIS: 2,
    EntryKind.DESKUNDIGE: 2,
    EntryKind.GESPREK: 3,
    EntryKind.GEEN_GESPREK: 3,
    EntryKind.AFWEGING: None,  # the traject's afwegingen_step
    EntryKind.BESLUIT: 5,
    EntryKind.MELDING: 5,
    EntryKind.TERUGKOPPELING: 5,
    EntryKind.STAP: None,
    EntryKind.AFSLUITING: None,
    EntryKind.CORRECTIE: None,
}


class AppendOnlyError(RuntimeError):
    """Meldcode entries cannot be changed or deleted; record a correction instead."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("meldcode entries are append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("meldcode entries are append-only")


class Entry(models.Model):
    """One recorded fact in a traject. Never changed; a correction is a new entry."""

    traject = models.ForeignKey(Traject, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("soort"), max_length=20, choices=EntryKind.choices)
    step = models.PositiveSmallIntegerField(_("stap"), choices=Step.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)
    occurred_on = models.DateField(_("datum"), help_text=_("Wanneer het gebeurde of werd waargenomen."))
    #: The structured content (checklist codes, answers, reasons); encrypted, never queried.
    data = EncryptedJSONTextField(_("inhoud"), default=dict)
    #: Free text (facts, interpretation, advice); encrypted.
    text = EncryptedTextField(_("toelichting"), blank=True, null=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrigeert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("vastlegging")
        verbose_name_plural = _("vastleggingen")
        ordering = ["occurred_on", "created_at", "id"]
        indexes = [models.Index(fields=["traject", "created_at"], name="entry_traject_created")]

    def __str__(self) -> str:
        return f"{self.traject} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("meldcode entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("meldcode entries are append-only")


class Consultation(models.Model):
    """A request for collegiale consultatie, answered in the inbox of the one who is asked."""

    class Kind(models.TextChoices):
        AANDACHTSFUNCTIONARIS = "aandachtsfunctionaris", _("Aandachtsfunctionaris")
        COLLEGA = "collega", _("Collega")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        BEANTWOORD = "beantwoord", _("Beantwoord")
        INGETROKKEN = "ingetrokken", _("Ingetrokken")

    traject = models.ForeignKey(
        Traject, verbose_name=_("traject"), on_delete=models.PROTECT, related_name="consultations"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gevraagd aan"),
        on_delete=models.PROTECT,
        related_name="meldcode_consultations",
    )
    anonymous = models.BooleanField(_("zonder namen"), default=True)
    question = EncryptedTextField(_("vraag"))
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.OPEN)
    requested_at = models.DateTimeField(_("gevraagd"), auto_now_add=True)
    answered_at = models.DateTimeField(_("beantwoord"), null=True, blank=True)
    request_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="+")
    answer_entry = models.OneToOneField(Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_to", "state"], name="consultation_inbox")]

    def __str__(self) -> str:
        return f"{self.traject} → {self.requested_to}"
