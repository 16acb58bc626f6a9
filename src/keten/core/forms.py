"""Form rendering with NL Design System (Utrecht) classes, an error summary and Dutch messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_WIDGET_CLASSES: dict[type, str] = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
}


#: Django's own widget templates that ``KetenFormRenderer`` writes in Python instead (same markup).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "search", "tel")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"


def _attrs_html(attrs: dict[str, Any]) -> str:
    """The attributes as Django's ``attrs.html`` writes them: False leaves one out, True is bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input_html(widget: dict[str, Any]) -> SafeString:
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    html = (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs_html(widget['attrs'])}>"
    )
    return mark_safe(html)  # noqa: S308 (every value above is escaped)


def _select_html(widget: dict[str, Any]) -> SafeString:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


class KetenFormRenderer(TemplatesSetting):
    """Forms and fields through Keten's templates; the plainest widgets written directly.

    Text inputs and selects are rendered in Python with exactly the markup of Django's widget
    templates: a select with many options otherwise costs a template include per option.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in _INPUT_TEMPLATES:
            return _input_html(context["widget"])
        if template_name == _SELECT_TEMPLATE:
            return _select_html(context["widget"])
        return super().render(template_name, context, request=request)


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
