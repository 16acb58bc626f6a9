"""Forms of a traject: starting one, step 1 (signals, observations, the Kindcheck), step 3 (the
conversation), moving to another step, closing, and correcting an entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.crypto import validate_bsn
from keten.meldcode.models import Step
from keten.meldcode.record.forms import (
    DATE_INPUT,
    MeldcodeForm,
    SourceMixin,
    VersionedForm,
    choice_field,
    choices_of,
    not_in_future,
)
from keten.meldcode.vocabulary import (
    CONVERSATION_EXCEPTIONS,
    KINDCHECK_MOMENTS,
    KINDCHECK_OUTCOMES,
    KINDCHECK_PROBLEMS,
    PARTICIPANTS,
)


class TrajectStartForm(MeldcodeForm):
    subject = forms.ChoiceField(label=_("Over wie gaat de zorg?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "meldcode")
        super().__init__(*args, **kwargs)
        choice_field(self, "subject").choices = [
            ("gezin", _("Het hele gezin")),
            *[(str(c.pk), c.full_name) for c in children],
        ]
        self.fields["subject"].initial = "gezin"

    def child_id(self) -> int | None:
        value = self.cleaned_data["subject"]
        return None if value == "gezin" else int(value)


class NewFamilyForm(MeldcodeForm):
    family_name = forms.CharField(
        label=_("Naam van het gezin"), max_length=200, help_text=_("Bijvoorbeeld: gezin De Vries.")
    )
    first_name = forms.CharField(label=_("Voornaam van het kind"), max_length=120)
    last_name = forms.CharField(label=_("Achternaam van het kind"), max_length=160)
    date_of_birth = forms.DateField(label=_("Geboortedatum van het kind"), required=False, widget=DATE_INPUT)
    bsn = forms.CharField(
        label=_("BSN van het kind"),
        required=False,
        max_length=11,
        validators=[validate_bsn],
        help_text=_("9 cijfers; wordt gecontroleerd met de elfproef."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    confirm_duplicate = forms.BooleanField(label=_("Ik heb gecontroleerd dat dit een ander kind is"), required=False)

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum kan niet in de toekomst liggen."))
        if value and value.year < 1900:
            raise forms.ValidationError(_("Deze geboortedatum is niet mogelijk."))
        return value


class SignalForm(SourceMixin, MeldcodeForm):
    """Signals from the traject's checklists; codes are posted as "<checklist id>:<code>"."""

    codes = forms.MultipleChoiceField(label=_("Signalen"), required=False)
    observed_on = forms.DateField(label=_("Waargenomen op"), widget=DATE_INPUT, validators=[not_in_future])
    facts = forms.CharField(
        label=_("Feiten: wat is er gezien of gehoord?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Beschrijf zo letterlijk mogelijk, zonder uw eigen uitleg."),
    )
    interpretation = forms.CharField(
        label=_("Uw interpretatie"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Wat denkt u dat het betekent? Dit blijft apart van de feiten."),
    )

    field_order = ["codes", "observed_on", "source_kind", "source_other", "facts", "interpretation"]

    def __init__(self, *args: Any, checklists: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklists = checklists
        choice_field(self, "codes").choices = [
            (f"{c.pk}:{item['code']}", item["label"]) for c in checklists for item in c.items
        ]

    def clean_codes(self) -> list[str]:
        codes = self.cleaned_data.get("codes") or []
        if not codes:
            raise forms.ValidationError(_("Kies minstens één signaal uit de lijst."))
        return list(codes)

    def codes_per_checklist(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = {}
        for value in self.cleaned_data["codes"]:
            checklist_id, code = value.split(":", 1)
            grouped.setdefault(int(checklist_id), []).append(code)
        return grouped

    def selected(self) -> set[str]:
        return set(self["codes"].value() or [])


class ObservationForm(SourceMixin, MeldcodeForm):
    observed_on = forms.DateField(label=_("Waargenomen op"), widget=DATE_INPUT, validators=[not_in_future])
    facts = forms.CharField(
        label=_("Feiten: wat is er gezien of gehoord?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    interpretation = forms.CharField(
        label=_("Uw interpretatie"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    field_order = ["observed_on", "source_kind", "source_other", "facts", "interpretation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "obs")
        super().__init__(*args, **kwargs)


class KindcheckForm(MeldcodeForm):
    held_on = forms.DateField(label=_("Datum van de Kindcheck"), widget=DATE_INPUT, validators=[not_in_future])
    moment = forms.ChoiceField(label=_("Moment"), choices=choices_of(KINDCHECK_MOMENTS), widget=forms.RadioSelect)
    problems = forms.MultipleChoiceField(
        label=_("Problemen bij de volwassen cliënt"),
        choices=choices_of(KINDCHECK_PROBLEMS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cares_for_minors = forms.BooleanField(label=_("De cliënt zorgt voor minderjarige kinderen"), required=False)
    lives_with_minors = forms.BooleanField(label=_("De cliënt woont met minderjarige kinderen"), required=False)
    pregnant = forms.BooleanField(label=_("De cliënt (of de partner) is zwanger"), required=False)
    children_count = forms.IntegerField(label=_("Aantal kinderen"), min_value=0, max_value=20, initial=0)
    children_ages = forms.CharField(
        label=_("Leeftijden van de kinderen"),
        required=False,
        max_length=100,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: 3, 7, 12."),
    )
    living_arrangement = forms.CharField(label=_("Woonsituatie van de kinderen"), required=False, max_length=500)
    shared_care = forms.CharField(label=_("Wie zorgt er nog meer voor de kinderen?"), required=False, max_length=500)
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=choices_of(KINDCHECK_OUTCOMES), widget=forms.RadioSelect)
    handed_over_to = forms.CharField(label=_("Overgedragen aan"), required=False, max_length=300)
    notes = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "kc")
        super().__init__(*args, **kwargs)

    def clean_children_ages(self) -> list[int]:
        raw = (self.cleaned_data.get("children_ages") or "").replace(";", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Vul de leeftijden in als hele getallen, gescheiden door komma's.")) from None


class ConversationForm(MeldcodeForm):
    held_on = forms.DateField(label=_("Datum van het gesprek"), widget=DATE_INPUT, validators=[not_in_future])
    participants = forms.MultipleChoiceField(
        label=_("Met wie heeft u gesproken?"), choices=choices_of(PARTICIPANTS), widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Wat heeft u besproken?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reaction = forms.CharField(
        label=_("Hoe reageerden de betrokkenen?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "gesprek")
        super().__init__(*args, **kwargs)


class ConversationSkipForm(MeldcodeForm):
    reason = forms.ChoiceField(
        label=_("Waarom vindt het gesprek niet plaats?"),
        choices=choices_of(CONVERSATION_EXCEPTIONS),
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "geengesprek")
        super().__init__(*args, **kwargs)


class CloseForm(VersionedForm):
    motivation = forms.CharField(
        label=_("Waarom sluit u het traject af?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "afsluiten")
        super().__init__(*args, **kwargs)


class StepForm(VersionedForm):
    step = forms.TypedChoiceField(label=_("Stap"), coerce=int, choices=Step.choices)


class CorrectionForm(MeldcodeForm):
    correction = forms.CharField(
        label=_("Correctie en reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("De oorspronkelijke vastlegging blijft zichtbaar, gemarkeerd als gecorrigeerd."),
    )
