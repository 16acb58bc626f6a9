"""Writes of agreements: made at a meeting, changed while open, closed as done or cancelled.

Every change is an append-only :class:`~keten.overleg.models.AgreementVersion` row; a new owner is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.notifications.services import notification_send
from keten.overleg.models import (
    AgendaItem,
    AgendaState,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    CaseRegistration,
    MeetingStatus,
    RegistrationStatus,
)
from keten.overleg.services import (
    audit_change,
    case_professional,
    check_transition,
    clean_text,
    lock,
    page_link,
    require,
)

AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.OPEN: frozenset({AgreementStatus.DONE, AgreementStatus.CANCELLED}),
    AgreementStatus.DONE: frozenset(),
    AgreementStatus.CANCELLED: frozenset(),
}


# --- agreements -------------------------------------------------------------------------------


def _owner(
    owner_user_id: int | None, owner_organisation_id: int | None, municipality_id: int
) -> tuple[User | None, Organisation | None]:
    if owner_user_id is None and owner_organisation_id is None:
        raise DomainError(_("Kies wie de afspraak uitvoert: een persoon of een organisatie."), field="owner")
    owner_user = None
    owner_org = None
    if owner_user_id is not None:
        # Only someone who may see case content can follow an agreement up.
        owner_user = case_professional(
            owner_user_id, "owner", _("Kies als eigenaar een actieve professional met een casusrol.")
        )
    if owner_organisation_id is not None:
        owner_org = Organisation.objects.filter(
            pk=owner_organisation_id, is_active=True, municipality_id=municipality_id
        ).first()
        if owner_org is None:
            raise DomainError(_("Kies als eigenaar een actieve organisatie uit deze gemeente."), field="owner")
    return owner_user, owner_org


def _due(due_on: dt.date | None) -> dt.date:
    if due_on is None:
        raise DomainError(_("Vul de datum in waarop de afspraak uitgevoerd moet zijn."), field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(
            _("Deze datum ligt in het verleden. Kies vandaag of een latere datum."),
            field="due_on",
        )
    return due_on


def _snapshot(agreement: Agreement) -> dict[str, Any]:
    return {
        "owner_user": agreement.owner_user_id,
        "owner_organisation": agreement.owner_organisation_id,
        "what": agreement.what,
        "due_on": agreement.due_on.isoformat() if agreement.due_on else None,
        "status": agreement.status,
        "result": agreement.result or "",
    }


def _version_row(agreement: Agreement, kind: str, user: User, fields: Iterable[str]) -> AgreementVersion:
    row = AgreementVersion(
        agreement=agreement,
        version=agreement.version,
        kind=kind,
        changed_by=user,
        fields=sorted(fields),
        values=_snapshot(agreement),
    )
    row.save()
    return row


def _notify_owner(agreement: Agreement, registration: CaseRegistration, actor_user: User, title: str) -> None:
    if agreement.owner_user is not None and agreement.owner_user.pk != actor_user.pk:
        notification_send(
            recipients=[agreement.owner_user],
            kind="overleg.agreement",
            title=title % {"name": registration.overleg_type.name},
            body=_("Uiterlijk %(day)s. De inhoud staat in Keten.") % {"day": agreement.due_on.strftime("%d-%m-%Y")},
            link=page_link("overleg:my_agreements"),
        )


def agreement_create(
    *,
    actor: Actor,
    item: AgendaItem,
    what: str,
    due_on: dt.date | None,
    owner_user_id: int | None = None,
    owner_organisation_id: int | None = None,
) -> Agreement:
    """Record an agreement made at a meeting: who (person or organisation) does what by when."""
    user = require("overleg.record_discussion", actor, item)
    registration = item.registration
    if item.state != AgendaState.ON_AGENDA or item.meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze casus staat niet (meer) op de agenda van deze bijeenkomst."))
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Afspraken worden alleen gemaakt voor een toegelaten casus die nog loopt."))
    what = clean_text(what, "what", _("Beschrijf wat er is afgesproken."))
    owner_user, owner_org = _owner(owner_user_id, owner_organisation_id, registration.overleg_type.municipality_id)
    due = _due(due_on)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            registration=registration,
            agenda_item=item,
            owner_user=owner_user,
            owner_organisation=owner_org,
            what=what,
            due_on=due,
            created_by=user,
        )
        _version_row(agreement, AgreementVersion.Kind.CREATED, user, ["owner", "what", "due_on"])
        audit_change(actor, AuditAction.CREATE, "agreement", agreement.pk, registration, meeting=item.meeting_id)
        _notify_owner(agreement, registration, user, _("Nieuwe afspraak voor u uit %(name)s"))
    return agreement


_UNSET: Any = object()


def agreement_update(
    *,
    actor: Actor,
    agreement: Agreement,
    expected_version: int | None,
    what: str | None = None,
    due_on: dt.date | None = _UNSET,
    owner_user_id: int | None = _UNSET,
    owner_organisation_id: int | None = _UNSET,
) -> Agreement:
    """Change an open agreement. ``expected_version`` is the version the editor loaded (conflict check)."""
    user = require("overleg.change_agreement", actor, agreement)
    if expected_version is None:
        raise DomainError(_("De versie van de afspraak ontbreekt. Laad de pagina opnieuw."), field="version")
    registration = agreement.registration
    with transaction.atomic():
        locked = lock(Agreement.objects, agreement.pk, expected_version)
        if locked.status != AgreementStatus.OPEN:
            raise DomainError(_("Deze afspraak is al afgerond en verandert niet meer."))
        changed: list[str] = []
        if what is not None:
            new_what = clean_text(what, "what", _("Beschrijf wat er is afgesproken."))
            if new_what != locked.what:
                locked.what = new_what
                changed.append("what")
        if due_on is not _UNSET:
            new_due = _due(due_on)
            if new_due != locked.due_on:
                locked.due_on = new_due
                locked.reminded_at = None
                locked.overdue_notified_at = None
                changed.append("due_on")
        if owner_user_id is not _UNSET or owner_organisation_id is not _UNSET:
            new_user_id = locked.owner_user_id if owner_user_id is _UNSET else owner_user_id
            new_org_id = locked.owner_organisation_id if owner_organisation_id is _UNSET else owner_organisation_id
            owner_user, owner_org = _owner(new_user_id, new_org_id, registration.overleg_type.municipality_id)
            if (new_user_id, new_org_id) != (locked.owner_user_id, locked.owner_organisation_id):
                locked.owner_user = owner_user
                locked.owner_organisation = owner_org
                changed.append("owner")
        if not changed:
            return locked
        locked.version += 1
        locked.save()
        _version_row(locked, AgreementVersion.Kind.UPDATED, user, changed)
        audit_change(actor, AuditAction.UPDATE, "agreement", locked.pk, registration, fields=changed)
        if "owner" in changed:
            _notify_owner(locked, registration, user, _("Nieuwe afspraak voor u uit %(name)s"))
    return locked


def agreement_close(
    *,
    actor: Actor,
    agreement: Agreement,
    expected_version: int | None,
    result: str,
    status: str = AgreementStatus.DONE,
) -> Agreement:
    """Close an open agreement as done (with its result) or cancelled (with the reason)."""
    user = require("overleg.change_agreement", actor, agreement)
    if expected_version is None:
        raise DomainError(_("De versie van de afspraak ontbreekt. Laad de pagina opnieuw."), field="version")
    if status not in (AgreementStatus.DONE, AgreementStatus.CANCELLED):
        raise DomainError(_("Kies of de afspraak is uitgevoerd of is vervallen."), field="status")
    message = (
        _("Beschrijf het resultaat van de afspraak.")
        if status == AgreementStatus.DONE
        else _("Beschrijf waarom de afspraak is vervallen.")
    )
    result = clean_text(result, "result", message)
    with transaction.atomic():
        locked = lock(Agreement.objects, agreement.pk, expected_version)
        check_transition(
            AGREEMENT_TRANSITIONS, locked.status, status, _("Deze afspraak is al afgerond en verandert niet meer.")
        )
        locked.status = status
        locked.result = result
        locked.closed_at = timezone.now()
        locked.version += 1
        locked.save()
        kind = AgreementVersion.Kind.DONE if status == AgreementStatus.DONE else AgreementVersion.Kind.CANCELLED
        _version_row(locked, kind, user, ["status", "result"])
        audit_change(actor, AuditAction.UPDATE, f"agreement.{status}", locked.pk, agreement.registration)
    return locked
