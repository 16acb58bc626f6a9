"""The audit event of a read of a dossier's sharing records, with the family's pseudonym (so the
per-family filter of the audit log finds it)."""

from __future__ import annotations

from typing import Any

from keten.core import audit
from keten.core.actor import Actor
from keten.core.models import AuditAction
from keten.dossiers.models import Dossier


def audit_read(
    actor: Actor,
    dossier: Dossier,
    object_type: str,
    object_id: str | int,
    *,
    action: str = AuditAction.VIEW,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_pseudonym=dossier.family.pseudonym,
        details=details or {},
    )
