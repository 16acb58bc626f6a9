"""The large profile's overleg entry point, and the meeting that the benchmarks open."""

from __future__ import annotations

import random
from datetime import datetime

from django.utils import timezone

from keten.accounts.models import Municipality
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    Agreement,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
)
from keten.seeding.common import explicit_timestamps, progress
from keten.seeding.overleg_large.data import MUNICIPALITY_CODE, STRAF_ZORG_NAME
from keten.seeding.overleg_large.meetings import MeetingSeeding
from keten.seeding.overleg_large.specs import SpecSeeding


class _OverlegLarge(SpecSeeding, MeetingSeeding):
    """Plans the overleg types of the city, then writes each one's history."""


def bench_meeting() -> Meeting | None:
    """The straf–zorg meeting of the large profile that the meeting page benchmark opens: the next
    planned one with an agenda, or (on a database seeded days ago) the one that was next then."""
    planned = Meeting.objects.filter(
        overleg_type__name=STRAF_ZORG_NAME, status=MeetingStatus.PLANNED, items__isnull=False
    ).distinct()
    upcoming = planned.filter(ends_at__gt=timezone.now()).order_by("starts_at").first()
    return upcoming or planned.order_by("-starts_at").first()


def seed_overleg_large(*, seed: int, now: datetime, scale: float, show_progress: bool) -> dict[str, int]:
    """Two years of overleg for the large profile (whose organisations, staff and dossiers must exist)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not security)
    municipality = Municipality.objects.get(cbs_code=MUNICIPALITY_CODE)
    builder = _OverlegLarge(rng=rng, now=now, scale=scale, show_progress=show_progress)
    specs = builder.specs(municipality)
    with explicit_timestamps(
        OverlegType, Meeting, CaseRegistration, AgendaItem, AgendaEvent, DiscussionEntry, Agreement
    ):
        for spec in progress(specs, desc="overleg", enabled=show_progress):
            builder.build_one(spec, municipality)
    stats = builder.stats
    return {
        "overleg_types": len(specs),
        "overleg_meetings": stats.meetings,
        "overleg_registrations": stats.registrations,
        "overleg_agenda_items": stats.agenda_items,
        "overleg_discussions": stats.discussions,
        "overleg_agreements": stats.agreements,
    }
