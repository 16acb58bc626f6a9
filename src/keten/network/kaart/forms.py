"""Forms of the sociale kaart pages. They check input shape; the rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import OrganisationType, Role
from keten.core.forms import KetenForm
from keten.network.models import AgreementType, ContactRequest


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, to give it the choices of the moment."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(KetenForm):
    q = forms.CharField(label=_("Zoekterm"), required=False, max_length=100)
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    postcode = forms.CharField(
        label=_("Postcode"), required=False, max_length=7, help_text=_("Bijvoorbeeld 1234 AB of 1234.")
    )
    soort = forms.ChoiceField(label=_("Soort organisatie"), required=False)
    rol = forms.ChoiceField(label=_("Rol"), required=False)
    leeftijd = forms.IntegerField(label=_("Leeftijd"), required=False, min_value=0, max_value=120)

    def __init__(self, *args: Any, wijken: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "wijk").choices = [("", _("Alle wijken")), *wijken]
        choice_field(self, "soort").choices = [("", _("Alle soorten")), *OrganisationType.choices]
        choice_field(self, "rol").choices = [("", _("Alle rollen")), *Role.choices]


class EntryForm(KetenForm):
    description = forms.CharField(label=_("Beschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    visiting_address = forms.CharField(label=_("Bezoekadres"), required=False, max_length=200)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    phone = forms.CharField(label=_("Telefoon"), required=False, max_length=40)
    secure_email = forms.EmailField(
        label=_("Beveiligde e-mail"), required=False, help_text=_("Bijvoorbeeld een Zorgmail- of ZIVVER-adres.")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    opening_hours = forms.CharField(label=_("Bereikbaarheid"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expertise = forms.CharField(
        label=_("Expertise"), required=False, max_length=1000, help_text=_("Korte labels, gescheiden door komma's.")
    )
    age_min = forms.IntegerField(label=_("Leeftijd vanaf"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Leeftijd tot en met"), required=False, min_value=0, max_value=120)
    is_public = forms.BooleanField(label=_("Openbaar tonen op de routekaart"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EntryEditorForm(KetenForm):
    """Add a designated editor: a member of the organisation who may keep its entry up to date."""

    user = forms.TypedChoiceField(
        label=_("Medewerker"),
        coerce=int,
        help_text=_("Deze medewerker mag de gegevens van de organisatie bijwerken en bevestigen."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "user").choices = [("", _("Kies een medewerker")), *people]


class ContactRequestForm(KetenForm):
    kind = forms.ChoiceField(label=_("Soort vraag"), choices=ContactRequest.Kind.choices)
    to_user = forms.TypedChoiceField(label=_("Aan"), required=False, coerce=int, empty_value=None)
    message = forms.CharField(
        label=_("Korte vraag"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zet hier geen gegevens van cliënten: geen namen, geboortedata, adressen of BSN."),
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "to_user").choices = [("", _("De organisatie (aandachtsfunctionarissen)")), *people]


class AgreementForm(KetenForm):
    type = forms.ChoiceField(label=_("Soort afspraak"), choices=AgreementType.choices)
    title = forms.CharField(label=_("Titel"), max_length=200)
    parties = forms.TypedMultipleChoiceField(label=_("Partijen"), coerce=int, help_text=_("Minstens twee."))
    wijken = forms.TypedMultipleChoiceField(
        label=_("Wijken"), coerce=int, required=False, help_text=_("Leeg: de afspraak geldt voor de hele gemeente.")
    )
    promise = forms.CharField(label=_("Afspraak"), widget=forms.Textarea(attrs={"rows": 4}))
    start_date = forms.DateField(label=_("Ingangsdatum"), widget=_DATE)
    review_date = forms.DateField(label=_("Evaluatiedatum"), required=False, widget=_DATE)
    end_date = forms.DateField(label=_("Einddatum"), required=False, widget=_DATE)
    bestuurlijk_vastgesteld = forms.BooleanField(label=_("Bestuurlijk vastgesteld"), required=False)
    source_url = forms.URLField(label=_("Brondocument (link)"), required=False, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, organisations: list[tuple[int, str]], wijken: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "parties").choices = organisations
        choice_field(self, "wijken").choices = wijken
