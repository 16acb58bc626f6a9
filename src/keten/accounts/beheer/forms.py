"""Forms of the beheer pages. They check input shape; the rules are in ``keten.accounts.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import ApiClient, OrganisationType, Role
from keten.core.forms import KetenForm

Choices = list[tuple[int, str]]


def _optional(choices: Choices, empty_label: Any) -> list[tuple[Any, Any]]:
    return [("", empty_label), *choices]


def _choose_from(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _checkbox_list(field: forms.Field) -> None:
    """A list of checkboxes, not a textbox: the class lands on the list and on each box, so keep it neutral."""
    field.widget.attrs["class"] = "keten-checkbox-list"


class OrganisationForm(KetenForm):
    name = forms.CharField(label=_("Naam"), max_length=200)
    type = forms.ChoiceField(label=_("Soort organisatie"), choices=OrganisationType.choices)
    wijken = forms.TypedMultipleChoiceField(
        label=_("Wijken"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De wijken waarin deze organisatie werkt."),
    )
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    #: When editing: the version the form was filled with (``keten.core.versions``).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, wijken: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "wijken", list(wijken))
        _checkbox_list(self.fields["wijken"])


class TeamForm(KetenForm):
    name = forms.CharField(label=_("Naam van het team"), max_length=200)
    wijk = forms.TypedChoiceField(label=_("Wijk"), required=False, coerce=int, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, wijken: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "wijk", _optional(wijken, _("Geen wijk")))


class WijkForm(KetenForm):
    name = forms.CharField(label=_("Naam van de wijk"), max_length=120)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("Bijvoorbeeld de CBS-wijkcode, zoals WK036301."))


class UserFields(KetenForm):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        help_text=_("Letters, cijfers en de tekens @ . + - _ (geen spaties)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Telefoon"), max_length=40, required=False)
    job_title = forms.CharField(
        label=_("Functie"), max_length=120, required=False, help_text=_("Bijvoorbeeld: jeugdverpleegkundige.")
    )


class UserCreateForm(UserFields):
    organisation = forms.TypedChoiceField(label=_("Organisatie"), coerce=int)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)

    def __init__(self, *args: Any, organisations: Choices, teams: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "organisation", _optional(organisations, _("Kies een organisatie")))
        _choose_from(self, "team", _optional(teams, _("Geen team")))


class UserEditForm(UserFields):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MembershipAddForm(KetenForm):
    organisation = forms.TypedChoiceField(label=_("Organisatie"), coerce=int)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)

    def __init__(self, *args: Any, organisations: Choices, teams: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self, "organisation", _optional(organisations, _("Kies een organisatie")))
        _choose_from(self, "team", _optional(teams, _("Geen team")))


class RoleForm(KetenForm):
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=Role.choices)


class AccountResetForm(KetenForm):
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        help_text=_(
            "Bijvoorbeeld: telefoon kwijt, wachtwoord vergeten of account misschien misbruikt. De reden komt in het "
            "auditlog en ziet de beheerder die het verzoek goedkeurt."
        ),
    )


class ResetDeclineForm(KetenForm):
    reason = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ApiClientForm(KetenForm):
    name = forms.CharField(
        label=_("Naam van het systeem"), max_length=120, help_text=_("Bijvoorbeeld: het cliëntsysteem van de JGZ.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _checkbox_list(self.fields["scopes"])


class ApiClientScopesForm(KetenForm):
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _checkbox_list(self.fields["scopes"])
