"""Keten's form renderer writes text inputs and selects itself: the markup must equal Django's templates."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.forms.renderers import TemplatesSetting

from keten.core.forms import KetenForm, KetenFormRenderer


class Sample(KetenForm):
    q = forms.CharField(label="Zoek", required=False, max_length=10)
    n = forms.IntegerField(label="Aantal", required=False, min_value=0)
    mail = forms.EmailField(label="E-mail", required=False)
    day = forms.DateField(label="Datum", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.IntegerField(widget=forms.HiddenInput, required=False)
    pick = forms.ChoiceField(
        label="Keuze",
        required=False,
        choices=[("", "Alle"), ("a", 'A & "b" <c>'), ("Groep", [("x", "X"), ("y", "Y")])],
    )
    many = forms.MultipleChoiceField(label="Meer", required=False, choices=[("1", "Een"), ("2", "Twee")])
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A <x>"), ("b", "B")], widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(
        label="Meerdere", required=False, choices=[("1", "Een"), ("2", "Twee")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="Ik ga <akkoord>", help_text="Lees & teken")
    note = forms.CharField(label="Toelichting", widget=forms.Textarea, help_text="Kort <graag>")


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def _both(form: forms.Form) -> list[tuple[str, str]]:
    ours, django = KetenFormRenderer(), TemplatesSetting()
    pairs = []
    for bound in form:
        widget = bound.field.widget
        context = widget.get_context(bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id}))
        pairs.append(
            (
                ours.render(widget.template_name, context),
                django.render(widget.template_name, context),
            )
        )
        for option in bound.subwidgets:
            for wrap in (False, True):
                data = {"widget": {**option.data, "wrap_label": wrap}}
                pairs.append(
                    (ours.render(option.data["template_name"], data), django.render(option.data["template_name"], data))
                )
    return pairs


def test_inputs_and_selects_match_django_markup() -> None:
    forms_to_check = [
        Sample(),
        Sample(
            data={
                "q": 'a"<b>&',
                "n": "3",
                "mail": "x@example.org",
                "day": date(2026, 1, 2).isoformat(),
                "hidden": "7",
                "pick": "y",
                "many": ["1", "2"],
                "kind": "a",
                "several": ["2"],
                "agree": "on",
                "note": 'Regel 1\n<b>"twee"</b>',
            }
        ),
        Sample(data={"n": "-1", "mail": "geen mail", "pick": "zz"}),
    ]
    for form in forms_to_check:
        form.is_valid()
        for ours, django in _both(form):
            assert _squash(ours) == _squash(django)


def test_values_are_escaped() -> None:
    form = Sample(data={"q": '"><script>alert(1)</script>'})
    html = str(form["q"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;c&gt;" in str(form["pick"])


def test_field_wrapper_matches_the_template() -> None:
    from django.template.loader import render_to_string

    for form in (Sample(), Sample(data={"n": "x", "mail": "nee", "note": ""})):
        form.is_valid()
        for bound in form:
            ours = KetenFormRenderer().render("forms/field.html", bound.get_context())
            template = render_to_string("forms/field.html", bound.get_context())
            assert _squash(ours) == _squash(template), bound.name
