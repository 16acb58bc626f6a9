"""Writes of the discussion of a case at a meeting: the record (optionally by the four windows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.overleg.models import (
    AgendaItem,
    AgendaState,
    CaseRegistration,
    DiscussionEntry,
    MeetingStatus,
)
from keten.overleg.services import (
    audit_change,
    require,
)


@dataclass
class DiscussionData:
    summary: str = ""
    mensen: str = ""
    feiten: str = ""
    weging: str = ""
    volgende_stappen: str = ""
    decisions: str = ""
    corrects_id: int | None = None


def discussion_record(*, actor: Actor, item: AgendaItem, data: DiscussionData) -> DiscussionEntry:
    """Append the record of a case's discussion (optionally by the four windows); a correction is a new entry."""
    user = require("overleg.record_discussion", actor, item)
    assert actor.membership is not None
    if item.state != AgendaState.ON_AGENDA:
        raise DomainError(_("Deze casus staat niet (meer) op de agenda van deze bijeenkomst."))
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast."))
    if item.meeting.starts_at > timezone.now() + dt.timedelta(hours=1):
        raise DomainError(_("Leg het verslag vast tijdens of na de bijeenkomst."))
    values = {
        k: (getattr(data, k) or "").strip()
        for k in ("summary", "mensen", "feiten", "weging", "volgende_stappen", "decisions")
    }
    if not any(values.values()):
        raise DomainError(_("Vul minstens één onderdeel van het verslag in."), field="summary")
    corrects = None
    if data.corrects_id is not None:
        corrects = DiscussionEntry.objects.filter(pk=data.corrects_id, agenda_item=item).first()
        if corrects is None:
            raise DomainError(_("Het verslag dat u corrigeert hoort niet bij dit agendapunt."), field="corrects")
    with transaction.atomic():
        entry = DiscussionEntry(
            agenda_item=item,
            author=user,
            organisation_id=actor.membership.organisation_id,
            corrects=corrects,
            **{k: v or None for k, v in values.items()},
        )
        entry.save()
        CaseRegistration.objects.filter(pk=item.registration_id, first_discussed_at__isnull=True).update(
            first_discussed_at=item.meeting.starts_at
        )
        audit_change(
            actor,
            AuditAction.CREATE,
            "discussion",
            entry.pk,
            item.registration,
            meeting=item.meeting_id,
            viervenster=any(values[k] for k in ("mensen", "feiten", "weging", "volgende_stappen")),
        )
    return entry
