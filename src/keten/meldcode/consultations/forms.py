"""Forms of step 2: a consultation request, its answer, the advice of Veilig Thuis or an expert."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.meldcode.models import Consultation
from keten.meldcode.record.forms import (
    DATE_INPUT,
    YES_NO,
    MeldcodeForm,
    choice_field,
    choices_of,
    not_in_future,
)
from keten.meldcode.vocabulary import VT_ADVICE_OUTCOMES


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
        choice_field(self, "to_user").choices = [("", _("Kies een persoon")), *candidates]


class VtAdviceForm(MeldcodeForm):
    asked_on = forms.DateField(label=_("Gevraagd op"), widget=DATE_INPUT, validators=[not_in_future])
    anonymous = forms.BooleanField(label=_("Ik heb het advies anoniem gevraagd (zonder namen)"), required=False)
    outcome = forms.ChoiceField(
        label=_("Wat adviseerde Veilig Thuis?"), choices=choices_of(VT_ADVICE_OUTCOMES), widget=forms.RadioSelect
    )
    advice = forms.CharField(label=_("Het advies"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "vt")
        super().__init__(*args, **kwargs)


class ExpertForm(MeldcodeForm):
    consulted_on = forms.DateField(label=_("Geraadpleegd op"), widget=DATE_INPUT, validators=[not_in_future])
    expertise = forms.CharField(
        label=_("Deskundigheid"), max_length=200, help_text=_("Bijvoorbeeld: letselduiding door een forensisch arts.")
    )
    expert = forms.CharField(label=_("Wie is geraadpleegd?"), max_length=200)
    advice = forms.CharField(label=_("Het advies"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "exp")
        super().__init__(*args, **kwargs)


class AdviceForm(KetenForm):
    advice = forms.CharField(
        label=_("Uw advies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Het advies komt in de tijdlijn van het traject; de vrager krijgt een melding."),
    )
