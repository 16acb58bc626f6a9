"""What the writes of every part of the overleg share: the policy check, text checks,
the row lock with its version check, the audit event and the choice of a case professional.

The writes themselves live with their part (``keten.overleg.<part>.services``). Every use case asks the
policy first (an object the actor may not see is :class:`NotFoundError`), validates its input with
Dutch messages (:class:`DomainError`, nothing written), changes the rows in one transaction together
with its audit event, and queues notifications (without client details) for after the commit. Rows
that carry a ``version`` are locked and compared with the version the caller loaded
(:func:`lock`): a mismatch is a :class:`ConflictError`, never a silent
overwrite.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.urls import NoReverseMatch, reverse

from keten.accounts.models import CASE_ROLES, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.policy import allows
from keten.overleg.models import CaseRegistration
from keten.overleg.selectors import acting_user

MIN_REASON = 10
MIN_TEXT = 5

M = TypeVar("M", bound=models.Model)


def require(permission: str, actor: Actor, obj: Any) -> User:
    """The actor's user when the policy allows ``permission`` on ``obj``; NotFoundError otherwise."""
    user = acting_user(actor)
    if not allows(permission, user, obj):
        raise NotFoundError
    return user


def clean_text(value: str | None, field: str, message: str, minimum: int = MIN_TEXT) -> str:
    """The text without surrounding blanks; DomainError on ``field`` when shorter than ``minimum``."""
    value = (value or "").strip()
    if len(value) < minimum:
        raise DomainError(message, field=field)
    return value


def page_link(name: str, *args: Any) -> str:
    """The page for a notification; empty while the UI does not offer it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def lock(manager: models.Manager[M], pk: int, expected_version: int | None) -> M:
    """The row, locked for this transaction; ConflictError when its version moved on since it was loaded."""
    row = manager.select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFoundError
    if expected_version is not None and getattr(row, "version", None) != expected_version:
        raise ConflictError
    return row


def check_transition(table: dict[str, frozenset[str]], current: str, new: str, message: str) -> None:
    """DomainError with ``message`` when the status table does not allow ``current`` → ``new``."""
    if new not in table[current]:
        raise DomainError(message)


def audit_change(
    actor: Actor | None,
    action: str,
    what: str,
    object_id: Any,
    registration: CaseRegistration | None = None,
    **details: Any,
) -> None:
    """The audit event of an overleg write (``overleg.<what>``), with the family's pseudonym of a case."""
    audit.record(
        actor=actor,
        action=action,
        object_type=f"overleg.{what}",
        object_id=object_id,
        client_pseudonym=registration.dossier.family.pseudonym if registration is not None else "",
        details=details,
    )


def case_professional(user_id: int | None, field: str, message: str) -> User:
    """An active user with an active case role; DomainError on ``field`` otherwise."""
    user = (
        User.objects.filter(
            pk=user_id,
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__is_active=True,
            memberships__role__in=CASE_ROLES,
        )
        .distinct()
        .first()
        if user_id
        else None
    )
    if user is None:
        raise DomainError(message, field=field)
    return user
