"""Writes of the overleg set-up: an overleg type (by the municipality or its lead organisation) and its steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, User
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.overleg.models import (
    OverlegKind,
    OverlegType,
    ProcessStep,
)
from keten.overleg.selectors import acting_user
from keten.overleg.services import (
    MIN_REASON,
    audit_change,
    case_professional,
    clean_text,
    lock,
    require,
)

# --- overleg types (set-up by the municipality or the lead organisation) --------------------


@dataclass
class OverlegTypeData:
    name: str
    kind: str
    lead_organisation_id: int
    member_ids: Sequence[int] = ()
    chair_id: int | None = None
    weekdays: Sequence[int] = ()
    start_time: dt.time | None = None
    duration_minutes: int = 90
    location: str = ""
    online_link: str = ""
    convenant_id: int | None = None
    privacy_basis: str = ""
    is_active: bool = True


def _validate_type(actor: Actor, data: OverlegTypeData) -> tuple[Organisation, list[Organisation], User | None]:

    user = acting_user(actor)
    assert actor.membership is not None
    municipality_id = actor.membership.organisation.municipality_id
    if len((data.name or "").strip()) < 3:
        raise DomainError(_("Geef het overleg een naam."), field="name")
    if data.kind not in OverlegKind.values:
        raise DomainError(_("Kies de soort overleg."), field="kind")
    lead = Organisation.objects.filter(
        pk=data.lead_organisation_id, municipality_id=municipality_id, is_active=True
    ).first()
    if lead is None:
        raise DomainError(_("Kies de organisatie die het overleg voert."), field="lead_organisation")
    members = list(Organisation.objects.filter(pk__in=list(data.member_ids), is_active=True))
    if len(members) != len(set(data.member_ids)):
        raise DomainError(_("Kies alleen bestaande, actieve organisaties als deelnemer."), field="members")
    if any(not 1 <= d <= 7 for d in data.weekdays):
        raise DomainError(_("Kies weekdagen van maandag tot en met zondag."), field="weekdays")
    if data.weekdays and data.start_time is None:
        raise DomainError(_("Vul de aanvangstijd in voor een terugkerend overleg."), field="start_time")
    if not 15 <= data.duration_minutes <= 480:
        raise DomainError(_("Een bijeenkomst duurt tussen 15 minuten en 8 uur."), field="duration_minutes")
    if data.convenant_id is None and len((data.privacy_basis or "").strip()) < MIN_REASON:
        raise DomainError(
            _(
                "Leg vast op welke grondslag de deelnemers gegevens delen: "
                "kies een convenant of beschrijf de grondslag."
            ),
            field="privacy_basis",
        )
    if data.convenant_id is not None:
        from keten.sharing.models import Convenant

        if not Convenant.objects.filter(pk=data.convenant_id, municipality_id=municipality_id).exists():
            raise DomainError(_("Kies een convenant van deze gemeente."), field="convenant")
    chair = None
    if data.chair_id is not None:
        chair = case_professional(data.chair_id, "chair", _("Kies als voorzitter een professional met een casusrol."))
    del user
    return lead, members, chair


def overleg_type_create(*, actor: Actor, data: OverlegTypeData) -> OverlegType:
    """Set up a new overleg for the actor's municipality."""
    require("overleg.manage_type", actor, None)
    lead, members, chair = _validate_type(actor, data)
    assert actor.membership is not None
    with transaction.atomic():
        overleg_type = OverlegType.objects.create(
            municipality_id=actor.membership.organisation.municipality_id,
            name=data.name.strip(),
            kind=data.kind,
            lead_organisation=lead,
            chair=chair,
            weekdays=sorted(set(data.weekdays)),
            start_time=data.start_time,
            duration_minutes=data.duration_minutes,
            location=data.location.strip(),
            online_link=data.online_link.strip(),
            convenant_id=data.convenant_id,
            privacy_basis=data.privacy_basis.strip(),
            is_active=data.is_active,
        )
        overleg_type.members.set(members)
        audit_change(actor, AuditAction.CREATE, "type", overleg_type.pk, name=overleg_type.name)
    return overleg_type


def overleg_type_update(
    *, actor: Actor, overleg_type: OverlegType, data: OverlegTypeData, expected_version: int | None
) -> OverlegType:
    require("overleg.manage_type", actor, overleg_type)
    lead, members, chair = _validate_type(actor, data)
    with transaction.atomic():
        locked = lock(OverlegType.objects, overleg_type.pk, expected_version)
        locked.name = data.name.strip()
        locked.kind = data.kind
        locked.lead_organisation = lead
        locked.chair = chair
        locked.weekdays = sorted(set(data.weekdays))
        locked.start_time = data.start_time
        locked.duration_minutes = data.duration_minutes
        locked.location = data.location.strip()
        locked.online_link = data.online_link.strip()
        locked.convenant_id = data.convenant_id
        locked.privacy_basis = data.privacy_basis.strip()
        locked.is_active = data.is_active
        locked.version += 1
        locked.save()
        locked.members.set(members)
        audit_change(actor, AuditAction.UPDATE, "type", locked.pk, name=locked.name)
    return locked


def process_step_add(*, actor: Actor, overleg_type: OverlegType, name: str, criteria: str = "") -> ProcessStep:
    require("overleg.manage_type", actor, overleg_type)
    name = clean_text(name, "name", _("Geef de processtap een naam."), minimum=2)
    with transaction.atomic():
        order = (ProcessStep.objects.filter(overleg_type=overleg_type).aggregate(m=Max("order"))["m"] or 0) + 1
        step = ProcessStep.objects.create(
            overleg_type=overleg_type, order=order, name=name, criteria=(criteria or "").strip()
        )
        audit_change(actor, AuditAction.CREATE, "process_step", step.pk, overleg_type=overleg_type.pk)
    return step
