"""Forms of the checklist beheer (Dutch labels and errors; the service holds the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from keten.accounts.models import OrganisationType
from keten.core.forms import KetenForm
from keten.meldcode.models import Checklist, ChecklistKind

MAX_LINES = 300


def parse_item_lines(text: str) -> list[dict[str, str]]:
    """``code;groep;omschrijving`` per line (optionally ``;leeftijd`` as a fourth part) into items.

    Raises ``forms.ValidationError`` with the line number of the first line that is not right.
    """
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise forms.ValidationError(_("Voeg ten hoogste %(n)d regels tegelijk toe.") % {"n": MAX_LINES})
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) not in (3, 4) or not parts[0] or not parts[2]:
            raise forms.ValidationError(
                _("Regel %(n)d: schrijf code;groep;omschrijving (de groep mag leeg zijn).") % {"n": number}
            )
        if len(parts[0]) > 40:
            raise forms.ValidationError(_("Regel %(n)d: de code is langer dan 40 tekens.") % {"n": number})
        if parts[0] in seen:
            raise forms.ValidationError(
                _("Regel %(n)d: de code %(code)s staat al eerder in dit veld.") % {"n": number, "code": parts[0]}
            )
        seen.add(parts[0])
        items.append(
            {"code": parts[0], "group": parts[1], "label": parts[2], "age_band": parts[3] if len(parts) == 4 else ""}
        )
    return items


class ChecklistPublishForm(KetenForm):
    kind = forms.ChoiceField(label=_l("Soort lijst"), choices=ChecklistKind.choices)
    organisation_type = forms.ChoiceField(
        label=_l("Voor soort organisatie"),
        required=False,
        help_text=_l("Kies ‘Alle soorten’ voor de algemene lijst; een lijst voor één soort gaat daarvoor."),
    )
    title = forms.CharField(label=_l("Titel"), max_length=200)
    keep = forms.MultipleChoiceField(
        label=_l("Items die blijven"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("Vink een item uit om het uit de nieuwe versie te halen."),
    )
    items_text = forms.CharField(
        label=_l("Gewijzigde en nieuwe items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=60000,
        help_text=_l(
            "Eén item per regel: code;groep;omschrijving. Met een bestaande code past u de omschrijving of groep "
            "van dat item aan; met een nieuwe code voegt u een item toe."
        ),
    )

    def __init__(self, *args: Any, source: Checklist | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        type_field: Any = self.fields["organisation_type"]
        type_field.choices = [("", _("Alle soorten organisaties")), *OrganisationType.choices]
        source_items = source.items if source is not None else []
        keep_field: Any = self.fields["keep"]
        keep_field.choices = [(i["code"], f"{i['code']} — {i['label']}") for i in source_items]
        if source is not None and not self.is_bound:
            self.initial.update(
                kind=source.kind,
                organisation_type=source.organisation_type,
                title=source.title,
                keep=[i["code"] for i in source_items],
            )

    def clean_items_text(self) -> list[dict[str, str]]:
        return parse_item_lines(self.cleaned_data.get("items_text", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        source_items = self.source.items if self.source is not None else []
        keep = set(data.get("keep") or [])
        changes = {item["code"]: item for item in data.get("items_text") or []}
        items: list[dict[str, str]] = []
        for item in source_items:
            if item["code"] in changes:
                changed = changes.pop(item["code"])
                items.append({**item, **{k: v for k, v in changed.items() if v or k == "group"}})
            elif item["code"] in keep:
                items.append(dict(item))
        items.extend(changes.values())
        if not items:
            self.add_error("keep", _("Een lijst heeft minstens één item."))
        data["items"] = items
        return data
