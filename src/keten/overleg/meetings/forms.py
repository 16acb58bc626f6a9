"""Forms of meetings: planning an extra one, cancelling, the attendance list and the agenda."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg.forms import (
    required_message,
    set_choices,
)


class MeetingCreateForm(KetenForm):
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)


class CancelMeetingForm(KetenForm):
    reason = forms.CharField(
        label=_("Reden van afgelasting"),
        max_length=300,
        error_messages=required_message(_("Geef de reden van de afgelasting.")),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AttendeeForm(KetenForm):
    user = forms.TypedChoiceField(
        label=_("Wie komt op de deelnemerslijst?"),
        coerce=int,
        error_messages=required_message(_("Kies een medewerker van een deelnemende organisatie.")),
    )

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "user",
            [
                ("", _("— kies —")),
                *[(u.pk, u.get_full_name() or u.username) for u in people],
            ],
        )


class RemoveFromAgendaForm(KetenForm):
    reason = forms.CharField(
        label=_("Waarom gaat de casus van deze agenda?"),
        max_length=300,
        error_messages=required_message(_("Geef de reden waarom de casus van de agenda gaat.")),
    )
