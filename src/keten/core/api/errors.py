"""One uniform JSON error format for the whole API.

``{"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}, "request_id": "…"}``
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from keten.core.errors import DomainError
from keten.core.requestcontext import request_id_var


def error_body(status_code: int, code: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {
        "status": status_code,
        "code": code,
        "detail": detail,
        "errors": errors or {},
        "request_id": request_id_var.get(),
    }


def field_errors(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"persons.0.bsn": ["…"]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(field_errors(value, name))
    elif isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        for index, item in enumerate(data):
            if item:
                out.update(field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(data, list):
        out[prefix or "non_field_errors"] = [str(item) for item in data]
    else:
        out[prefix or "non_field_errors"] = [str(data)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        errors = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body(exc.status_code, exc.code, exc.message, errors), status=exc.status_code)
    if isinstance(exc, Http404 | PermissionDenied | exceptions.PermissionDenied):
        # Anything the caller may not see is "not found": existence must not leak.
        return Response(error_body(404, "not_found", _("Niet gevonden.")), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(response.status_code, "invalid", _("De invoer is niet geldig."), field_errors(response.data))
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            detail = _("Inloggen is vereist: geef een geldige sessie of token mee.")
        elif isinstance(exc, exceptions.Throttled):
            # DRF has already set Retry-After on the response.
            detail = _("Te veel verzoeken. Wacht even en probeer het dan opnieuw.")
        body = error_body(response.status_code, str(code), str(detail))
    response.data = body
    return response
