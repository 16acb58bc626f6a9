"""What the reads of every part of the overleg share: the acting user, the audit of case reads, and the
people and organisations a page offers to choose from (reference data, no client data).

The reads themselves live with their part (``keten.overleg.<part>.selectors``). Case content (reason,
goal, discussion records, what was agreed) is returned only through the policy (``overleg.*``
permissions, see :mod:`keten.overleg.rules`) and every such read is audited with the family's
pseudonym. A case or agreement the actor may not see is :class:`NotFoundError` (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from keten.accounts.models import CASE_ROLES, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.overleg.models import CaseRegistration, OverlegType


def acting_user(actor: Actor) -> User:
    """The actor's user; NotFoundError without a user or an active membership."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def audit_case_reads(actor: Actor, what: str, registrations: list[CaseRegistration], **details: Any) -> None:
    """One audit event per case read (one chain lock, one INSERT), with the family's pseudonym."""
    audit_case_ids(actor, what, {r.pk: r.dossier.family.pseudonym for r in registrations}, **details)


def audit_case_ids(actor: Actor, what: str, pseudonyms: dict[int, str], **details: Any) -> None:
    """``audit_case_reads`` for registration ids with their families' pseudonyms."""
    if not pseudonyms:
        return
    audit.record_many(
        actor=actor,
        entries=[
            audit.Entry(
                action=AuditAction.VIEW,
                object_type=f"overleg.{what}",
                object_id=pk,
                client_pseudonym=pseudonym,
                details=details,
            )
            for pk, pseudonym in pseudonyms.items()
        ],
    )


def audit_list_read(actor: Actor, what: str, registrations: list[CaseRegistration], **details: Any) -> None:
    """One audit event for a list that shows a little of many cases (as the dossier list does): the
    cases and the families' pseudonyms are in its details. Opening a case is audited per case."""
    audit_list_ids(actor, what, {r.pk: r.dossier.family.pseudonym for r in registrations}, **details)


def audit_list_ids(actor: Actor, what: str, pseudonyms: dict[int, str], **details: Any) -> None:
    """``audit_list_read`` for registration ids with their families' pseudonyms."""
    if not pseudonyms:
        return
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=f"overleg.{what}",
        details={**details, "registrations": sorted(pseudonyms), "clients": sorted(set(pseudonyms.values()))},
        clients=pseudonyms.values(),
    )


def shorten(text: str, limit: int = 120) -> str:
    """An agreement in at most ``limit`` characters, as the ``truncatechars`` filter shortens it."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# --- people and organisations to choose from (reference data) --------------------------------


def municipality_id_of(actor: Actor) -> int:
    """The municipality of the actor's organisation."""
    assert actor.membership is not None
    return int(actor.membership.organisation.municipality_id)


def municipality_organisations(actor: Actor) -> list[Organisation]:
    """Active organisations of the actor's municipality (reference data, no client data)."""
    return list(Organisation.objects.filter(municipality_id=municipality_id_of(actor), is_active=True).order_by("name"))


def overleg_organisations(overleg_type: OverlegType, *extra_ids: int | None) -> list[Organisation]:
    """The lead and member organisations of an overleg, plus any extra ones (e.g. a current owner)."""
    ids = {overleg_type.lead_organisation_id, *(i for i in extra_ids if i)}
    return list(Organisation.objects.filter(Q(pk__in=ids) | Q(overleg_types=overleg_type)).distinct().order_by("name"))


def case_people(*, meeting_ids: Iterable[int] = (), user_ids: Iterable[int | None] = ()) -> list[User]:
    """Professionals with a case role who are on these meetings' lists, plus the given users."""
    ids = [i for i in user_ids if i]
    meeting_ids = list(meeting_ids)
    filters = Q(pk__in=ids)
    if meeting_ids:
        filters |= Q(overleg_attendances__meeting_id__in=meeting_ids)
    return list(
        User.objects.filter(filters, is_active=True, memberships__is_active=True, memberships__role__in=CASE_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
