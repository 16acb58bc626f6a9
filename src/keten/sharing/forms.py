"""Forms of informatie delen. They only check the shape of the input; the rules live in services and deelhulp."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import OrganisationType
from keten.core.forms import KetenForm
from keten.sharing.deelhulp import CONFLICT_QUESTIONS, NOT_INFORMING_REASONS
from keten.sharing.models import Consent, DataCategory, GiverRole, LegalBasis

YES_NO = [("", _("Nog niet beantwoord")), ("ja", _("Ja")), ("nee", _("Nee"))]
FLOW_SLOTS = 3


class ChoiceFieldsets:
    """Checkbox lists and radio buttons as a fieldset with a legend, one label per option."""

    fields: dict[str, forms.Field]

    def use_fieldsets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.template_name = "keten/_choice_field.html"  # type: ignore[attr-defined]  # not in the stubs
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput):
                widget.use_required_attribute = lambda initial: False  # type: ignore[method-assign]


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ConsentForm(ChoiceFieldsets, KetenForm):
    giver = forms.TypedChoiceField(label=_("Wie geeft toestemming?"), coerce=int)
    giver_role = forms.ChoiceField(label=_("In welke rol?"), choices=GiverRole.choices)
    about = forms.TypedChoiceField(label=_("Over wie gaat de toestemming?"), coerce=int)
    purpose = forms.CharField(label=_("Voor welk doel?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    recipients = forms.TypedMultipleChoiceField(
        label=_("Aan welke organisaties mag u delen?"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    form = forms.ChoiceField(label=_("Hoe is de toestemming gegeven?"), choices=Consent.Form.choices)
    given_on = _date(_("Gegeven op"))
    valid_until = _date(
        _("Geldig tot en met"), required=False, help_text=_("Leeg: tot de toestemming wordt ingetrokken.")
    )

    def __init__(self, *args: Any, persons: list[tuple[int, str]], organisations: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["giver"]).choices = persons
        cast(forms.ChoiceField, self.fields["about"]).choices = persons
        cast(forms.ChoiceField, self.fields["recipients"]).choices = organisations
        self.use_fieldsets()


class WithdrawForm(KetenForm):
    withdrawn_on = _date(_("Ingetrokken op"))


class DeelhulpForm(ChoiceFieldsets, KetenForm):
    """All questions of the deelhulp, in the order the page shows them."""

    # 1. To whom and why.
    recipient_organisation = forms.TypedChoiceField(label=_("Aan welke organisatie wilt u iets vertellen?"), coerce=int)
    recipient_user = forms.TypedChoiceField(
        label=_("Aan welke professional? (als die in Keten werkt)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Die professional kan dan een beperkte tijd precies het gedeelde deel van het dossier inzien."),
    )
    purpose = forms.CharField(
        label=_("Waarom wilt u dit delen? Wat wilt u ermee bereiken?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    about_violence = forms.BooleanField(
        label=_("Het gaat om een melding of advies over huiselijk geweld of kindermishandeling"), required=False
    )
    # 2. What.
    about = forms.TypedMultipleChoiceField(
        label=_("Over wie gaat het?"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.MultipleChoiceField(
        label=_("Welke gegevens wilt u delen?"), choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    needed = forms.MultipleChoiceField(
        label=_("Welke gegevens heeft de ontvanger echt nodig voor dit doel?"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    less_is_enough = forms.BooleanField(
        label=_("Het doel is ook te bereiken met minder gegevens (bijvoorbeeld alleen dát er zorgen zijn)"),
        required=False,
    )
    # 4. Informing the client.
    inform_client = forms.ChoiceField(
        label=_("Vertelt u de ouders (en de jongere vanaf 12 jaar) dat u deelt?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        widget=forms.RadioSelect,
        initial="ja",
    )
    not_informing_reason = forms.ChoiceField(
        label=_("Zo nee: waarom niet?"),
        choices=[("", "—"), *NOT_INFORMING_REASONS.items()],
        required=False,
    )
    # 5. Recording the disclosure.
    shared_on = _date(_("Datum van delen"), required=False)
    client_informed_on = _date(_("Ingelicht op"), required=False)
    not_informed_reason = forms.CharField(
        label=_("Toelichting waarom de cliënt niet is ingelicht"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    no_consent_reason = forms.CharField(
        label=_("Waarom deelt u zonder toestemming?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )
    items = forms.CharField(
        label=_("Welke gegevens precies? (één per regel)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    grant_days = forms.IntegerField(
        label=_("Hoeveel dagen mag de professional het gedeelde deel inzien?"),
        min_value=1,
        max_value=90,
        required=False,
        initial=14,
    )
    legal_basis = forms.ChoiceField(
        label=_("Grondslag (alleen als u afwijkt van het advies)"),
        choices=[("", "—"), *LegalBasis.choices],
        required=False,
    )
    override_motivation = forms.CharField(
        label=_("Waarom wijkt u af van het advies?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(
        self,
        *args: Any,
        persons: list[tuple[int, str]],
        organisations: list[tuple[int, str]],
        professionals: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["about"]).choices = persons
        cast(forms.ChoiceField, self.fields["recipient_organisation"]).choices = [("", "—"), *organisations]
        cast(forms.ChoiceField, self.fields["recipient_user"]).choices = [
            ("", _("Geen / werkt niet in Keten")),
            *professionals,
        ]
        for key, question, _ok in CONFLICT_QUESTIONS:
            self.fields[f"conflict_{key}"] = forms.ChoiceField(label=str(question), choices=YES_NO, required=False)
            self.fields[f"conflict_{key}"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.use_fieldsets()

    def conflict_fields(self) -> list[Any]:
        return [self[f"conflict_{key}"] for key, _q, _ok in CONFLICT_QUESTIONS]

    def conflict_answers(self) -> dict[str, bool]:
        data = self.cleaned_data
        return {
            key: data[f"conflict_{key}"] == "ja" for key, _q, _ok in CONFLICT_QUESTIONS if data.get(f"conflict_{key}")
        }


class DisclosureFilterForm(KetenForm):
    basis = forms.ChoiceField(label=_("Grondslag"), choices=[("", _("Alle")), *LegalBasis.choices], required=False)
    periode = forms.ChoiceField(
        label=_("Periode"),
        choices=[
            ("", _("Alles")),
            ("30", _("Laatste 30 dagen")),
            ("90", _("Laatste 3 maanden")),
            ("365", _("Laatste jaar")),
        ],
        required=False,
    )


class ConvenantForm(ChoiceFieldsets, KetenForm):
    title = forms.CharField(label=_("Titel"), max_length=200)
    parties = forms.TypedMultipleChoiceField(
        label=_("Partijen"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    purposes = forms.CharField(
        label=_("Doelen van de samenwerking (één per regel)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    start_date = _date(_("Ingangsdatum"))
    end_date = _date(_("Einddatum"), required=False)
    document_url = forms.URLField(label=_("Link naar het convenant"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, organisations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parties"]).choices = organisations
        for n in range(1, FLOW_SLOTS + 1):
            self.fields[f"flow{n}_from_types"] = forms.MultipleChoiceField(
                label=_("Van soort organisatie"), choices=OrganisationType.choices, required=False
            )
            self.fields[f"flow{n}_to_types"] = forms.MultipleChoiceField(
                label=_("Naar soort organisatie"), choices=OrganisationType.choices, required=False
            )
            self.fields[f"flow{n}_purpose"] = forms.CharField(label=_("Doel"), max_length=300, required=False)
            self.fields[f"flow{n}_categories"] = forms.MultipleChoiceField(
                label=_("Gegevens"), choices=DataCategory.choices, required=False
            )
            self.fields[f"flow{n}_legal_basis"] = forms.ChoiceField(
                label=_("Grondslag"), choices=[("", "—"), *LegalBasis.choices], required=False
            )
            self.fields[f"flow{n}_legal_reference"] = forms.CharField(
                label=_("Wetsartikel"), max_length=200, required=False
            )
            for name in ("from_types", "to_types", "categories", "legal_basis"):
                self.fields[f"flow{n}_{name}"].widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        self.use_fieldsets()

    def flow_groups(self) -> list[tuple[int, list[Any]]]:
        names = ("from_types", "to_types", "purpose", "categories", "legal_basis", "legal_reference")
        return [(n, [self[f"flow{n}_{name}"] for name in names]) for n in range(1, FLOW_SLOTS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, FLOW_SLOTS + 1):
            used = any(data.get(f"flow{n}_{name}") for name in ("from_types", "to_types", "purpose", "categories"))
            if used and not data.get(f"flow{n}_legal_basis"):
                self.add_error(
                    f"flow{n}_legal_basis",
                    _("Gegevensstroom %(n)d heeft geen grondslag. Elke stroom heeft een wettelijke grondslag nodig.")
                    % {"n": n},
                )
        return data
