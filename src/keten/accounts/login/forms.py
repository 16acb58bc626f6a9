"""Dutch, NL Design System versions of the two-factor login forms, and the code step after single sign-on
(enrolment: ``keten.accounts.own.forms``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp.forms import OTPAuthenticationFormMixin
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm

from keten.core.forms import KetenForm, KetenFormMixin

_OTP_MESSAGES = {
    **OTPAuthenticationFormMixin.otp_error_messages,
    "token_required": _("Vul de code in."),
    "invalid_token": _("Deze code klopt niet. Vul de code in die uw app nu toont."),
    "n_failed_attempts": ngettext_lazy(
        "Na %(failure_count)d verkeerde code kunt u even geen code invullen. Probeer het zo opnieuw.",
        "Na %(failure_count)d verkeerde codes kunt u even geen code invullen. Probeer het zo opnieuw.",
        "failure_count",
    ),
    "verification_not_allowed": _("Inloggen met een code is op dit moment niet mogelijk. Probeer het later opnieuw."),
}


class KetenAuthenticationForm(KetenFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "De gebruikersnaam of het wachtwoord klopt niet. Let op: na enkele mislukte pogingen wordt uw account "
            "tijdelijk geblokkeerd."
        ),
        "inactive": _("Dit account is niet actief. Neem contact op met de functioneel beheerder."),
    }

    # Explicit signatures: the two-factor wizard inspects them to decide which arguments to pass.
    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")


class KetenTokenForm(KetenFormMixin, AuthenticationTokenForm):
    otp_error_messages = _OTP_MESSAGES

    def __init__(self, user: Any, initial_device: Any, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.fields["otp_token"].label = _("Code uit uw authenticator-app")
        self.fields["otp_token"].error_messages.update(
            {
                "required": _("Vul de code in."),
                "invalid": _("De code bestaat alleen uit cijfers."),
                "min_length": _("De code heeft 6 cijfers."),
                "max_length": _("De code heeft 6 cijfers."),
            }
        )


class KetenBackupTokenForm(KetenFormMixin, BackupTokenForm):
    otp_error_messages = {
        **_OTP_MESSAGES,
        "invalid_token": _("Deze reservecode klopt niet of is al gebruikt."),
    }

    def __init__(self, user: Any, initial_device: Any, **kwargs: Any) -> None:
        super().__init__(user, initial_device, **kwargs)
        self.fields["otp_token"].label = _("Reservecode")
        self.fields["otp_token"].error_messages["required"] = _("Vul een reservecode in.")


class OtpVerifyForm(KetenForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("De code van 6 cijfers uit uw authenticator-app, of een reservecode."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
