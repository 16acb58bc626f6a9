"""Login with two-factor authentication, the code step after single sign-on, and logout.

Beheer pages: ``keten.accounts.beheer``; a person's own account and set-up links: ``keten.accounts.own``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from two_factor.views import LoginView

from keten.accounts.login.forms import KetenAuthenticationForm, KetenBackupTokenForm, KetenTokenForm, OtpVerifyForm
from keten.accounts.models import User
from keten.core import audit
from keten.core.access import Access, signed_in
from keten.core.actor import actor_for_user
from keten.core.models import AuditAction


@method_decorator(login_not_required, name="dispatch")
class KetenLoginView(LoginView):
    template_name = "two_factor/core/login.html"
    keten_access = Access(
        public=True,
        why="the login itself: username and password, then the second factor; locked out per account and per "
        "source address after repeated failures (django-axes)",
    )

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
        context: dict[str, Any] = super().get_context_data(form, **kwargs)
        context["oidc_enabled"] = settings.KETEN_OIDC_ENABLED
        return context


@signed_in(
    "the second-factor step of a session that passed the password (or single sign-on): it checks a code of the "
    "person's own app and shows nothing else; django-otp throttles wrong codes per device"
)
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code step for a user who is signed in (e.g. through single sign-on) but gave no second factor yet."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        form.add_error("code", _("Deze code klopt niet of is verlopen. Vul de code in die uw app nu toont."))
        audit.record(
            actor=actor_for_user(user),
            action=AuditAction.LOGIN_FAILED,
            object_type="user",
            object_id=user.pk,
            details={"step": "otp"},
        )
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)


@signed_in("ends the own session; nothing else")
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
