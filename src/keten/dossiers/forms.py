"""Forms of the dossier pages. They check input shape; the rules are in services.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.crypto import validate_bsn
from keten.core.forms import KetenForm
from keten.dossiers.models import CaseRole, Dossier, Relation

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonFields(KetenForm):
    relation = forms.ChoiceField(label=_("Relatie tot het gezin"), choices=Relation.choices)
    first_name = forms.CharField(label=_("Voornaam"), max_length=120)
    last_name = forms.CharField(label=_("Achternaam"), max_length=160)
    date_of_birth = forms.DateField(label=_("Geboortedatum"), required=False, widget=_DATE)
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=11,
        validators=[validate_bsn],
        help_text=_("9 cijfers; wordt gecontroleerd met de elfproef."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Adres"), required=False, max_length=300)

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum kan niet in de toekomst liggen."))
        if value and value.year < 1900:
            raise forms.ValidationError(_("Deze geboortedatum is niet mogelijk."))
        return value


class PersonForm(PersonFields):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Ik heb gecontroleerd dat dit een andere persoon is"), required=False
    )


class DossierCreateForm(PersonFields):
    family_name = forms.CharField(
        label=_("Naam van het gezin"), max_length=200, help_text=_("Bijvoorbeeld: gezin De Vries.")
    )
    family_address = forms.CharField(label=_("Adres van het gezin"), required=False, max_length=300)
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    confirm_duplicate = forms.BooleanField(
        label=_("Ik heb gecontroleerd dat dit een andere persoon is"), required=False
    )

    field_order = [
        "family_name",
        "family_address",
        "wijk",
        "relation",
        "first_name",
        "last_name",
        "date_of_birth",
        "bsn",
    ]

    def __init__(self, *args: Any, wijken: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["wijk"]).choices = [("", _("Onbekend")), *wijken]
        self.fields["relation"].label = _("Eerste gezinslid: relatie")
        self.fields["address"].widget = forms.HiddenInput()


class DossierEditForm(KetenForm):
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    status = forms.ChoiceField(label=_("Status"), choices=Dossier.Status.choices)
    coordinator = forms.TypedChoiceField(label=_("Regievoerder"), required=False, coerce=int, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, team: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["coordinator"]).choices = [("", _("Nog niet gekozen"))] + [
            (m.user_id, f"{m.user} ({m.organisation.name})") for m in team
        ]


class NoteForm(KetenForm):
    text = forms.CharField(label=_("Nieuwe notitie"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class CaseTeamAddForm(KetenForm):
    user = forms.TypedChoiceField(label=_("Medewerker"), coerce=int)
    case_role = forms.ChoiceField(label=_("Rol in de casus"), choices=CaseRole.choices)

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["user"]).choices = [(u.pk, str(u)) for u in candidates]
