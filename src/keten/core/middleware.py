"""Request id, database failure page, idle timeout and mandatory two-factor authentication."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from keten.core.clientip import client_ip
from keten.core.mfa import second_factor_done
from keten.core.requestcontext import client_ip_var, request_id_var

logger = logging.getLogger(__name__)
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """Give every request an id (or accept a well-formed X-Request-ID) for logs and audit rows."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        ip_token = client_ip_var.set(client_ip(request))
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
            client_ip_var.reset(ip_token)
        response["X-Request-ID"] = request_id
        return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError) or type(exception) is DatabaseError


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """A 503 that needs no database: rendered without request context (no context processors)."""
    logger.error("database unavailable")
    message = _(
        "Keten kan de database op dit moment niet bereiken. Er is niets opgeslagen. Probeer het over "
        "enkele minuten opnieuw."
    )
    if _wants_json(request):
        return JsonResponse(
            {
                "status": 503,
                "code": "service_unavailable",
                "detail": message,
                "errors": {},
                "request_id": request_id_var.get(),
            },
            status=503,
        )
    return HttpResponse(render_to_string("503.html", {"message": message}), status=503)


class DatabaseUnavailableMiddleware:
    """A stopped or unreachable database gets a clear 503, never a half-done write.

    Errors raised inside a view arrive here through ``process_exception``; errors raised while a
    later middleware loads the session or the user are handled by the 500 handler
    (``keten.core.views.server_error``), which gives the same 503.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        return database_unavailable_response(request)


_ALWAYS_OPEN_PREFIXES = ("/static/", "/publiek/", "/healthz", "/i18n/")


class IdleTimeoutMiddleware:
    """End a session after ``KETEN_SESSION_IDLE_SECONDS`` without a request."""

    SESSION_KEY = "keten_last_seen"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY)
            limit = settings.KETEN_SESSION_IDLE_SECONDS
            if last_seen is not None and now - int(last_seen) > limit:
                logout(request)
                if _wants_json(request):
                    return JsonResponse(
                        {
                            "status": 401,
                            "code": "session_expired",
                            "detail": _("Uw sessie is verlopen. Log opnieuw in."),
                            "errors": {},
                            "request_id": request_id_var.get(),
                        },
                        status=401,
                    )
                messages.warning(request, _("U was te lang niet actief. Log opnieuw in om verder te gaan."))
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            # Write at most once a minute, so reads don't each cost a session write.
            if last_seen is None or now - int(last_seen) >= 60:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Every signed-in user must have passed a second factor before reaching anything else.

    No role, setting or flag exempts a user. A session that did not pass the second factor (after
    the password step, or a single sign-on whose provider is not trusted for MFA) reaches only the
    code step and logout — or, without an app in Keten, a page that says to ask for a set-up link.
    It can never enrol or replace an app: a first app comes only through a set-up link, which is
    open without login like static files, the public pages and the health check.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or second_factor_done(request):
            return self.get_response(request)
        path = request.path
        open_paths = (
            reverse("two_factor:login"),
            reverse("otp_verify"),
            reverse("accounts:no_second_factor"),
            reverse("accounts:logout"),
        )
        setup_links = reverse("accounts:setup_link", args=["x"])[: -len("x/")]
        if path.startswith((*_ALWAYS_OPEN_PREFIXES, setup_links)) or path in open_paths:
            return self.get_response(request)
        if _wants_json(request):
            return JsonResponse(
                {
                    "status": 401,
                    "code": "mfa_required",
                    "detail": _("Tweestapsverificatie is verplicht."),
                    "errors": {},
                    "request_id": request_id_var.get(),
                },
                status=401,
            )
        from django_otp import user_has_device

        if user_has_device(user):
            return HttpResponseRedirect(f"{reverse('otp_verify')}?next={request.path}")
        return HttpResponseRedirect(reverse("accounts:no_second_factor"))


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language with the language switch.

    The browser's Accept-Language is deliberately ignored: the chain works in Dutch, and a page that
    silently switches language depending on someone's browser confuses colleagues sharing screens.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
