"""Reads of cases in the overleg: the dossier to register, the registrations the actor may see, the
chair's triage queue and one case with its agenda history, discussion records and agreements.

Case content is returned only through the policy and every read is audited with the family's
pseudonym (:func:`keten.overleg.selectors.audit_case_reads`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows, may_see_client_data
from keten.dossiers.models import Dossier
from keten.dossiers.selectors import dossier_list
from keten.overleg.models import (
    AgendaItem,
    Agreement,
    CaseRegistration,
    DiscussionEntry,
    RegistrationStatus,
)
from keten.overleg.rules import (
    registration_visibility_q,
    triage_q,
)
from keten.overleg.selectors import (
    acting_user,
    audit_case_reads,
    audit_list_read,
)


def dossier_for_registration(*, actor: Actor, reference: str) -> Dossier:
    """A dossier the actor may register for an overleg (on its case team); NotFoundError otherwise."""
    user = acting_user(actor)
    dossier = Dossier.objects.select_related("family").filter(reference=reference).first()
    if dossier is None or not allows("overleg.register", user, dossier):
        raise NotFoundError
    return dossier


def _registrations() -> QuerySet[CaseRegistration]:
    return CaseRegistration.objects.select_related(
        "overleg_type",
        "dossier__family",
        "process_step",
        "registered_by",
        "organisation",
        "casusregisseur",
    )


def registrations_visible_to(actor: Actor) -> QuerySet[CaseRegistration]:
    """Registrations whose content the actor may see (see :mod:`keten.overleg.rules`)."""
    if actor.user is None or actor.membership is None or not may_see_client_data(actor.user):
        return CaseRegistration.objects.none()
    return _registrations().filter(registration_visibility_q(actor.user))


def triage_queue(*, actor: Actor) -> list[CaseRegistration]:
    """Registrations waiting for the chair's decision, for the overleg types the actor chairs."""
    user = acting_user(actor)
    if not may_see_client_data(user):
        return []
    rows = list(
        _registrations()
        .filter(triage_q(user), status=RegistrationStatus.AANGEMELD)
        .prefetch_related("invited_organisations")
        .order_by("registered_at")[:200]
    )
    audit_list_read(actor, "triage_queue", rows)
    return rows


def my_registrations(*, actor: Actor, open_only: bool = False) -> list[CaseRegistration]:
    """The registrations the actor made."""
    user = acting_user(actor)
    if not may_see_client_data(user):
        return []
    qs = _registrations().filter(registered_by=user)
    if open_only:
        qs = qs.filter(status__in=(RegistrationStatus.AANGEMELD, RegistrationStatus.TOEGELATEN))
    rows = list(qs.order_by("-registered_at")[:200])
    audit_list_read(actor, "my_registrations", rows)
    return rows


def registration_get(*, actor: Actor, pk: int, audit_read: bool = True) -> CaseRegistration:
    """One registration the actor may see, or NotFoundError. The read is audited."""
    user = acting_user(actor)
    registration = _registrations().filter(pk=pk).first()
    if registration is None or not allows("overleg.view_registration", user, registration):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "registration", [registration])
    return registration


def registration_for_triage(*, actor: Actor, pk: int, audit_read: bool = True) -> CaseRegistration:
    """A registration the actor may triage (the chair); NotFoundError otherwise. The read is audited."""
    user = acting_user(actor)
    registration = _registrations().filter(pk=pk).first()
    if registration is None or not allows("overleg.triage", user, registration):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "registration", [registration])
    return registration


@dataclass
class RegistrationDetail:
    registration: CaseRegistration
    agenda: list[AgendaItem]
    discussion: list[DiscussionEntry]
    agreements: list[Agreement]
    can_triage: bool
    can_close: bool


def registration_detail(*, actor: Actor, pk: int) -> RegistrationDetail:
    """A case with its agenda history, discussion records and agreements (fixed number of queries)."""
    registration = registration_get(actor=actor, pk=pk)
    agenda = list(
        AgendaItem.objects.filter(registration=registration)
        .select_related("meeting", "meeting__overleg_type")
        .order_by("meeting__starts_at", "id")
    )
    discussion = list(
        DiscussionEntry.objects.filter(agenda_item__registration=registration)
        .select_related("author", "organisation", "agenda_item__meeting")
        .order_by("created_at", "id")
    )
    agreements = list(
        Agreement.objects.filter(registration=registration)
        .select_related("owner_user", "owner_organisation", "agenda_item__meeting")
        .order_by("status", "due_on", "id")
    )
    user = actor.user
    return RegistrationDetail(
        registration=registration,
        agenda=agenda,
        discussion=discussion,
        agreements=agreements,
        can_triage=allows("overleg.triage", user, registration),
        can_close=allows("overleg.close_registration", user, registration),
    )


def registration_form_dossier(*, actor: Actor, reference: str) -> Dossier:
    """:func:`dossier_for_registration` for the registration page, which shows the family's name: the
    read is audited like the dossier page."""
    dossier = dossier_for_registration(actor=actor, reference=reference)
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="overleg.register_form",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
    )
    return dossier


def open_dossiers(*, actor: Actor) -> tuple[list[Any], int]:
    """The actor's open dossiers to choose from (the dossier selector; audited there)."""
    return dossier_list(actor=actor, status="open", limit=200)


def registration_list(*, actor: Actor, status: str = "", overleg_type_id: int | None = None) -> list[CaseRegistration]:
    """The registrations the actor may see, newest first, at most 200, optionally of one status or
    overleg type. One audit event names the cases listed."""
    qs = registrations_visible_to(actor)
    if status in RegistrationStatus.values:
        qs = qs.filter(status=status)
    if overleg_type_id is not None:
        qs = qs.filter(overleg_type_id=overleg_type_id)
    rows = list(qs.order_by("-registered_at")[:200])
    audit_list_read(actor, "registration_list", rows)
    return rows
