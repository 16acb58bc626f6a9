"""Forms of the overleg pages. They check the shape of the input; the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg import services
from keten.overleg.models import AgreementStatus, OverlegKind

CHOICE_TEMPLATE = "keten/_choice_field.html"

WEEKDAYS = [
    (1, _("maandag")),
    (2, _("dinsdag")),
    (3, _("woensdag")),
    (4, _("donderdag")),
    (5, _("vrijdag")),
    (6, _("zaterdag")),
    (7, _("zondag")),
]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _req(message: Any) -> dict[str, Any]:
    """A Dutch message for an empty required field, in the words the service would use."""
    return {"required": message}


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _ChoiceTemplates:
    """Checkbox lists and radio buttons as a fieldset with a legend (one label per option)."""

    def _choice_templates(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.template_name = CHOICE_TEMPLATE
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                # A required box is ":invalid" until it is ticked, which the theme paints red.
                widget.use_required_attribute = lambda initial: False  # type: ignore[method-assign]


# --- overleg types ----------------------------------------------------------------------------


class OverlegTypeForm(_ChoiceTemplates, KetenForm):
    name = forms.CharField(
        label=_("Naam van het overleg"), max_length=200, error_messages=_req(_("Geef het overleg een naam."))
    )
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=OverlegKind.choices)
    lead_organisation = forms.TypedChoiceField(
        label=_("Organisatie die het overleg voert"), coerce=int, empty_value=None
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Deelnemende organisaties"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.TypedChoiceField(label=_("Voorzitter"), coerce=int, empty_value=None, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Vaste weekdagen"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Het overleg wordt op deze dagen automatisch gepland, zes weken vooruit."),
    )
    start_time = forms.TimeField(
        label=_("Aanvangstijd"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Duur in minuten"), initial=90, min_value=1, max_value=1440)
    location = forms.CharField(
        label=_("Locatie"),
        max_length=200,
        required=False,
        help_text=_("Alleen de plaats: deze staat ook in de agenda van de deelnemers. Geen gegevens van gezinnen."),
    )
    online_link = forms.URLField(label=_("Link voor online deelname"), required=False, assume_scheme="https")
    convenant = forms.TypedChoiceField(label=_("Convenant"), coerce=int, empty_value=None, required=False)
    privacy_basis = forms.CharField(
        label=_("Grondslag voor het delen van gegevens"),
        required=False,
        max_length=5000,
        widget=_text(),
        help_text=_("Verplicht als u geen convenant kiest."),
    )
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Any],
        chairs: Iterable[Any],
        convenants: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = [(o.pk, o.name) for o in organisations]
        self.fields["lead_organisation"].choices = [("", _("— kies —")), *orgs]  # type: ignore[attr-defined]
        self.fields["members"].choices = orgs  # type: ignore[attr-defined]
        self.fields["chair"].choices = [  # type: ignore[attr-defined]
            ("", _("— nog niet gekozen —")),
            *[(u.pk, f"{u.get_full_name() or u.username}") for u in chairs],
        ]
        self.fields["convenant"].choices = [  # type: ignore[attr-defined]
            ("", _("— geen convenant —")),
            *[(c.pk, c.title) for c in convenants],
        ]
        self._choice_templates()

    @staticmethod
    def initial_for(overleg_type: Any) -> dict[str, Any]:
        return {
            "name": overleg_type.name,
            "kind": overleg_type.kind,
            "lead_organisation": overleg_type.lead_organisation_id,
            "members": [o.pk for o in overleg_type.members.all()],
            "chair": overleg_type.chair_id,
            "weekdays": list(overleg_type.weekdays or []),
            "start_time": overleg_type.start_time,
            "duration_minutes": overleg_type.duration_minutes,
            "location": overleg_type.location,
            "online_link": overleg_type.online_link,
            "convenant": overleg_type.convenant_id,
            "privacy_basis": overleg_type.privacy_basis,
            "is_active": overleg_type.is_active,
        }

    def data_object(self) -> services.OverlegTypeData:
        d = self.cleaned_data
        return services.OverlegTypeData(
            name=d["name"],
            kind=d["kind"],
            lead_organisation_id=d["lead_organisation"],
            member_ids=list(d.get("members") or []),
            chair_id=d.get("chair"),
            weekdays=list(d.get("weekdays") or []),
            start_time=d.get("start_time"),
            duration_minutes=d["duration_minutes"],
            location=d.get("location") or "",
            online_link=d.get("online_link") or "",
            convenant_id=d.get("convenant"),
            privacy_basis=d.get("privacy_basis") or "",
            is_active=bool(d.get("is_active")),
        )


class ProcessStepForm(KetenForm):
    name = forms.CharField(
        label=_("Naam van de processtap"), max_length=120, error_messages=_req(_("Geef de processtap een naam."))
    )
    criteria = forms.CharField(
        label=_("Toelatingscriteria"),
        required=False,
        max_length=5000,
        widget=_text(),
        help_text=_("Wanneer komt een casus in deze stap in het overleg?"),
    )


class MeetingCreateForm(KetenForm):
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)


# --- registering a case -----------------------------------------------------------------------


class ChooseOverlegForm(KetenForm):
    overleg = forms.TypedChoiceField(label=_("Voor welk overleg meldt u de casus aan?"), coerce=int)

    def __init__(self, *args: Any, overleg_types: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["overleg"].choices = [  # type: ignore[attr-defined]
            (t.pk, f"{t.name} ({t.get_kind_display()})") for t in overleg_types
        ]


class RegistrationForm(_ChoiceTemplates, KetenForm):
    dossier = forms.ChoiceField(
        label=_("Dossier van het gezin"),
        error_messages=_req(_("Kies een dossier van het gezin waarvan u in het casusteam zit.")),
    )
    process_step = forms.TypedChoiceField(
        label=_("In welke processtap bevindt de casus zich?"),
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages=_req(_("Kies in welke processtap de casus zich bevindt.")),
    )
    criteria = forms.CharField(
        label=_("Welke criteria van deze stap zijn van toepassing?"),
        required=False,
        max_length=5000,
        widget=_text(),
    )
    reason = forms.CharField(
        label=_("Reden van aanmelding"),
        max_length=5000,
        widget=_text(4),
        error_messages=_req(_("Beschrijf waarom u de casus aanmeldt.")),
    )
    goal = forms.CharField(
        label=_("Doel"),
        max_length=5000,
        widget=_text(),
        help_text=_("Wat moet het overleg opleveren?"),
        error_messages=_req(_("Beschrijf wat het overleg moet opleveren (het doel).")),
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Partners om uit te nodigen"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    family_informed = forms.TypedChoiceField(
        label=_("Is het gezin geïnformeerd over de aanmelding?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        initial="ja",
        widget=forms.RadioSelect,
    )
    family_not_informed_reason = forms.CharField(
        label=_("Waarom is het gezin niet geïnformeerd?"),
        required=False,
        max_length=5000,
        widget=_text(2),
        help_text=_("Verplicht als het gezin niet is geïnformeerd."),
    )

    def __init__(
        self,
        *args: Any,
        steps: Sequence[Any],
        partners: Iterable[Any],
        dossiers: Sequence[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if dossiers is None:
            del self.fields["dossier"]
        else:
            self.fields["dossier"].choices = [("", _("— kies een dossier —")), *dossiers]  # type: ignore[attr-defined]
        if steps:
            self.fields["process_step"].choices = [  # type: ignore[attr-defined]
                (s.pk, f"{s.order}. {s.name}" + (f" — {s.criteria}" if s.criteria else "")) for s in steps
            ]
        else:
            del self.fields["process_step"]
        self.fields["partners"].choices = [(o.pk, o.name) for o in partners]  # type: ignore[attr-defined]
        self._choice_templates()

    def data_object(self, match_id: int | None = None) -> services.RegistrationData:
        d = self.cleaned_data
        return services.RegistrationData(
            reason=d["reason"],
            goal=d["goal"],
            process_step_id=d.get("process_step"),
            criteria=d.get("criteria") or "",
            invited_organisation_ids=list(d.get("partners") or []),
            family_informed=d.get("family_informed") != "nee",
            family_not_informed_reason=d.get("family_not_informed_reason") or "",
            match_id=match_id,
        )


# --- triage -----------------------------------------------------------------------------------


class AdmitForm(KetenForm):
    #: Any meeting id: the service answers a cancelled or past meeting with its own message.
    meeting = forms.IntegerField(label=_("Op de agenda van de bijeenkomst van"), widget=forms.Select)
    casusregisseur = forms.TypedChoiceField(label=_("Casusregisseur"), coerce=int, empty_value=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meetings: Iterable[Any], people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].widget.choices = [  # type: ignore[attr-defined]
            (m.pk, timezone.localtime(m.starts_at).strftime("%d-%m-%Y %H:%M")) for m in meetings
        ]
        self.fields["casusregisseur"].choices = [  # type: ignore[attr-defined]
            ("", _("— later kiezen —")),
            *[(u.pk, u.get_full_name() or u.username) for u in people],
        ]


class DeclineForm(KetenForm):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        max_length=2000,
        widget=_text(2),
        error_messages=_req(_("Geef de reden van de afwijzing.")),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CasusregisseurForm(KetenForm):
    casusregisseur = forms.TypedChoiceField(
        label=_("Casusregisseur"), coerce=int, error_messages=_req(_("Kies de casusregisseur."))
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["casusregisseur"].choices = [  # type: ignore[attr-defined]
            ("", _("— kies —")),
            *[(u.pk, u.get_full_name() or u.username) for u in people],
        ]


class CloseRegistrationForm(KetenForm):
    reason = forms.CharField(
        label=_("Waarom verlaat de casus het overleg?"),
        max_length=5000,
        widget=_text(2),
        error_messages=_req(_("Geef de reden waarom de casus het overleg verlaat.")),
    )
    follow_up = forms.CharField(
        label=_("Wie blijft contact houden met het gezin?"),
        max_length=5000,
        widget=_text(2),
        error_messages=_req(_("Leg vast wie contact houdt met het gezin.")),
    )
    follow_up_organisation = forms.TypedChoiceField(
        label=_("Organisatie die contact houdt"), coerce=int, empty_value=None, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisations: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("— geen organisatie gekozen —")),
            *[(o.pk, o.name) for o in organisations],
        ]


# --- meetings ---------------------------------------------------------------------------------


class CancelMeetingForm(KetenForm):
    reason = forms.CharField(
        label=_("Reden van afgelasting"), max_length=300, error_messages=_req(_("Geef de reden van de afgelasting."))
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttendeeForm(KetenForm):
    user = forms.TypedChoiceField(
        label=_("Wie komt op de deelnemerslijst?"),
        coerce=int,
        error_messages=_req(_("Kies een medewerker van een deelnemende organisatie.")),
    )

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", _("— kies —")),
            *[(u.pk, u.get_full_name() or u.username) for u in people],
        ]


class RemoveFromAgendaForm(KetenForm):
    reason = forms.CharField(
        label=_("Waarom gaat de casus van deze agenda?"),
        max_length=300,
        error_messages=_req(_("Geef de reden waarom de casus van de agenda gaat.")),
    )


class ScheduleForm(KetenForm):
    #: Any meeting id: the service answers a cancelled or past meeting with its own message.
    meeting = forms.IntegerField(label=_("Bijeenkomst"), widget=forms.Select)

    def __init__(self, *args: Any, meetings: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].widget.choices = [  # type: ignore[attr-defined]
            (m.pk, timezone.localtime(m.starts_at).strftime("%d-%m-%Y %H:%M")) for m in meetings
        ]


class DiscussionForm(KetenForm):
    summary = forms.CharField(label=_("Samenvatting van de bespreking"), required=False, widget=_text())
    mensen = forms.CharField(label=_("Wie zijn de mensen?"), required=False, widget=_text(2))
    feiten = forms.CharField(label=_("Wat zijn de feiten?"), required=False, widget=_text(2))
    weging = forms.CharField(label=_("Hoe wegen we?"), required=False, widget=_text(2))
    volgende_stappen = forms.CharField(label=_("Wat zijn de volgende stappen?"), required=False, widget=_text(2))
    decisions = forms.CharField(label=_("Besluiten"), required=False, widget=_text(2))

    def data_object(self) -> services.DiscussionData:
        d = self.cleaned_data
        return services.DiscussionData(
            summary=d.get("summary") or "",
            mensen=d.get("mensen") or "",
            feiten=d.get("feiten") or "",
            weging=d.get("weging") or "",
            volgende_stappen=d.get("volgende_stappen") or "",
            decisions=d.get("decisions") or "",
        )


def owner_choices(people: Iterable[Any], organisations: Iterable[Any]) -> list[Any]:
    """The owner of an agreement: a person ("u<id>") or an organisation ("o<id>"), in two groups."""
    return [
        ("", _("— kies wie de afspraak uitvoert —")),
        (_("Personen"), [(f"u{u.pk}", u.get_full_name() or u.username) for u in people]),
        (_("Organisaties"), [(f"o{o.pk}", o.name) for o in organisations]),
    ]


class AgreementForm(KetenForm):
    what = forms.CharField(
        label=_("Wat is er afgesproken?"),
        max_length=5000,
        widget=_text(2),
        error_messages=_req(_("Beschrijf wat er is afgesproken.")),
    )
    owner = forms.ChoiceField(
        label=_("Wie voert de afspraak uit?"),
        error_messages=_req(_("Kies wie de afspraak uitvoert: een persoon of een organisatie.")),
    )
    due_on = forms.DateField(
        label=_("Uiterlijk op"),
        widget=_date_widget(),
        error_messages=_req(_("Vul de datum in waarop de afspraak uitgevoerd moet zijn.")),
    )

    def __init__(self, *args: Any, owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]

    def owner_ids(self) -> tuple[int | None, int | None]:
        value = self.cleaned_data.get("owner") or ""
        if value.startswith("u") and value[1:].isdigit():
            return int(value[1:]), None
        if value.startswith("o") and value[1:].isdigit():
            return None, int(value[1:])
        return None, None


class AgreementUpdateForm(AgreementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementCloseForm(_ChoiceTemplates, KetenForm):
    status = forms.ChoiceField(
        label=_("Hoe is de afspraak afgerond?"),
        choices=[(AgreementStatus.DONE, _("Uitgevoerd")), (AgreementStatus.CANCELLED, _("Vervallen"))],
        initial=AgreementStatus.DONE,
        widget=forms.RadioSelect,
    )
    result = forms.CharField(
        label=_("Resultaat of reden"),
        max_length=5000,
        error_messages=_req(_("Beschrijf het resultaat van de afspraak, of waarom hij is vervallen.")),
        widget=_text(2),
        help_text=_("Wat is er gedaan, of waarom is de afspraak vervallen?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice_templates()
