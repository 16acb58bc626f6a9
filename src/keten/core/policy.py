"""Who may do what: the role helpers every app's rules build on, and the one question they answer.

Each domain app states its own rules in its ``rules.py``, next to the row filters (querysets) that
implement the same rules for lists: ``keten.dossiers.rules``, ``keten.meldcode.rules``, … They are
``rules`` predicates registered as permissions when the app loads, so that pages, the API, services
and jobs all ask :func:`allows`. This module keeps only what every app shares: the role of a user,
the role predicates, the permissions of core's own pages, and :func:`allows` itself, which also
answers for a partner system's token (its scopes, see :func:`system_scope`).

There is no setting, flag or role that switches these checks off; a superuser is not special here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import QuerySet

from keten.core.actor import Actor, actor_for_user
from keten.core.models import AuditEvent
from keten.core.roles import CASE_ROLES, OrganisationType, Role


def role_of(user: Any) -> str:
    """The role a user acts in (their active membership), or "" for anonymous and role-less users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    membership = getattr(user, "active_membership", None)
    return membership.role if membership is not None else ""


def may_see_client_data(user: Any) -> bool:
    """Only case roles can ever see client data, and then only on the case team (see the row filters)."""
    return role_of(user) in CASE_ROLES


@rules.predicate
def has_case_role(user: Any) -> bool:
    return may_see_client_data(user)


@rules.predicate
def has_membership(user: Any) -> bool:
    return role_of(user) != ""


def has_role(*roles: str) -> Any:
    """A predicate: the user acts in one of ``roles``."""

    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user: Any) -> bool:
        return role_of(user) in roles

    return predicate


is_aandachtsfunctionaris = has_role(Role.AANDACHTSFUNCTIONARIS)
is_functioneel_beheerder = has_role(Role.FUNCTIONEEL_BEHEERDER)
is_beleidsmedewerker = has_role(Role.BELEIDSMEDEWERKER)
is_teamleider = has_role(Role.TEAMLEIDER)


@rules.predicate
def works_for_gemeente(user: Any) -> bool:
    """Acting for the gemeente organisation of a municipality."""
    membership = getattr(user, "active_membership", None) if role_of(user) else None
    return membership is not None and membership.organisation.type == OrganisationType.GEMEENTE


#: The privacy officer is a role of the gemeente organisation only; it never sees client data.
is_privacy_officer = has_role(Role.PRIVACY_OFFICER) & works_for_gemeente

# core's own pages: the audit log of the own organisation, municipal figures, team workload.
may_read_audit_log = is_aandachtsfunctionaris | is_functioneel_beheerder


def user_id_of(user: Any) -> int | None:
    """The id of a signed-in user; None for anonymous (the row filters' "nobody")."""
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def organisation_id_of(user: Any) -> int | None:
    """The organisation a signed-in user acts for (their active membership), or None."""
    membership = getattr(user, "active_membership", None) if user_id_of(user) else None
    return membership.organisation_id if membership is not None else None


@rules.predicate
def event_of_own_organisation(user: Any, event: Any) -> bool:
    """An audit event written by someone acting for the user's own organisation."""
    return event is not None and event.organisation_id is not None and event.organisation_id == organisation_id_of(user)


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """The row filter of ``core.view_audit_event``: the events of the user's own organisation."""
    organisation_id = organisation_id_of(user)
    if not may_read_audit_log(user) or organisation_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organisation_id=organisation_id)


rules.add_perm("core.view_auditlog", may_read_audit_log)
rules.add_perm("core.view_audit_event", may_read_audit_log & event_of_own_organisation)
rules.add_perm("core.view_aggregates", is_beleidsmedewerker | is_functioneel_beheerder)
rules.add_perm("core.view_team_workload", is_teamleider)


# --- partner systems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemRule:
    """What a system token needs for a permission: a scope, and for an object a rule of its own."""

    scopes: tuple[str, ...]  # any one of them will do
    on_object: Callable[[Any, Any], bool] | None = None  # (api_client, obj) -> bool

    @property
    def scope(self) -> str:
        """The scope named first (the one the API documentation names)."""
        return self.scopes[0]


_SYSTEM_RULES: dict[str, SystemRule] = {}


def system_scope(
    permission: str, scope: str | tuple[str, ...], on_object: Callable[[Any, Any], bool] | None = None
) -> None:
    """Open ``permission`` to partner systems whose token holds ``scope`` (or any one of several).

    A system acting *for its organisation* then needs ``on_object(api_client, obj)`` for an object
    (without it: no object access); a system acting *for one of its professionals* additionally
    needs everything the professional's own rules require. A permission never opened this way is
    closed to every system, whatever its scopes.
    """
    scopes = (scope,) if isinstance(scope, str) else tuple(scope)
    _SYSTEM_RULES[permission] = SystemRule(scopes=scopes, on_object=on_object)


def system_rule(permission: str) -> SystemRule | None:
    return _SYSTEM_RULES.get(permission)


def _as_actor(who: Any) -> Actor:
    if isinstance(who, Actor):
        return who
    if who is None or not getattr(who, "is_authenticated", False):
        return Actor(user=None, membership=None)
    return actor_for_user(who)


def allows(permission: str, who: Any, obj: Any = None) -> bool:
    """Whether ``who`` (a user, or an :class:`Actor` — also a system) may ``permission`` on ``obj``.

    Deliberately *not* ``user.has_perm``: Django lets superusers pass that.
    """
    actor = _as_actor(who)
    if actor.api_client is not None:
        rule = _SYSTEM_RULES.get(permission)
        if rule is None or not any(actor.api_client.has_scope(scope) for scope in rule.scopes):
            return False
        if actor.user is None:
            if obj is None:
                return True
            return rule.on_object is not None and bool(rule.on_object(actor.api_client, obj))
    return bool(rules.has_perm(permission, actor.user, obj))
