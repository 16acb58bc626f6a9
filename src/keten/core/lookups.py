"""Look-ups that can tell a user that a client is known to Keten (existence look-ups).

A form that says "this BSN is already known", an audit filter that turns a BSN into a family
pseudonym, or an identity question of the verwijsindex tells the user that a client exists, also
where they may not see the client's records. Each such *hit* is audited with the pseudonym of the
client found and counted per user (or per system client). After :data:`LIMIT` hits within the hour
every further look-up of that user is refused — found or not, so that the refusal itself tells
nothing — until the hour is over; the refusal is audited too.

The count and the audit event are written at the moment of the look-up, each in its own short
transaction. Callers look up *before* they open the transaction of their write, so both stay when
the request is refused or rolled back afterwards (see ``keten.core.ratelimit``). Callers scope the
look-up to the actor's municipality themselves: a client known only elsewhere is no hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit, ratelimit
from keten.core.actor import Actor
from keten.core.errors import RateLimitedError
from keten.core.models import AuditAction

#: Hits a user may have per window before every further look-up is refused.
LIMIT = 20
WINDOW_SECONDS = 60 * 60


def limit_key(actor: Actor) -> str:
    """The counter of an actor: per professional, or per system client (never client data)."""
    if actor.user_id is not None:
        return f"existence:user:{actor.user_id}"
    if actor.api_client is not None:
        return f"existence:api:{actor.api_client.pk}"
    return "existence:anonymous"


def _refuse(actor: Actor, *, object_type: str, field: str | None, details: dict[str, Any]) -> RateLimitedError:
    now = timezone.now()
    minutes = max(1, (WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS + 59) // 60)
    with transaction.atomic():
        audit.record(
            actor=actor, action=AuditAction.VIEW, object_type=object_type, details={**details, "result": "refused"}
        )
    return RateLimitedError(
        _(
            "U heeft in korte tijd te vaak een persoon opgezocht die al bekend is in Keten. "
            "Probeer het over %(minutes)s minuten opnieuw."
        )
        % {"minutes": minutes},
        field=field,
    )


def ensure_allowed(
    actor: Actor, *, object_type: str, field: str | None = None, details: dict[str, Any] | None = None
) -> None:
    """Refuse (audited) when the actor used up the look-ups of this hour. Call before looking up."""
    used = ratelimit.count(limit_key(actor), window_seconds=WINDOW_SECONDS)
    if used >= LIMIT:
        raise _refuse(actor, object_type=object_type, field=field, details=details or {})


def record_hit(
    actor: Actor,
    *,
    object_type: str,
    pseudonyms: Sequence[str],
    field: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Count one hit and audit it with the pseudonyms of the clients found.

    Raises :class:`RateLimitedError` instead when a concurrent look-up used the last one of the hour
    first: the caller must then not tell the user what was found.
    """
    shown = sorted(dict.fromkeys(p for p in pseudonyms if p))
    with transaction.atomic():
        counted = ratelimit.hit(limit_key(actor), limit=LIMIT, window_seconds=WINDOW_SECONDS)
    if not counted.allowed:
        raise _refuse(actor, object_type=object_type, field=field, details=details or {})
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=object_type,
            client_pseudonym=shown[0] if len(shown) == 1 else "",
            details={**(details or {}), "result": "hit"},
            clients=shown if len(shown) > 1 else (),
        )
