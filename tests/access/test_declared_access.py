"""No route without a declared rule: every view says who may reach it, in one of the few ways there are.

A function view is wrapped in ``keten.core.access.requires`` (a permission), ``signed_in`` (any
signed-in user, with the reason why no rule is needed) or ``public`` (open without login, with the
reason); a class-based view uses ``PolicyRequiredMixin``; an API view sets ``policy`` and is checked by
``PolicyPermission``. A view that decides access by itself has none of these and fails here.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from keten.core.access import PUBLIC, SIGNED_IN, Access, PolicyPermission, view_access
from keten.core.policy import system_rule  # noqa: F401 - the registry is part of the contract

# Views of libraries that Keten routes to without wrapping them: each with the reason it is safe.
LIBRARY_VIEWS: dict[str, str] = {
    "api-schema": (
        "drf-spectacular's OpenAPI document: the paths and shapes of the API, the same text as the "
        "committed docs/api/openapi.yaml; it reads no data"
    ),
    "set_language": (
        "Django's language switch: a POST with a CSRF token that only sets the language cookie and "
        "redirects to an address on this site; it reads no data"
    ),
}


def _patterns() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
            elif isinstance(pattern, URLPattern):
                found.append((namespace + (pattern.name or ""), pattern.callback))

    walk(get_resolver().url_patterns, "")
    return found


def _is_permission(name: str) -> bool:
    import rules

    return name in (PUBLIC, SIGNED_IN) or rules.perm_exists(name)


def test_every_view_declares_who_may_reach_it() -> None:
    undeclared = []
    unknown = []
    unexplained = []
    for name, callback in _patterns():
        if name in LIBRARY_VIEWS:
            continue
        access = view_access(callback)
        if access is None:
            undeclared.append(name)
            continue
        assert isinstance(access, Access)
        for permission in filter(None, (p.strip() for p in access.permission.split(","))):
            if not _is_permission(permission):
                unknown.append(f"{name}: {permission}")
        if (access.public or not access.permission) and not access.why:
            unexplained.append(name)
    assert undeclared == [], "views that decide access by themselves"
    assert unknown == [], "views that name a permission the policy does not know"
    assert unexplained == [], "public and signed-in-only views must say why they need no rule"


def test_api_views_are_checked_by_the_policy_permission() -> None:
    for name, callback in _patterns():
        view_class = getattr(callback, "cls", None)
        if view_class is None or name in LIBRARY_VIEWS:
            continue
        classes = getattr(view_class, "permission_classes", [])
        assert PolicyPermission in classes, name
