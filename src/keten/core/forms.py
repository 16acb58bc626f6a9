"""Form rendering with NL Design System (Utrecht) classes, an error summary and Dutch messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

_WIDGET_CLASSES: dict[type, str] = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


class KetenFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class KetenFormMixin:
    """Adds the Utrecht classes to every widget; marks invalid fields for assistive technology."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = next(
                (c for klass, c in _WIDGET_CLASSES.items() if isinstance(widget, klass)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = widget.attrs.get("class", "") + " utrecht-textbox--invalid"


class KetenForm(KetenFormMixin, forms.Form):
    pass


def apply_domain_error(form: forms.Form, error: Any) -> None:
    """Show a service's DomainError next to the field it names (or above the form)."""
    field = getattr(error, "field", None)
    if field and field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, getattr(error, "message", str(error)))
