"""Forms of agreements: who does what by when, changing and closing one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg.forms import (
    ChoiceTemplatesForm,
    date_widget,
    required_message,
    set_choices,
    textarea,
)
from keten.overleg.models import AgreementStatus


def owner_choices(people: Iterable[Any], organisations: Iterable[Any]) -> list[Any]:
    """The owner of an agreement: a person ("u<id>") or an organisation ("o<id>"), in two groups."""
    return [
        ("", _("— kies wie de afspraak uitvoert —")),
        (_("Personen"), [(f"u{u.pk}", u.get_full_name() or u.username) for u in people]),
        (_("Organisaties"), [(f"o{o.pk}", o.name) for o in organisations]),
    ]


class AgreementForm(KetenForm):
    what = forms.CharField(
        label=_("Wat is er afgesproken?"),
        max_length=5000,
        widget=textarea(2),
        error_messages=required_message(_("Beschrijf wat er is afgesproken.")),
    )
    owner = forms.ChoiceField(
        label=_("Wie voert de afspraak uit?"),
        error_messages=required_message(_("Kies wie de afspraak uitvoert: een persoon of een organisatie.")),
    )
    due_on = forms.DateField(
        label=_("Uiterlijk op"),
        widget=date_widget(),
        error_messages=required_message(_("Vul de datum in waarop de afspraak uitgevoerd moet zijn.")),
    )

    def __init__(self, *args: Any, owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", owners)

    def owner_ids(self) -> tuple[int | None, int | None]:
        value = self.cleaned_data.get("owner") or ""
        if value.startswith("u") and value[1:].isdigit():
            return int(value[1:]), None
        if value.startswith("o") and value[1:].isdigit():
            return None, int(value[1:])
        return None, None


class AgreementUpdateForm(AgreementForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AgreementCloseForm(ChoiceTemplatesForm):
    status = forms.ChoiceField(
        label=_("Hoe is de afspraak afgerond?"),
        choices=[(AgreementStatus.DONE, _("Uitgevoerd")), (AgreementStatus.CANCELLED, _("Vervallen"))],
        initial=AgreementStatus.DONE,
        widget=forms.RadioSelect,
    )
    result = forms.CharField(
        label=_("Resultaat of reden"),
        max_length=5000,
        error_messages=required_message(_("Beschrijf het resultaat van de afspraak, of waarom hij is vervallen.")),
        widget=textarea(2),
        help_text=_("Wat is er gedaan, of waarom is de afspraak vervallen?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_choice_templates()
