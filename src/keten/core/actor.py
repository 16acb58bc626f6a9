"""Who is acting: a professional in one of their roles, or an organisation's system client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from keten.core.requestcontext import client_ip_var, request_id_var

if TYPE_CHECKING:
    from django.http import HttpRequest

    from keten.accounts.models import ApiClient, Membership, User


@dataclass(frozen=True)
class Actor:
    """The acting party of a service call, with what the audit log records about them."""

    user: User | None
    membership: Membership | None
    api_client: ApiClient | None = None

    @property
    def role(self) -> str:
        if self.membership is not None:
            return self.membership.role
        if self.api_client is not None:
            return "system"
        return ""

    @property
    def organisation_id(self) -> int | None:
        if self.membership is not None:
            return self.membership.organisation_id
        if self.api_client is not None:
            return self.api_client.organisation_id
        return None

    @property
    def label(self) -> str:
        if self.user is not None:
            name = self.user.get_full_name() or self.user.get_username()
            return f"{name} (via systeem: {self.api_client.name})" if self.api_client is not None else name
        if self.api_client is not None:
            return f"systeem: {self.api_client.name}"
        return ""

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def request_id(self) -> str:
        return request_id_var.get()

    @property
    def ip(self) -> str | None:
        return client_ip_var.get()


def actor_for_user(user: User) -> Actor:
    """The actor for a user in their active membership (the first active one)."""
    return Actor(user=user, membership=user.active_membership)


def actor_from_request(request: HttpRequest | Any) -> Actor:
    """The actor behind a UI or API request (cached on the request)."""
    cached = getattr(request, "_keten_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from keten.accounts.models import ApiClient

    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiClient):
        actor = Actor(user=None, membership=None, api_client=auth)
    else:
        user = request.user
        actor = actor_for_user(user) if user.is_authenticated else Actor(user=None, membership=None)  # type: ignore[arg-type]
    request._keten_actor = actor  # type: ignore[union-attr]
    return actor
