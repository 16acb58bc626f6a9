"""Forms of the meldcode pages (Dutch labels; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm


class AdviceForm(KetenForm):
    advice = forms.CharField(
        label=_("Uw advies"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Het advies komt in de tijdlijn van het traject; de vrager krijgt een melding."),
    )
