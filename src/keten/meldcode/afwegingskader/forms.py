"""Forms of steps 4 and 5: an afweging, the decision, the melding and the feedback of Veilig Thuis."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.meldcode.afwegingskader.tree import Decision
from keten.meldcode.record.forms import (
    DATE_INPUT,
    YES_NO,
    MeldcodeForm,
    VersionedForm,
    choice_field,
    choices_of,
    not_in_future,
)
from keten.meldcode.vocabulary import VT_FEEDBACK_OUTCOMES

DECISION_LABELS: dict[str, Any] = {
    Decision.AFSLUITEN: _("Afsluiten: er is geen vermoeden meer"),
    Decision.HULP: _("Hulp bieden of organiseren"),
    Decision.MELDEN: _("Melden bij Veilig Thuis"),
    Decision.MELDEN_EN_HULP: _("Melden bij Veilig Thuis en hulp bieden"),
}


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

    #: The afweging a re-answer form on the path is for (``None``: the form of the next afweging).
    reanswer_number: int | None = None

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
    help_evaluation_on = forms.DateField(label=_("Evaluatiedatum van de hulp"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "besluit")
        super().__init__(*args, **kwargs)
        order = list(DECISION_LABELS)
        choice_field(self, "decision").choices = [(d, DECISION_LABELS[d]) for d in sorted(allowed, key=order.index)]


class MeldingForm(MeldcodeForm):
    reported_on = forms.DateField(label=_("Gemeld op"), widget=DATE_INPUT, validators=[not_in_future])
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
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DATE_INPUT, validators=[not_in_future])
    outcome = forms.ChoiceField(
        label=_("Wat heeft Veilig Thuis besloten?"),
        choices=choices_of(VT_FEEDBACK_OUTCOMES),
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(label=_("De terugkoppeling"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    close = forms.BooleanField(label=_("Het traject hiermee afsluiten"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "tk")
        super().__init__(*args, **kwargs)
