"""Forms of a case in the overleg: registering it, the chair's triage, its casusregisseur, planning and closing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg.forms import (
    ChoiceTemplatesForm,
    required_message,
    set_choices,
    set_widget_choices,
    textarea,
)
from keten.overleg.registrations import services


class ChooseOverlegForm(KetenForm):
    overleg = forms.TypedChoiceField(label=_("Voor welk overleg meldt u de casus aan?"), coerce=int)

    def __init__(self, *args: Any, overleg_types: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "overleg", [(t.pk, f"{t.name} ({t.get_kind_display()})") for t in overleg_types])


class RegistrationForm(ChoiceTemplatesForm):
    dossier = forms.ChoiceField(
        label=_("Dossier van het gezin"),
        error_messages=required_message(_("Kies een dossier van het gezin waarvan u in het casusteam zit.")),
    )
    process_step = forms.TypedChoiceField(
        label=_("In welke processtap bevindt de casus zich?"),
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages=required_message(_("Kies in welke processtap de casus zich bevindt.")),
    )
    criteria = forms.CharField(
        label=_("Welke criteria van deze stap zijn van toepassing?"),
        required=False,
        max_length=5000,
        widget=textarea(),
    )
    reason = forms.CharField(
        label=_("Reden van aanmelding"),
        max_length=5000,
        widget=textarea(4),
        error_messages=required_message(_("Beschrijf waarom u de casus aanmeldt.")),
    )
    goal = forms.CharField(
        label=_("Doel"),
        max_length=5000,
        widget=textarea(),
        help_text=_("Wat moet het overleg opleveren?"),
        error_messages=required_message(_("Beschrijf wat het overleg moet opleveren (het doel).")),
    )
    partners = forms.TypedMultipleChoiceField(
        label=_("Partners om uit te nodigen"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    family_informed = forms.TypedChoiceField(
        label=_("Is het gezin geïnformeerd over de aanmelding?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        initial="ja",
        widget=forms.RadioSelect,
    )
    family_not_informed_reason = forms.CharField(
        label=_("Waarom is het gezin niet geïnformeerd?"),
        required=False,
        max_length=5000,
        widget=textarea(2),
        help_text=_("Verplicht als het gezin niet is geïnformeerd."),
    )

    def __init__(
        self,
        *args: Any,
        steps: Sequence[Any],
        partners: Iterable[Any],
        dossiers: Sequence[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if dossiers is None:
            del self.fields["dossier"]
        else:
            set_choices(self, "dossier", [("", _("— kies een dossier —")), *dossiers])
        if steps:
            set_choices(
                self,
                "process_step",
                [(s.pk, f"{s.order}. {s.name}" + (f" — {s.criteria}" if s.criteria else "")) for s in steps],
            )
        else:
            del self.fields["process_step"]
        set_choices(self, "partners", [(o.pk, o.name) for o in partners])
        self.use_choice_templates()

    def data_object(self, match_id: int | None = None) -> services.RegistrationData:
        d = self.cleaned_data
        return services.RegistrationData(
            reason=d["reason"],
            goal=d["goal"],
            process_step_id=d.get("process_step"),
            criteria=d.get("criteria") or "",
            invited_organisation_ids=list(d.get("partners") or []),
            family_informed=d.get("family_informed") != "nee",
            family_not_informed_reason=d.get("family_not_informed_reason") or "",
            match_id=match_id,
        )


# --- triage -----------------------------------------------------------------------------------


class AdmitForm(KetenForm):
    #: Any meeting id: the service answers a cancelled or past meeting with its own message.
    meeting = forms.IntegerField(label=_("Op de agenda van de bijeenkomst van"), widget=forms.Select)
    casusregisseur = forms.TypedChoiceField(label=_("Casusregisseur"), coerce=int, empty_value=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, meetings: Iterable[Any], people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_widget_choices(
            self, "meeting", [(m.pk, timezone.localtime(m.starts_at).strftime("%d-%m-%Y %H:%M")) for m in meetings]
        )
        set_choices(
            self,
            "casusregisseur",
            [
                ("", _("— later kiezen —")),
                *[(u.pk, u.get_full_name() or u.username) for u in people],
            ],
        )


class DeclineForm(KetenForm):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        max_length=2000,
        widget=textarea(2),
        error_messages=required_message(_("Geef de reden van de afwijzing.")),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CasusregisseurForm(KetenForm):
    casusregisseur = forms.TypedChoiceField(
        label=_("Casusregisseur"), coerce=int, error_messages=required_message(_("Kies de casusregisseur."))
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "casusregisseur",
            [
                ("", _("— kies —")),
                *[(u.pk, u.get_full_name() or u.username) for u in people],
            ],
        )


class CloseRegistrationForm(KetenForm):
    reason = forms.CharField(
        label=_("Waarom verlaat de casus het overleg?"),
        max_length=5000,
        widget=textarea(2),
        error_messages=required_message(_("Geef de reden waarom de casus het overleg verlaat.")),
    )
    follow_up = forms.CharField(
        label=_("Wie blijft contact houden met het gezin?"),
        max_length=5000,
        widget=textarea(2),
        error_messages=required_message(_("Leg vast wie contact houdt met het gezin.")),
    )
    follow_up_organisation = forms.TypedChoiceField(
        label=_("Organisatie die contact houdt"), coerce=int, empty_value=None, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, organisations: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "follow_up_organisation",
            [
                ("", _("— geen organisatie gekozen —")),
                *[(o.pk, o.name) for o in organisations],
            ],
        )


class ScheduleForm(KetenForm):
    #: Any meeting id: the service answers a cancelled or past meeting with its own message.
    meeting = forms.IntegerField(label=_("Bijeenkomst"), widget=forms.Select)

    def __init__(self, *args: Any, meetings: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_widget_choices(
            self, "meeting", [(m.pk, timezone.localtime(m.starts_at).strftime("%d-%m-%Y %H:%M")) for m in meetings]
        )
