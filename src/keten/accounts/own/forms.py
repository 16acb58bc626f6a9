"""Forms of a person's own account: set-up link, password change, replacing the authenticator app.

They check input shape only; the rules (current password, codes, password strength) are in the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keten.core.forms import KetenForm


def _code_field(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=16,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Vul de code in.")},
    )


def _password_field(label: Any, *, autocomplete: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=256,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": _("Vul een wachtwoord in.")},
    )


class NewPasswordMixin(KetenForm):
    password1 = _password_field(
        _("Nieuw wachtwoord"),
        autocomplete="new-password",
        help_text=_("Minstens 12 tekens; geen veelgebruikt wachtwoord en niet alleen cijfers."),
    )
    password2 = _password_field(_("Nieuw wachtwoord nog een keer"), autocomplete="new-password")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet hetzelfde."))
        return cleaned


class SetupLinkForm(NewPasswordMixin):
    code = _code_field(
        _("Code uit uw authenticator-app"),
        _("De code van 6 cijfers die de app toont nadat u de QR-code heeft gescand."),
    )


class PasswordChangeForm(NewPasswordMixin):
    current_password = _password_field(_("Huidig wachtwoord"), autocomplete="current-password")
    code = _code_field(
        _("Code uit uw authenticator-app"), _("De code van 6 cijfers die uw app nu toont, of een reservecode.")
    )
    field_order = ["current_password", "code", "password1", "password2"]


class DeviceReplaceForm(KetenForm):
    current_code = _code_field(
        _("Code uit uw huidige app"), _("De code die uw huidige authenticator-app nu toont, of een reservecode.")
    )
    code = _code_field(
        _("Code uit uw nieuwe app"),
        _("De code van 6 cijfers die de nieuwe app toont nadat u de QR-code heeft gescand."),
    )
