"""Login with two-factor authentication, replacing the authenticator app, and logout.

Beheer pages: ``beheer_views.py``; a person's own account and set-up links: ``account_views.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from two_factor.views import LoginView, SetupCompleteView

from keten.accounts import enrolment
from keten.accounts.account_forms import DeviceReplaceForm
from keten.accounts.own_account import own_device_replace
from keten.accounts.two_factor_forms import (
    KetenAuthenticationForm,
    KetenBackupTokenForm,
    KetenTokenForm,
)
from keten.core.access import Access, PolicyRequiredMixin, requires, signed_in
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.forms import apply_domain_error
from keten.core.mfa import second_factor_done

BACKUP_CODES_SESSION_KEY = "keten_new_backup_codes"


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
        context = super().get_context_data(form, **kwargs)
        context["oidc_enabled"] = settings.KETEN_OIDC_ENABLED
        return context


_REPLACE_PURPOSE = "replace"


@requires("accounts.change_own_account")
@require_http_methods(["GET", "POST"])
def device_replace(request: HttpRequest) -> HttpResponse:
    """Replace the authenticator app: only in a verified session, and only with a current code again.

    A session that did not pass the second factor never gets here (``RequireTwoFactorMiddleware``).
    A person without an app sets one up only through a set-up link from their beheerder.
    """
    if not second_factor_done(request):  # defence in depth: the middleware already sends them away
        return redirect(reverse("otp_verify"))
    user = request.user
    if not enrolment.has_device(user):  # type: ignore[arg-type]
        messages.info(
            request,
            _("U heeft geen authenticator-app in Keten. Vraag uw functioneel beheerder om een instellink."),
        )
        return redirect("accounts:home")
    form = DeviceReplaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        hex_key = enrolment.pending_key(request.session, purpose=_REPLACE_PURPOSE)
        try:
            device, codes = own_device_replace(
                actor=actor_from_request(request),
                current_code=form.cleaned_data["current_code"],
                hex_key=hex_key,
                code=form.cleaned_data["code"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            enrolment.forget_key(request.session)
            # The security stamp changed: keep this session (every other one ends), verified with the new app.
            update_session_auth_hash(request, user)  # type: ignore[arg-type]
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            return redirect("two_factor:setup_complete")
    context = {
        "form": form,
        **enrolment.enrolment_context(request.session, purpose=_REPLACE_PURPOSE, account=user.get_username()),
    }
    response = render(request, "accounts/device_replace.html", context, status=422 if request.method == "POST" else 200)
    add_never_cache_headers(response)
    return response


class KetenSetupCompleteView(PolicyRequiredMixin, SetupCompleteView):
    """Shows the new backup codes once, after the app was replaced (they are kept in the session only)."""

    permission_required = "accounts.change_own_account"
    template_name = "two_factor/core/setup_complete.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
        response = render(request, self.template_name, {"backup_codes": codes})
        add_never_cache_headers(response)
        return response


@signed_in("ends the own session; nothing else")
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
