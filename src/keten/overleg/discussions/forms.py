"""The form of a case's discussion record at a meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.overleg.discussions import services
from keten.overleg.forms import (
    textarea,
)


class DiscussionForm(KetenForm):
    summary = forms.CharField(label=_("Samenvatting van de bespreking"), required=False, widget=textarea())
    mensen = forms.CharField(label=_("Wie zijn de mensen?"), required=False, widget=textarea(2))
    feiten = forms.CharField(label=_("Wat zijn de feiten?"), required=False, widget=textarea(2))
    weging = forms.CharField(label=_("Hoe wegen we?"), required=False, widget=textarea(2))
    volgende_stappen = forms.CharField(label=_("Wat zijn de volgende stappen?"), required=False, widget=textarea(2))
    decisions = forms.CharField(label=_("Besluiten"), required=False, widget=textarea(2))

    def data_object(self) -> services.DiscussionData:
        d = self.cleaned_data
        return services.DiscussionData(
            summary=d.get("summary") or "",
            mensen=d.get("mensen") or "",
            feiten=d.get("feiten") or "",
            weging=d.get("weging") or "",
            volgende_stappen=d.get("volgende_stappen") or "",
            decisions=d.get("decisions") or "",
        )
