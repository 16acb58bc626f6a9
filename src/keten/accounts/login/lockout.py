"""Login lockout per username and per source address (django-axes; ADR 0013).

Axes keeps one row per (username, address, user agent) with its failures in the database, so every
worker process sees the same counts. Keten locks

- a **username** after ``AXES_FAILURE_LIMIT`` failed passwords within the cool-off time, from
  whatever addresses — also a username that does not exist, so a lock tells nobody whether an
  account exists;
- a **source address** after ``KETEN_LOGIN_ADDRESS_FAILURE_LIMIT`` failed passwords within the
  cool-off time, for whatever usernames (password spraying). This limit is higher, because the
  offices of a municipality and its partners share a few outgoing addresses.

The address is :func:`keten.core.clientip.client_ip`, the same one the audit log records. A lock is
checked before the password, so a locked request costs no hash and answers the same whatever name
was typed. A successful sign-in clears the failures of that username only: clearing the address too
would let someone with an account of their own reset the address count between guesses.
"""

from __future__ import annotations

import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

USERNAME = "username"
ADDRESS = "address"


def _failures(request: HttpRequest, **filters: Any) -> int:
    threshold = get_cool_off_threshold(request)
    total = AccessAttempt.objects.filter(attempt_time__gte=threshold, **filters).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return int(total or 0)


def username_failures(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    username = get_client_username(request, credentials)
    return _failures(request, username=username) if username else 0


def address_failures(request: HttpRequest) -> int:
    address = getattr(request, "axes_ip_address", None)
    return _failures(request, ip_address=address) if address else 0


def locked_by(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """``"address"`` when the source address is locked, else ``"username"`` when the username is."""
    if address_failures(request) >= settings.KETEN_LOGIN_ADDRESS_FAILURE_LIMIT:
        return ADDRESS
    if username_failures(request, credentials) >= settings.AXES_FAILURE_LIMIT:
        return USERNAME
    return None


class KetenLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per source address."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count toward a lock, on the scale of ``AXES_FAILURE_LIMIT``.

        Axes compares this number with ``AXES_FAILURE_LIMIT`` (the per-username limit). An address
        that reached its own limit counts as that limit reached, whatever the username's count.
        """
        by_username = username_failures(request, credentials)
        if address_failures(request) >= settings.KETEN_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, int(settings.AXES_FAILURE_LIMIT))
        return by_username

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful sign-in: forget that username's failures, not the address's."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """429 with a Dutch page that names the kind of lock but never the username."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off is not None else 0
    context = {
        "locked_by": locked_by(request, credentials) or USERNAME,
        "cooloff_minutes": max(1, math.ceil(seconds / 60)) if seconds else None,
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
