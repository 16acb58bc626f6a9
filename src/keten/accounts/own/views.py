"""A person's own account: the account page, changing the password, replacing the authenticator app,
the page for a session without a second factor, and the set-up link page (open without login).

Each view declares who may reach it through ``keten.core.access``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from two_factor.views import SetupCompleteView

from keten.accounts import selectors
from keten.accounts.login import enrolment
from keten.accounts.login.setup_links import setup_link_complete
from keten.accounts.models import User
from keten.accounts.own.forms import DeviceReplaceForm, PasswordChangeForm, SetupLinkForm
from keten.accounts.own.services import own_device_replace, own_password_change
from keten.core import ratelimit
from keten.core.access import PolicyRequiredMixin, public, requires, signed_in
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.mfa import second_factor_done
from keten.core.requestcontext import client_ip_var

#: Requests to set-up link pages per client address per window (guessing a token is hopeless, but
#: the page should not be an oracle that can be hammered either).
SETUP_LINK_LIMIT = 30
SETUP_LINK_WINDOW_SECONDS = 15 * 60
BACKUP_CODES_SESSION_KEY = "keten_new_backup_codes"
_REPLACE_PURPOSE = "replace"


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _own_user(request: HttpRequest) -> User:
    """The signed-in person (the pages here are only for someone signed in)."""
    user = request.user
    assert isinstance(user, User)
    return user


@requires("accounts.change_own_account")
@require_GET
def account_home(request: HttpRequest) -> HttpResponse:
    context = {"has_two_factor": enrolment.has_device(_own_user(request))}
    return render(request, "accounts/account_home.html", context)


@requires("accounts.change_own_account")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    if not second_factor_done(request):  # defence in depth: RequireTwoFactorMiddleware already sends them away
        raise Http404
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            own_password_change(
                actor=actor_from_request(request),
                current_password=data["current_password"],
                code=data["code"],
                new_password=data["password1"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            # This session stays; every other session of the person ends (new password and stamp).
            update_session_auth_hash(request, _own_user(request))
            messages.success(request, _("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."))
            return redirect("accounts:home")
    status = 422 if request.method == "POST" else 200
    return _no_store(render(request, "accounts/password_change.html", {"form": form}, status=status))


@requires("accounts.change_own_account")
@require_http_methods(["GET", "POST"])
def device_replace(request: HttpRequest) -> HttpResponse:
    """Replace the authenticator app: only in a verified session, and only with a current code again.

    A session that did not pass the second factor never gets here (``RequireTwoFactorMiddleware``).
    A person without an app sets one up only through a set-up link from their beheerder.
    """
    if not second_factor_done(request):  # defence in depth: the middleware already sends them away
        return redirect(reverse("otp_verify"))
    user = _own_user(request)
    if not enrolment.has_device(user):
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
            update_session_auth_hash(request, user)
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


@signed_in(
    "the page for a session that signed in but has no authenticator app in Keten: it only says to ask for "
    "a set-up link or to log out, and shows nothing of the account"
)
@require_GET
def no_second_factor(request: HttpRequest) -> HttpResponse:
    """Signed in, but without an app in Keten: nothing to do here but get a set-up link or log out."""
    if not request.user.is_authenticated:
        return redirect("two_factor:login")
    if second_factor_done(request):
        return redirect("shell:dashboard")
    return render(request, "accounts/no_second_factor.html")


def _link_not_working(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "accounts/setup_link_invalid.html", status=404))


_SETUP_PURPOSE_PREFIX = "setup-link:"


@public(
    "the set-up link from the e-mail: the single-use, time-limited token in the address is the credential "
    "(an unknown, used or expired token gets the same 404 page), and requests are rate limited per address"
)
@require_http_methods(["GET", "POST"])
def setup_link(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a password and enrol an app with a set-up link from the e-mail (no login needed)."""
    address = client_ip_var.get() or "unknown"
    limited = ratelimit.hit(
        f"setup-link:ip:{address}", limit=SETUP_LINK_LIMIT, window_seconds=SETUP_LINK_WINDOW_SECONDS
    )
    if not limited.allowed:
        response = render(request, "accounts/setup_link_throttled.html", status=429)
        response["Retry-After"] = str(limited.retry_after)
        return _no_store(response)
    link = selectors.setup_link_for_token(token=token)
    if link is None:
        return _link_not_working(request)
    purpose = f"{_SETUP_PURPOSE_PREFIX}{link.pk}"
    form = SetupLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = setup_link_complete(
                link=link,
                password=form.cleaned_data["password1"],
                hex_key=enrolment.pending_key(request.session, purpose=purpose),
                code=form.cleaned_data["code"],
            )
        except NotFoundError:
            return _link_not_working(request)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            # Whoever was signed in on this browser is signed out; the person now logs in themselves.
            logout(request)
            done = {"backup_codes": codes, "username": link.user.get_username()}
            return _no_store(render(request, "accounts/setup_link_done.html", done))
    context: dict[str, Any] = {
        "form": form,
        "person": link.user,
        "expires_at": link.expires_at,
        **enrolment.enrolment_context(request.session, purpose=purpose, account=link.user.get_username()),
    }
    status = 422 if request.method == "POST" else 200
    return _no_store(render(request, "accounts/setup_link.html", context, status=status))
