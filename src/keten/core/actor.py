"""Who is acting: a professional in one of their roles, an organisation's system client, or a system
acting for one of its professionals.

A system acting for a professional (:attr:`Actor.through_system`) reaches only what that professional
reaches as a member of a case team: never through their break-the-glass grants or the consultations
they were asked for. The policy and the selectors ask :func:`acts_through_system` of the user they
are given; the one way to become such an actor is :mod:`keten.accounts.api.acting`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from keten.core.requestcontext import client_ip_var, request_id_var

if TYPE_CHECKING:
    from django.http import HttpRequest

    from keten.accounts.models import ApiClient, Membership, User


#: Set on the user object of a professional a system acts for (see :func:`acts_through_system`).
_THROUGH_SYSTEM = "_keten_through_system"


def acts_through_system(user: Any) -> bool:
    """Whether this user object stands for a professional a partner system acts for.

    Such a user counts only as a member of their case teams: break-the-glass grants and
    consultations are personal and never reach a system.
    """
    return user is not None and getattr(user, _THROUGH_SYSTEM, None) is not None


@dataclass(frozen=True)
class Actor:
    """The acting party of a service call, with what the audit log records about them."""

    user: User | None
    membership: Membership | None
    api_client: ApiClient | None = None

    def __post_init__(self) -> None:
        if self.user is not None and self.api_client is not None:
            # The rules and row filters are asked about the user: mark it, so that they know.
            setattr(self.user, _THROUGH_SYSTEM, self.api_client.pk)

    @property
    def through_system(self) -> bool:
        """A partner system acting for one of its professionals (both are recorded)."""
        return self.user is not None and self.api_client is not None

    @property
    def system_details(self) -> dict[str, Any]:
        """What the audit event's details record of a system acting for a professional."""
        if self.user is None or self.api_client is None:
            return {}
        return {"via_system": {"api_client": self.api_client.pk, "professional": self.user.pk}}

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
    cached: Actor | None = getattr(request, "_keten_actor", None)
    if cached is not None:
        return cached
    auth = getattr(request, "auth", None)
    if getattr(auth, "is_system_client", False):
        actor = Actor(user=None, membership=None, api_client=auth)
    else:
        user = request.user
        actor = actor_for_user(user) if user.is_authenticated else Actor(user=None, membership=None)  # type: ignore[arg-type]
    request._keten_actor = actor  # type: ignore[union-attr]
    return actor
