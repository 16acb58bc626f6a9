"""Forms of the meldcode pages (Dutch labels; the services hold the rules).

The forms only check the shape of the input (required fields, dates, numbers); every rule of the
Meldcode (which afweging comes next, which decision fits, when a melding is complete) is checked by
the service, whose Dutch message is shown next to the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.crypto import validate_bsn
from keten.core.forms import KetenForm
from keten.meldcode import services
from keten.meldcode.afwegingskader import Decision
from keten.meldcode.models import Consultation, Step

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHOICE_TEMPLATE = "keten/_choice_field.html"

DECISION_LABELS: dict[str, Any] = {
    Decision.AFSLUITEN: _("Afsluiten: er is geen vermoeden meer"),
    Decision.HULP: _("Hulp bieden of organiseren"),
    Decision.MELDEN: _("Melden bij Veilig Thuis"),
    Decision.MELDEN_EN_HULP: _("Melden bij Veilig Thuis en hulp bieden"),
}
KINDCHECK_OUTCOMES: dict[str, Any] = {
    services.KindcheckOutcome.NEGATIEF: _("Negatief: geen minderjarige kinderen in beeld, de Kindcheck is afgerond"),
    services.KindcheckOutcome.POSITIEF: _("Positief: er zijn kinderen in beeld, ik ga verder met de meldcode"),
    services.KindcheckOutcome.OVERGEDRAGEN: _("Overgedragen aan een andere professional of organisatie"),
}
PARTICIPANTS: dict[str, Any] = {
    "ouders": _("Ouders"),
    "verzorgers": _("Verzorgers"),
    "kind": _("Het kind"),
    "jongere": _("De jongere"),
    "client": _("De cliënt"),
}
SOURCE_CHOICES = [("zelf", _("Ikzelf")), ("anders", _("Iemand anders"))]
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


def _choices(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(mapping.items())


def _not_in_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("Deze datum ligt in de toekomst. Vul een datum van vandaag of eerder in."))
    return value


class MeldcodeForm(KetenForm):
    """KetenForm with grouped radio buttons and checkboxes rendered in a fieldset with a legend."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                field.template_name = CHOICE_TEMPLATE  # type: ignore[attr-defined]
            if isinstance(widget, forms.RadioSelect):
                # A required radio group is ":invalid" until one is chosen, which the theme paints red.
                widget.use_required_attribute = lambda initial: False  # type: ignore[method-assign]


class SourceMixin(forms.Form):
    source_kind = forms.ChoiceField(
        label=_("Wie heeft dit waargenomen?"), choices=SOURCE_CHOICES, widget=forms.RadioSelect, initial="zelf"
    )
    source_other = forms.CharField(
        label=_("Zo ja, wie?"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld: de moeder, een klasgenoot, de gymdocent."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source_kind") == "anders" and not (data.get("source_other") or "").strip():
            self.add_error("source_other", _("Vul in wie het heeft waargenomen."))
        return data

    def source(self) -> str:
        if self.cleaned_data.get("source_kind") == "zelf":
            return services.SOURCE_SELF
        return str(self.cleaned_data.get("source_other") or "")


# --- starting -----------------------------------------------------------------------------------


class TrajectStartForm(MeldcodeForm):
    subject = forms.ChoiceField(label=_("Over wie gaat de zorg?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "meldcode")
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
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
    date_of_birth = forms.DateField(label=_("Geboortedatum van het kind"), required=False, widget=_DATE)
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


# --- step 1 -------------------------------------------------------------------------------------


class SignalForm(SourceMixin, MeldcodeForm):
    """Signals from the traject's checklists; codes are posted as "<checklist id>:<code>"."""

    codes = forms.MultipleChoiceField(label=_("Signalen"), required=False)
    observed_on = forms.DateField(label=_("Waargenomen op"), widget=_DATE, validators=[_not_in_future])
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
        self.fields["codes"].choices = [  # type: ignore[attr-defined]
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
    observed_on = forms.DateField(label=_("Waargenomen op"), widget=_DATE, validators=[_not_in_future])
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
    held_on = forms.DateField(label=_("Datum van de Kindcheck"), widget=_DATE, validators=[_not_in_future])
    moment = forms.ChoiceField(
        label=_("Moment"), choices=_choices(services.KINDCHECK_MOMENTS), widget=forms.RadioSelect
    )
    problems = forms.MultipleChoiceField(
        label=_("Problemen bij de volwassen cliënt"),
        choices=_choices(services.KINDCHECK_PROBLEMS),
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
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=_choices(KINDCHECK_OUTCOMES), widget=forms.RadioSelect)
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


# --- step 2 -------------------------------------------------------------------------------------


class ConsultationRequestForm(MeldcodeForm):
    kind = forms.ChoiceField(
        label=_("Wie vraagt u om advies?"), choices=Consultation.Kind.choices, widget=forms.RadioSelect
    )
    to_user = forms.TypedChoiceField(label=_("Naam"), coerce=int)
    question = forms.CharField(label=_("Uw vraag"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    anonymous = forms.ChoiceField(
        label=_("Zonder namen van het gezin vragen?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="ja",
        help_text=_("Zonder namen ziet de ander alleen uw vraag en het verloop van het traject."),
    )

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        """``candidates``: (user id, label) pairs, see ``selectors.consultation_candidate_choices``."""
        kwargs.setdefault("prefix", "cons")
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [("", _("Kies een persoon")), *candidates]  # type: ignore[attr-defined]


class VtAdviceForm(MeldcodeForm):
    asked_on = forms.DateField(label=_("Gevraagd op"), widget=_DATE, validators=[_not_in_future])
    anonymous = forms.BooleanField(label=_("Ik heb het advies anoniem gevraagd (zonder namen)"), required=False)
    outcome = forms.ChoiceField(
        label=_("Wat adviseerde Veilig Thuis?"), choices=_choices(services.VT_ADVICE_OUTCOMES), widget=forms.RadioSelect
    )
    advice = forms.CharField(label=_("Het advies"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "vt")
        super().__init__(*args, **kwargs)


class ExpertForm(MeldcodeForm):
    consulted_on = forms.DateField(label=_("Geraadpleegd op"), widget=_DATE, validators=[_not_in_future])
    expertise = forms.CharField(
        label=_("Deskundigheid"), max_length=200, help_text=_("Bijvoorbeeld: letselduiding door een forensisch arts.")
    )
    expert = forms.CharField(label=_("Wie is geraadpleegd?"), max_length=200)
    advice = forms.CharField(label=_("Het advies"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "exp")
        super().__init__(*args, **kwargs)


# --- step 3 -------------------------------------------------------------------------------------


class ConversationForm(MeldcodeForm):
    held_on = forms.DateField(label=_("Datum van het gesprek"), widget=_DATE, validators=[_not_in_future])
    participants = forms.MultipleChoiceField(
        label=_("Met wie heeft u gesproken?"), choices=_choices(PARTICIPANTS), widget=forms.CheckboxSelectMultiple
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
        choices=_choices(services.CONVERSATION_EXCEPTIONS),
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "geengesprek")
        super().__init__(*args, **kwargs)


# --- steps 4-5 ----------------------------------------------------------------------------------


class VersionedForm(MeldcodeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AfwegingForm(VersionedForm):
    number = forms.TypedChoiceField(
        label=_("Afweging"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.HiddenInput
    )
    answer = forms.ChoiceField(label=_("Uw antwoord"), choices=YES_NO, widget=forms.RadioSelect)
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Waarom kiest u dit antwoord? Verwijs naar wat u in de eerdere stappen heeft vastgelegd."),
    )
    with_veilig_thuis = forms.BooleanField(label=_("Samen met Veilig Thuis beantwoord"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "afw")
        super().__init__(*args, **kwargs)


class DecisionForm(VersionedForm):
    decision = forms.ChoiceField(label=_("Uw besluit"), widget=forms.RadioSelect)
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    help_agreements = forms.CharField(
        label=_("Afspraken over de hulp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Alleen bij hulp: wie doet wat, en wat is het doel?"),
    )
    help_evaluation_on = forms.DateField(label=_("Evaluatiedatum van de hulp"), required=False, widget=_DATE)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "besluit")
        super().__init__(*args, **kwargs)
        order = list(DECISION_LABELS)
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            (d, DECISION_LABELS[d]) for d in sorted(allowed, key=order.index)
        ]


class MeldingForm(MeldcodeForm):
    reported_on = forms.DateField(label=_("Gemeld op"), widget=_DATE, validators=[_not_in_future])
    vt_region = forms.CharField(
        label=_("Veilig Thuis-regio"), max_length=200, help_text=_("De regio waar u de melding heeft gedaan.")
    )
    shared = forms.CharField(
        label=_("Welke informatie heeft u gedeeld?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    client_informed = forms.ChoiceField(
        label=_("Heeft u de betrokkenen vooraf ingelicht over de melding?"), choices=YES_NO, widget=forms.RadioSelect
    )
    not_informed_reason = forms.CharField(
        label=_("Zo nee: waarom niet?"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    anonymous_melder = forms.BooleanField(
        label=_("Ik heb gevraagd om als melder anoniem te blijven tegenover het gezin"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "melding")
        super().__init__(*args, **kwargs)


class FeedbackForm(MeldcodeForm):
    received_on = forms.DateField(label=_("Ontvangen op"), widget=_DATE, validators=[_not_in_future])
    outcome = forms.ChoiceField(
        label=_("Wat heeft Veilig Thuis besloten?"),
        choices=_choices(services.VT_FEEDBACK_OUTCOMES),
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(label=_("De terugkoppeling"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    close = forms.BooleanField(label=_("Het traject hiermee afsluiten"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "tk")
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


class AdviceForm(KetenForm):
    advice = forms.CharField(
        label=_("Uw advies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Het advies komt in de tijdlijn van het traject; de vrager krijgt een melding."),
    )
