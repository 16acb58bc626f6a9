"""Forms of inzage and destruction requests. They only check the shape of the input; the rules are in
:mod:`keten.sharing.inzage.services`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from keten.core.forms import KetenForm
from keten.sharing.models import DestructionRequest, RequesterRole


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class RequestForm(KetenForm):
    requester = forms.TypedChoiceField(label=gettext_lazy("Wie doet het verzoek?"), coerce=int)
    requester_role = forms.ChoiceField(label=gettext_lazy("Als"), choices=RequesterRole.choices)
    about = forms.TypedChoiceField(label=gettext_lazy("Over wie gaat het verzoek?"), coerce=int)
    received_on = _date(gettext_lazy("Ontvangen op"))

    def __init__(self, *args: Any, persons: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["requester"]).choices = persons
        cast(forms.ChoiceField, self.fields["about"]).choices = persons


class AnswerForm(KetenForm):
    answered_on = _date(gettext_lazy("Beantwoord op"))
    note = forms.CharField(
        label=gettext_lazy("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(KetenForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Beslissing"),
        choices=[
            (DestructionRequest.Decision.GRANTED, DestructionRequest.Decision.GRANTED.label),
            (DestructionRequest.Decision.REFUSED, DestructionRequest.Decision.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = _date(gettext_lazy("Beslist op"))
    reason = forms.CharField(
        label=gettext_lazy("Motivering"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=gettext_lazy("Wat wordt er vernietigd, waar en door wie?"),
        help_text=gettext_lazy("Nodig bij toewijzen. Keten verwijdert notities en meldcode-vastleggingen niet zelf."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CarriedOutForm(KetenForm):
    carried_out_on = _date(gettext_lazy("Uitgevoerd op"))
