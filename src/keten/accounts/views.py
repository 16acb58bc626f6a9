"""Login with two-factor authentication, enrolment with backup codes and logout (beheer: beheer_views.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from two_factor.views import LoginView, SetupCompleteView, SetupView

from keten.accounts.services import backup_codes_issue
from keten.accounts.two_factor_forms import (
    KetenAuthenticationForm,
    KetenBackupTokenForm,
    KetenTokenForm,
    KetenTOTPDeviceForm,
)
from keten.core.actor import actor_for_user

BACKUP_CODES_SESSION_KEY = "keten_new_backup_codes"


class KetenLoginView(LoginView):
    template_name = "two_factor/core/login.html"

    def get_form_list(self) -> Any:
        form_list = super().get_form_list()
        replacements = {
            self.AUTH_STEP: KetenAuthenticationForm,
            self.TOKEN_STEP: KetenTokenForm,
            self.BACKUP_STEP: KetenBackupTokenForm,
        }
        for step in form_list:
            if step in replacements:
                form_list[step] = replacements[step]
        return form_list

    def get_form(self, step: str | None = None, **kwargs: Any) -> Any:
        form = super().get_form(step=step, **kwargs)
        if (step or self.steps.current) == self.TOKEN_STEP and not isinstance(form, KetenTokenForm):
            self.form_list[self.TOKEN_STEP] = KetenTokenForm
            form = super().get_form(step=step, **kwargs)
        return form

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form, **kwargs)
        context["oidc_enabled"] = settings.KETEN_OIDC_ENABLED
        return context


class KetenSetupView(SetupView):
    """Enrol an authenticator app; afterwards hand out a fresh set of backup codes once."""

    def get_success_url(self) -> str:
        # Always the completion page, which shows the new backup codes once (never skip it via ?next=).
        return reverse("two_factor:setup_complete")

    def get_form_list(self) -> Any:
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = KetenTOTPDeviceForm
        return form_list

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        response = super().done(form_list, **kwargs)
        codes = backup_codes_issue(actor=actor_for_user(self.request.user))  # type: ignore[arg-type]
        self.request.session[BACKUP_CODES_SESSION_KEY] = codes
        return response


class KetenSetupCompleteView(SetupCompleteView):
    template_name = "two_factor/core/setup_complete.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
        return render(request, self.template_name, {"backup_codes": codes})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
