"""Forms of access outside the case team: break the glass, its review, and access requests. They only
check the shape of the input; the rules are in :mod:`keten.dossiers.access.break_glass` and
:mod:`keten.dossiers.access.requests`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.dossiers.models import CaseRole


class BreakGlassForm(KetenForm):
    reference = forms.CharField(label=_("Dossiernummer"), max_length=20)
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        help_text=_(
            "Waarom moet u dit dossier nu inzien? De regievoerder en de aandachtsfunctionarissen van het "
            "casusteam krijgen direct een melding; de reden wordt versleuteld bewaard en beoordeeld."
        ),
    )


class BreakGlassReviewForm(KetenForm):
    verdict = forms.ChoiceField(
        label=_("Oordeel"),
        choices=[("justified", _("Terecht gebruikt")), ("unjustified", _("Niet terecht gebruikt"))],
    )
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AccessRequestForm(KetenForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    motivation = forms.CharField(
        label=_("Waarom heeft u toegang nodig?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=1000,
        help_text=_("De regievoerder leest dit. Noem geen gegevens van het gezin die niet nodig zijn."),
    )


class AccessDecisionForm(KetenForm):
    decision = forms.ChoiceField(choices=[("accept", _("Toekennen")), ("decline", _("Afwijzen"))])
    case_role = forms.ChoiceField(
        label=_("Rol in de casus"), choices=CaseRole.choices, required=False, initial=CaseRole.HULPVERLENER
    )
