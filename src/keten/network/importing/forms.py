"""Forms of the sociale kaart beheer pages: upload, confirm an import, add a postcode range."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm
from keten.network.importing.reading import MAX_FILE_BYTES
from keten.network.kaart.forms import choice_field


class UploadForm(KetenForm):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een CSV-bestand (UTF-8, gescheiden door ; of ,) of een Excel-bestand (.xlsx), hoogstens 2 MB."),
        error_messages={
            "required": _("Kies een bestand om te importeren."),
            "empty": _("Het gekozen bestand is leeg."),
            "invalid": _("Kies een bestand om te importeren."),
        },
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)d MB. Splits het in kleinere bestanden."),
                params={"mb": MAX_FILE_BYTES // (1024 * 1024)},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."))
        return upload


class ConfirmImportForm(KetenForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    only_valid = forms.BooleanField(
        label=_("Alleen de geldige rijen importeren"),
        required=False,
        help_text=_("De rijen met een fout worden dan overgeslagen."),
    )

    def __init__(self, *args: Any, has_errors: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_errors:
            self.fields["only_valid"].widget = forms.HiddenInput()


class PostcodeRangeForm(KetenForm):
    wijk = forms.TypedChoiceField(
        label=_("Wijk"),
        coerce=int,
        error_messages={"required": _("Kies een wijk."), "invalid_choice": _("Kies een wijk uit de lijst.")},
    )
    start = forms.IntegerField(
        label=_("Van postcode"),
        min_value=1000,
        max_value=9999,
        help_text=_("Vier cijfers, bijvoorbeeld 3500."),
        error_messages={
            "required": _("Vul het eerste postcodenummer in."),
            "invalid": _("Vul een postcodenummer van vier cijfers in."),
            "min_value": _("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."),
            "max_value": _("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."),
        },
    )
    end = forms.IntegerField(
        label=_("Tot en met postcode"),
        min_value=1000,
        max_value=9999,
        help_text=_("Vier cijfers, bijvoorbeeld 3519."),
        error_messages={
            "required": _("Vul het laatste postcodenummer in."),
            "invalid": _("Vul een postcodenummer van vier cijfers in."),
            "min_value": _("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."),
            "max_value": _("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."),
        },
    )

    def __init__(self, *args: Any, wijken: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "wijk").choices = [("", _("Kies een wijk")), *wijken]
