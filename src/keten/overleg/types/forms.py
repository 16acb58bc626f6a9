"""Forms of the overleg set-up: an overleg type and its process steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg.forms import (
    ChoiceTemplatesForm,
    required_message,
    set_choices,
    textarea,
)
from keten.overleg.models import OverlegKind
from keten.overleg.types import services

WEEKDAYS = [
    (1, _("maandag")),
    (2, _("dinsdag")),
    (3, _("woensdag")),
    (4, _("donderdag")),
    (5, _("vrijdag")),
    (6, _("zaterdag")),
    (7, _("zondag")),
]


class OverlegTypeForm(ChoiceTemplatesForm):
    name = forms.CharField(
        label=_("Naam van het overleg"),
        max_length=200,
        error_messages=required_message(_("Geef het overleg een naam.")),
    )
    kind = forms.ChoiceField(label=_("Soort overleg"), choices=OverlegKind.choices)
    lead_organisation = forms.TypedChoiceField(
        label=_("Organisatie die het overleg voert"), coerce=int, empty_value=None
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Deelnemende organisaties"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.TypedChoiceField(label=_("Voorzitter"), coerce=int, empty_value=None, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Vaste weekdagen"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Het overleg wordt op deze dagen automatisch gepland, zes weken vooruit."),
    )
    start_time = forms.TimeField(
        label=_("Aanvangstijd"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Duur in minuten"), initial=90, min_value=1, max_value=1440)
    location = forms.CharField(
        label=_("Locatie"),
        max_length=200,
        required=False,
        help_text=_("Alleen de plaats: deze staat ook in de agenda van de deelnemers. Geen gegevens van gezinnen."),
    )
    online_link = forms.URLField(label=_("Link voor online deelname"), required=False, assume_scheme="https")
    convenant = forms.TypedChoiceField(label=_("Convenant"), coerce=int, empty_value=None, required=False)
    privacy_basis = forms.CharField(
        label=_("Grondslag voor het delen van gegevens"),
        required=False,
        max_length=5000,
        widget=textarea(),
        help_text=_("Verplicht als u geen convenant kiest."),
    )
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Any],
        chairs: Iterable[Any],
        convenants: Iterable[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = [(o.pk, o.name) for o in organisations]
        set_choices(self, "lead_organisation", [("", _("— kies —")), *orgs])
        set_choices(self, "members", orgs)
        set_choices(
            self,
            "chair",
            [
                ("", _("— nog niet gekozen —")),
                *[(u.pk, f"{u.get_full_name() or u.username}") for u in chairs],
            ],
        )
        set_choices(
            self,
            "convenant",
            [
                ("", _("— geen convenant —")),
                *[(c.pk, c.title) for c in convenants],
            ],
        )
        self.use_choice_templates()

    @staticmethod
    def initial_for(overleg_type: Any) -> dict[str, Any]:
        return {
            "name": overleg_type.name,
            "kind": overleg_type.kind,
            "lead_organisation": overleg_type.lead_organisation_id,
            "members": [o.pk for o in overleg_type.members.all()],
            "chair": overleg_type.chair_id,
            "weekdays": list(overleg_type.weekdays or []),
            "start_time": overleg_type.start_time,
            "duration_minutes": overleg_type.duration_minutes,
            "location": overleg_type.location,
            "online_link": overleg_type.online_link,
            "convenant": overleg_type.convenant_id,
            "privacy_basis": overleg_type.privacy_basis,
            "is_active": overleg_type.is_active,
        }

    def data_object(self) -> services.OverlegTypeData:
        d = self.cleaned_data
        return services.OverlegTypeData(
            name=d["name"],
            kind=d["kind"],
            lead_organisation_id=d["lead_organisation"],
            member_ids=list(d.get("members") or []),
            chair_id=d.get("chair"),
            weekdays=list(d.get("weekdays") or []),
            start_time=d.get("start_time"),
            duration_minutes=d["duration_minutes"],
            location=d.get("location") or "",
            online_link=d.get("online_link") or "",
            convenant_id=d.get("convenant"),
            privacy_basis=d.get("privacy_basis") or "",
            is_active=bool(d.get("is_active")),
        )


class ProcessStepForm(KetenForm):
    name = forms.CharField(
        label=_("Naam van de processtap"),
        max_length=120,
        error_messages=required_message(_("Geef de processtap een naam.")),
    )
    criteria = forms.CharField(
        label=_("Toelatingscriteria"),
        required=False,
        max_length=5000,
        widget=textarea(),
        help_text=_("Wanneer komt een casus in deze stap in het overleg?"),
    )
