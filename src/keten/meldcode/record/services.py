"""Appending to a traject's record: the checks and writes every step shares.

Each step's service (in ``trajecten``, ``consultations`` and ``afwegingskader``) checks the policy
with :func:`require_change`, validates its input with :func:`check_date` and
:func:`check_motivation`, appends an :class:`~keten.meldcode.models.Entry` with :func:`append`,
updates the traject's derived columns with :func:`bump` (the optimistic version check) and records
an audit event with :func:`audit_step`, all in one transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.policy import allows
from keten.core.versions import claim
from keten.meldcode.models import ENTRY_STEP, Entry, EntryKind, Status, Traject

MIN_MOTIVATION = 10


def user_of(actor: Actor) -> User:
    """The acting user; NotFoundError for an actor without a user and membership."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def require_change(actor: Actor, traject: Traject) -> User:
    """The acting user, who may record in the traject (on the case team) and finds it still open."""
    user = user_of(actor)
    if not allows("meldcode.change_traject", actor, traject):
        raise NotFoundError
    if traject.status == Status.AFGESLOTEN:
        raise DomainError(
            _("Dit traject is afgesloten en kan niet meer worden aangevuld. Start zo nodig een nieuw traject.")
        )
    return user


def check_date(value: date | None, field_name: str, *, label: str | None = None) -> date:
    if value is None:
        raise DomainError(_("Vul de datum in."), field=field_name)
    if value > timezone.localdate():
        raise DomainError(
            label or _("Deze datum ligt in de toekomst. Vul een datum van vandaag of eerder in."), field=field_name
        )
    return value


def check_motivation(text: str, field_name: str = "motivation", *, message: str | None = None) -> str:
    text = (text or "").strip()
    if len(text) < MIN_MOTIVATION:
        raise DomainError(
            message or _("Geef een motivering van minstens %(n)d tekens.") % {"n": MIN_MOTIVATION}, field=field_name
        )
    return text


def bump(traject: Traject, expected_version: int | None, **changes: Any) -> None:
    """Apply derived-column changes with the optimistic version check; ConflictError if changed meanwhile."""
    changes.setdefault("last_activity_at", timezone.now())
    claim(Traject.objects.all(), traject.pk, expected_version, **changes)
    traject.refresh_from_db()


def append(
    actor: Actor,
    traject: Traject,
    kind: str,
    *,
    occurred_on: date,
    data: dict[str, Any] | None = None,
    text: str = "",
    corrects: Entry | None = None,
    step: int | None = None,
) -> Entry:
    assert actor.user is not None
    assert actor.membership is not None
    fixed = ENTRY_STEP.get(kind)
    entry = Entry(
        traject=traject,
        kind=kind,
        step=step or fixed or (traject.afwegingen_step if kind == EntryKind.AFWEGING else traject.current_step),
        author=actor.user,
        organisation_id=actor.membership.organisation_id,
        occurred_on=occurred_on,
        data=data or {},
        text=text or None,
        corrects=corrects,
    )
    entry.save()
    return entry


def audit_step(actor: Actor, traject: Traject, action: str, what: str, **details: Any) -> None:
    """The audit event of a step (``meldcode.<what>``), with the family's pseudonym."""
    audit.record(
        actor=actor,
        action=action,
        object_type=f"meldcode.{what}",
        object_id=traject.reference,
        client_pseudonym=traject.dossier.family.pseudonym,
        details=details,
    )


def traject_link(traject: Traject) -> str:
    return reverse("meldcode:traject", args=[traject.reference])
