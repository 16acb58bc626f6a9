"""The one way a page or an API endpoint asks the policy whether the actor may use it.

Views do not decide access themselves. A function view is wrapped in :func:`requires` (or marked
:func:`public`); a class-based view sets ``permission_required`` through :class:`PolicyRequiredMixin`;
an API view sets ``policy`` and is checked by :class:`PolicyPermission`. All three ask
:func:`keten.core.policy.allows` with the acting :class:`~keten.core.actor.Actor` (a professional in
their role, or a system client with its scopes) and answer **404** when it says no, so that a page
someone may not use looks exactly like a page that does not exist. Object rules (may this actor
change *this* dossier?) are asked with :func:`check` once the object is loaded through a selector,
which itself returns only rows the actor may see. A :class:`~keten.core.errors.NotFoundError` raised
anywhere in a wrapped view becomes the same 404.

Every view callable carries its :class:`Access` (``view.keten_access``), so a test can prove that no
route is reachable without a declared rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from keten.core.actor import actor_from_request
from keten.core.errors import NotFoundError
from keten.core.policy import allows

View = TypeVar("View", bound=Callable[..., HttpResponse])

#: API ``policy`` values that are not permissions: open without credentials, or any caller with
#: credentials — a verified session or any active system token (use a permission with a system scope
#: when systems should need one).
PUBLIC = "public"
SIGNED_IN = "signed_in"


@dataclass(frozen=True)
class Access:
    """What a view declares about who may reach it."""

    permission: str = ""  # the policy permission the actor needs; "" for a public or a login-only page
    public: bool = False  # open without login
    why: str = ""  # for public and login-only pages: why no permission is needed


def _declare(view: Any, access: Access) -> None:
    view.keten_access = access


def requires(permission: str) -> Callable[[View], View]:
    """Only actors the policy allows ``permission`` reach the view; everyone else gets 404.

    A :class:`NotFoundError` from a selector inside the view also becomes 404.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allows(permission, actor_from_request(request)):
                raise Http404
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as exc:
                raise Http404 from exc

        _declare(wrapper, Access(permission=permission))
        return wrapper  # type: ignore[return-value]

    return decorate


def signed_in(why: str) -> Callable[[View], View]:
    """Any signed-in user may use the view; say ``why`` it needs no rule.

    Whether the second factor must be passed first is the middleware's (``RequireTwoFactorMiddleware``):
    everything except the login, the code step, the page for users without an app and logout needs it.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFoundError as exc:
                raise Http404 from exc

        _declare(wrapper, Access(why=why))
        return wrapper  # type: ignore[return-value]

    return decorate


def public(why: str) -> Callable[[View], View]:
    """Open without login (the login page, the public routekaart, …); say ``why``."""

    def decorate(view: View) -> View:
        opened = login_not_required(view)
        _declare(opened, Access(public=True, why=why))
        return opened

    return decorate


def check(request: HttpRequest | Request, permission: str, obj: Any = None) -> None:
    """Raise 404 unless the actor of ``request`` may ``permission`` on ``obj``."""
    if not allows(permission, actor_from_request(request), obj):
        raise Http404


def may(request: HttpRequest | Request, permission: str, obj: Any = None) -> bool:
    """Whether the actor may ``permission`` on ``obj`` (to show or hide a link or button)."""
    return allows(permission, actor_from_request(request), obj)


class PolicyRequiredMixin:
    """For class-based views: ``permission_required`` is asked before ``dispatch``; no → 404."""

    permission_required: str = ""
    keten_access: ClassVar[Access]  # set on every subclass that names a permission

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.permission_required:
            cls.keten_access = Access(permission=cls.permission_required)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.permission_required or not allows(self.permission_required, actor_from_request(request)):
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]
        except NotFoundError as exc:
            raise Http404 from exc


class PolicyPermission(BasePermission):
    """DRF: the view's ``policy`` must be allowed for the actor.

    ``policy`` is a permission name, :data:`PUBLIC`, :data:`SIGNED_IN`, or a dict of those by HTTP
    method. Refusals become 404 (``keten.core.api.errors``); a request without any credentials gets
    401. A view without a ``policy`` (or a method missing from its dict) is refused: nothing is open
    by omission.
    """

    def _permission(self, request: Request, view: Any) -> str:
        policy = getattr(view, "policy", "")
        if isinstance(policy, dict):
            return str(policy.get(request.method or "", "") or policy.get("*", ""))
        return str(policy or "")

    def has_permission(self, request: Request, view: Any) -> bool:
        permission = self._permission(request, view)
        if permission == PUBLIC:
            return True
        if not permission or not getattr(request.user, "is_authenticated", False):
            return False
        if permission == SIGNED_IN:
            return True
        return allows(permission, actor_from_request(request))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        permission = getattr(view, "object_policy", "")
        if isinstance(permission, dict):
            permission = permission.get(request.method or "", "")
        return not permission or allows(str(permission), actor_from_request(request), obj)


def _declared(target: Any) -> Access | None:
    found = getattr(target, "keten_access", None)
    return found if isinstance(found, Access) else None


def view_access(callback: Any) -> Access | None:
    """The declared access of a URL pattern's callback (function view, class view or API view)."""
    found = _declared(callback)
    if found is not None:
        return found
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return None
    found = _declared(view_class)
    if found is not None:
        return found
    policy = getattr(view_class, "policy", None)
    if not policy:
        return None
    names = sorted(set(policy.values())) if isinstance(policy, dict) else [policy]
    if names == [PUBLIC]:
        return Access(public=True, why=str(getattr(view_class, "policy_why", "")))
    return Access(permission=", ".join(str(n) for n in names), why=str(getattr(view_class, "policy_why", "")))
