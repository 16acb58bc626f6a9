"""API throttles whose counts every worker process sees.

DRF's own throttles keep their counts in Django's cache (per process with the default local-memory
cache, reset by every restart) and identify a caller by a client-supplied ``X-Forwarded-For``. These
keep the counts in the database (:mod:`keten.core.ratelimit`, fixed windows) and identify an
anonymous caller by :func:`keten.core.clientip.client_ip`, the address the audit log records.

A refused request raises DRF's ``Throttled``; the API's exception handler turns it into the uniform
JSON error ``429 throttled`` with a ``Retry-After`` header.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from keten.core import ratelimit
from keten.core.clientip import client_ip

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"60/minute"`` as (60, 60): requests and window in seconds (DRF's notation); ValueError otherwise."""
    number, _, period = rate.partition("/")
    if not number.strip().isdigit() or int(number) < 1 or period.strip()[:1] not in _PERIODS:
        raise ValueError(f"a rate looks like 60/minute, got {rate!r}")
    return int(number), _PERIODS[period.strip()[0]]


class DatabaseRateThrottle(BaseThrottle):
    """Counts requests per ``scope`` and caller key in the database; subclasses say who the caller is."""

    scope = ""

    def __init__(self) -> None:
        self._wait: int | None = None

    def get_rate(self) -> str | None:
        """``"<n>/<second|minute|hour|day>"``, or None for no limit."""
        raise NotImplementedError

    def get_key(self, request: Request, view: Any) -> str | None:
        """Who is counted (never client data); None: this request is not limited."""
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        rate = self.get_rate()
        key = self.get_key(request, view) if rate else None
        if not rate or key is None:
            return True
        limit, window = parse_rate(rate)
        result = ratelimit.hit(f"api:{self.scope}:{key}", limit=limit, window_seconds=window)
        self._wait = result.retry_after if not result.allowed else None
        return result.allowed

    def wait(self) -> float | None:
        return float(self._wait) if self._wait else None


class AnonymousAddressThrottle(DatabaseRateThrottle):
    """Limits anonymous callers per client address; signed-in users and system tokens are not counted."""

    def get_key(self, request: Request, view: Any) -> str | None:
        user = getattr(request, "user", None)
        if getattr(request, "auth", None) is not None or getattr(user, "is_authenticated", False):
            return None
        address = client_ip(request)
        return f"ip:{address}" if address else "ip:unknown"
