"""The base of every meldcode form: grouped choices in a fieldset, dates not in the future, the source.

The forms only check the shape of the input (required fields, dates, numbers); every rule of the
Meldcode (which afweging comes next, which decision fits, when a melding is complete) is checked by
the service, whose Dutch message is shown next to the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.meldcode.vocabulary import SOURCE_SELF

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHOICE_TEMPLATE = "keten/_choice_field.html"
SOURCE_CHOICES = [("zelf", _("Ikzelf")), ("anders", _("Iemand anders"))]
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field of ``form``, to set its choices when the form is made."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def choices_of(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    return list(mapping.items())


def not_in_future(value: Any) -> Any:
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
            return SOURCE_SELF
        return str(self.cleaned_data.get("source_other") or "")


class VersionedForm(MeldcodeForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
