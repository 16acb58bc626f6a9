"""Form rendering with NL Design System (Utrecht) classes, an error summary and Dutch messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
    for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "search", "tel", "checkbox")
)
_OPTION_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input_option", "radio_option", "checkbox_option")
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
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


def _option_html(widget: dict[str, Any]) -> SafeString:
    """One radio button or checkbox of a choice widget, optionally wrapped in its label."""
    html = _input_html(widget)
    if widget.get("wrap_label"):
        target = widget["attrs"].get("id")
        label_for = f' for="{conditional_escape(target)}"' if target else ""
        html = mark_safe(f"<label{label_for}>{html}\n {conditional_escape(widget['label'])}</label>")  # noqa: S308
    return html


def _textarea_html(widget: dict[str, Any]) -> SafeString:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    html = f'<textarea name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>\n{value}</textarea>'
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


_FIELD_TEMPLATE = "forms/field.html"


def _field_html(field: Any) -> SafeString:
    """``forms/field.html`` written out: label, optional marker, help text, errors and the widget."""
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 (the widget escapes its values)
    checkbox = field.widget_type == "checkbox"
    auto_id = conditional_escape(field.auto_id)
    label = conditional_escape(field.label)
    classes = "utrecht-form-field utrecht-form-field--distanced"
    if field.errors:
        classes += " utrecht-form-field--invalid"
    if checkbox:
        classes += " utrecht-form-field--checkbox"
    parts = [f'<div class="{classes}">\n  ']
    if checkbox:
        parts.append(
            f'\n  <div class="utrecht-form-field__input">{field}</div>\n  <div class="utrecht-form-field__label '
            f'utrecht-form-field__label--checkbox"><label class="utrecht-form-label utrecht-form-label--checkbox" '
            f'for="{auto_id}">{label}</label></div>\n  '
        )
    else:
        optional = "" if field.field.required else f' <span class="keten-optional">({_("niet verplicht")})</span>'
        parts.append(
            f'\n  <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="{auto_id}">'
            f"{label}{optional}</label></div>\n  "
        )
    parts.append("\n  ")
    if field.help_text:
        parts.append(
            f'<div class="utrecht-form-field-description" id="{auto_id}_helptext">'
            f"{conditional_escape(field.help_text)}</div>"
        )
    parts.append("\n  ")
    if field.errors:
        errors = "".join(f'<p class="utrecht-paragraph">{conditional_escape(e)}</p>' for e in field.errors)
        parts.append(f'<div class="utrecht-form-field-error-message" id="{auto_id}_error">{errors}</div>')
    parts.append("\n  ")
    if not checkbox:
        parts.append(f'<div class="utrecht-form-field__input">{field}</div>')
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped or rendered by a widget)


class KetenFormRenderer(TemplatesSetting):
    """Forms and fields through Keten's templates; the plainest widgets written directly.

    Text inputs, text areas, checkboxes, radio buttons, selects and the field wrapper
    (``forms/field.html``) are rendered in Python with exactly the markup of their templates: a form
    otherwise costs a template per field and a template include per option of a select.
    """

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in _INPUT_TEMPLATES:
            return _input_html(context["widget"])
        if template_name == _SELECT_TEMPLATE:
            return _select_html(context["widget"])
        if template_name in _OPTION_TEMPLATES:
            return _option_html(context["widget"])
        if template_name == _TEXTAREA_TEMPLATE:
            return _textarea_html(context["widget"])
        if template_name == _FIELD_TEMPLATE and set(context) == {"field"}:
            return _field_html(context["field"])
        return super().render(template_name, context, request=request)


if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class KetenFormMixin(_FormBase):
    """Adds the Utrecht classes to every widget; marks invalid fields for assistive technology.

    Mixed into a form class (``KetenForm``, the two-factor forms); typed as one for the checker only.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for klass, c in _WIDGET_CLASSES.items() if isinstance(widget, klass)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{existing} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
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
