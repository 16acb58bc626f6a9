"""Making the matrix's requests and judging the answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keten.testing.auth import login_verified
from keten.testing.route_matrix.checks import Check, Route
from keten.testing.route_matrix.subjects import SUBJECTS, TOKEN_SUBJECTS, Subject
from keten.testing.route_matrix.world import World


def walk_routes() -> Iterator[tuple[str, str]]:
    """(route pattern, fully qualified name) of every named URL pattern."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), namespace + (pattern.name or "")

    yield from walk(get_resolver().url_patterns, "", "")


def is_api(name: str) -> bool:
    return name.startswith("api-")


def subjects_for(name: str) -> tuple[Subject, ...]:
    return tuple(s for s in SUBJECTS if is_api(name) or s.key not in TOKEN_SUBJECTS)


def _client(world: World, subject: Subject) -> Client:
    if subject.user is not None:
        return login_verified(Client(), world.user(subject.user))
    if subject.system is not None:
        headers = {"HTTP_AUTHORIZATION": f"Token {world.tokens[subject.system]}"}
        if subject.acting:
            headers["HTTP_KETEN_PROFESSIONAL"] = str(world.acting_for[subject.system])
        return Client(**headers)
    return Client()


def classify(status: int, location: str) -> str:
    """``login`` (login page or 401), ``404``, ``403``, ``405``, ``500``, ``refused`` (another 4xx:
    a validation error or a refusal with a message) or ``ok``."""
    if status in (301, 302) and "/inloggen/" in location:
        return "login"
    if status == 401:
        return "login"
    if status in (403, 404, 405):
        return str(status)
    if status >= 500:
        return "500"
    if status >= 400:
        return "refused"
    return "ok"


def matches(got: str, want: str) -> bool:
    """A subject that may use a route may still get a validation error for the (empty) test input."""
    return got == want or (want == "ok" and got == "refused")


def attempt(world: World, name: str, check: Check, subject: Subject) -> str:
    """Make one request as ``subject`` and classify the answer; every change it makes is rolled back."""
    return classify(*request(world, name, check, subject))


def request(world: World, name: str, check: Check, subject: Subject) -> tuple[int, str]:
    """Make one request as ``subject``: (status, Location header). Every change it makes is rolled back."""
    from django.core.cache import cache

    from keten.core.localcache import clear_all

    url = reverse(name, kwargs=check.target(world))
    with transaction.atomic():
        client = _client(world, subject)
        client.raise_request_exception = False
        send = getattr(client, check.method.lower())
        if check.method in ("GET", "HEAD"):
            response = send(url, **check.headers)
        elif is_api(name):
            response = send(url, data=check.data or {}, content_type="application/json", **check.headers)
        else:
            response = send(url, data=check.data or {}, **check.headers)
        transaction.set_rollback(True)
    cache.clear()
    clear_all()
    return response.status_code, response.get("Location", "")


def expected(name: str, route: Route, check: Check, subject: Subject) -> str:
    """What ``subject`` must get: through (``ok``), the login page or 401 (``login``), or ``404``."""
    if route.public:
        return route.public_outcome
    if subject.key in check.refused:
        return "refused"
    if check.allowed is not None and subject.key in check.allowed:
        return "ok"
    if subject.key == "anonymous" or (subject.system is not None and not route.tokens):
        return "login"
    return "404"


# --- the matrix ---------------------------------------------------------------------------------
