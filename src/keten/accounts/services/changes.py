"""Writing a beheer change with its audit event."""

from __future__ import annotations

from django.db import transaction

from keten.accounts.models import Membership, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.models import AuditAction


def record(actor: Actor, action: str, object_type: str, object_id: int | str, **details: object) -> None:
    audit.record(actor=actor, action=action, object_type=object_type, object_id=object_id, details=details)


def set_active(actor: Actor, obj: Organisation | User | Membership, *, active: bool, object_type: str) -> None:
    """Switch ``is_active`` in one transaction with its audit event, and mirror it on the instance."""
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(is_active=active)
        record(actor, AuditAction.UPDATE, object_type, obj.pk, is_active=active)
    obj.is_active = active
