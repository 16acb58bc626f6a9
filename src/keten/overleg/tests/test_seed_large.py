"""The large profile's overleg: two years of meetings, the benchmark meeting and agreements dashboard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import actor_for_user
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.meetings import selectors as meeting_selectors
from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    RegistrationStatus,
)
from keten.seeding.large import seed_large
from keten.seeding.overleg_large import BENCH_CASES, STRAF_ZORG_NAME, bench_meeting

pytestmark = pytest.mark.django_db


def test_large_profile_has_two_years_of_overleg() -> None:
    counts = seed_large(scale=0.01, progress=False)
    assert counts["overleg_meetings"] > 300
    straf = OverlegType.objects.get(name=STRAF_ZORG_NAME)
    meetings = Meeting.objects.filter(overleg_type=straf)
    first = meetings.order_by("starts_at").first()
    assert first is not None
    assert (timezone.now() - first.starts_at).days >= 2 * 363
    assert meetings.filter(status=MeetingStatus.HELD).count() > 190
    assert meetings.filter(status=MeetingStatus.PLANNED).count() >= 10
    assert set(CaseRegistration.objects.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert set(Agreement.objects.values_list("status", flat=True)) == set(AgreementStatus.values)
    assert Agreement.objects.filter(status=AgreementStatus.OPEN, due_on__lt=timezone.localdate()).exists()
    assert AgreementVersion.objects.count() > Agreement.objects.count()

    bench = User.objects.get(username="bench-professional")
    actor = actor_for_user(bench)
    meeting = bench_meeting()
    assert meeting is not None
    page = meeting_selectors.meeting_page(actor=actor, pk=meeting.pk)
    assert len(page.rows) == BENCH_CASES
    assert all(row.open_agreements for row in page.rows)
    mine = agreement_selectors.my_agreements(actor=actor)
    assert len(mine) >= 10
    with CaptureQueriesContext(connection) as ctx:
        agreement_selectors.my_agreements(actor=actor)
    # ids, rows, and the audit event (chain lock with head, insert, the families it lists; a savepoint
    # inside the test's transaction)
    assert len(ctx.captured_queries) <= 7
