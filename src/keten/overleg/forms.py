"""What the forms of every part of the overleg share. Forms check the shape of the input only; the rules
live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from keten.core.forms import KetenForm

CHOICE_TEMPLATE = "keten/_choice_field.html"


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def required_message(message: Any) -> dict[str, Any]:
    """A Dutch message for an empty required field, in the words the service would use."""
    return {"required": message}


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """Give the choice field ``name`` of ``form`` its options (known only when the form is made)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def set_widget_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """Give the select widget of the (non-choice) field ``name`` its options; any value is accepted."""
    widget = form.fields[name].widget
    assert isinstance(widget, forms.widgets.ChoiceWidget)
    widget.choices = choices


class ChoiceTemplatesForm(KetenForm):
    """A form whose checkbox lists and radio buttons render as a fieldset with a legend (one label per
    option): call :meth:`use_choice_templates` once the fields have their choices."""

    def use_choice_templates(self) -> None:
        for name in self.fields:
            field: Any = self.fields[name]  # a field's template_name is missing from the type stubs
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.template_name = CHOICE_TEMPLATE
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                # A required box is ":invalid" until it is ticked, which the theme paints red.
                widget.use_required_attribute = lambda initial: False  # type: ignore[method-assign]
