"""Reads of consultations: who may be asked, the inbox of the one asked, one request.

Reading the inbox is audited with the families the requests are about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from keten.accounts.models import Membership, Role
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.queries import display_name
from keten.meldcode import rules as meldcode_rules
from keten.meldcode.models import Consultation


def _candidate_memberships(actor: Actor) -> QuerySet[Membership]:
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    user = actor.user
    return (
        Membership.objects.filter(
            organisation_id=actor.membership.organisation_id,
            is_active=True,
            user__is_active=True,
            role__in=[Role.AANDACHTSFUNCTIONARIS, Role.PROFESSIONAL, Role.TEAMLEIDER],
        )
        .exclude(user_id=user.pk)
        .order_by("role", "user__last_name")
    )


def consultation_candidates(*, actor: Actor) -> list[Membership]:
    """Who may be asked: the aandachtsfunctionarissen and colleagues of the actor's organisation."""
    return list(
        _candidate_memberships(actor)
        .select_related("user")
        .only("id", "role", "user_id", "user__id", "user__username", "user__first_name", "user__last_name")
    )


def consultation_candidate_choices(*, actor: Actor) -> list[tuple[int, str]]:
    """:func:`consultation_candidates` as form choices: (user id, "name (role)"), read as plain rows."""
    roles = dict(Role.choices)
    return [
        (user_id, f"{display_name(first, last, username)} ({roles.get(role, role)})")
        for user_id, first, last, username, role in _candidate_memberships(actor).values_list(
            "user_id", "user__first_name", "user__last_name", "user__username", "role"
        )
    ]


def _inbox(actor: Actor) -> QuerySet[Consultation]:
    if actor.user is None:
        raise NotFoundError
    return (
        meldcode_rules.consultation_inbox(actor.user)
        .select_related("traject", "traject__organisation", "requested_by")
        # The family each request is about, for the audit event (no client field is read).
        .annotate(family_pseudonym=F("traject__dossier__family__pseudonym"))
        .order_by("-requested_at")
    )


def _audit_inbox(actor: Actor, rows: list[Consultation], **details: Any) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="meldcode.consultation_inbox",
        details={"trajecten": sorted({c.traject.reference for c in rows}), **details},
        clients=[getattr(c, "family_pseudonym", "") for c in rows],
    )


def consultation_inbox(*, actor: Actor, include_answered: bool = False) -> list[Consultation]:
    """Consultation requests addressed to the actor (newest first). Audited with the families they are about."""
    qs = _inbox(actor)
    if not include_answered:
        qs = qs.filter(state=Consultation.State.OPEN)
    rows = list(qs[:200])
    _audit_inbox(actor, rows)
    return rows


@dataclass
class Inbox:
    open: list[Consultation]
    answered: list[Consultation]


def consultation_inbox_page(*, actor: Actor, answered: int = 50) -> Inbox:
    """The inbox page: open requests to the actor and the latest answered ones (two queries and one
    audit event naming the families of both lists)."""
    qs = _inbox(actor)
    page = Inbox(
        open=list(qs.filter(state=Consultation.State.OPEN)[:200]),
        answered=list(qs.exclude(state=Consultation.State.OPEN)[:answered]),
    )
    _audit_inbox(actor, page.open + page.answered, open=len(page.open), answered=len(page.answered))
    return page


def consultations_open(*, user: Any) -> QuerySet[Consultation]:
    """The consultation requests that wait for an answer from ``user`` (counted in the main menu)."""
    return meldcode_rules.consultations_to(user).filter(state=Consultation.State.OPEN)


def consultation_get(*, actor: Actor, consultation_id: int) -> Consultation:
    consultation = (
        Consultation.objects.filter(pk=consultation_id)
        .select_related("traject", "traject__dossier", "traject__dossier__family", "requested_by", "requested_to")
        .first()
    )
    if consultation is None or actor.user is None or not allows("meldcode.view_consultation", actor, consultation):
        raise NotFoundError
    return consultation
