"""The code step for a user who is signed in (e.g. through single sign-on) but gave no second factor yet."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from keten.core import audit
from keten.core.access import signed_in
from keten.core.actor import actor_for_user
from keten.core.forms import KetenForm
from keten.core.models import AuditAction


class OtpVerifyForm(KetenForm):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("De code van 6 cijfers uit uw authenticator-app, of een reservecode."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@signed_in(
    "the second-factor step of a session that passed the password (or single sign-on): it checks a code of the "
    "person's own app and shows nothing else; django-otp throttles wrong codes per device"
)
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        form.add_error("code", _("Deze code klopt niet of is verlopen. Vul de code in die uw app nu toont."))
        audit.record(
            actor=actor_for_user(request.user),  # type: ignore[arg-type]
            action=AuditAction.LOGIN_FAILED,
            object_type="user",
            object_id=request.user.pk,  # type: ignore[arg-type]
            details={"step": "otp"},
        )
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)
