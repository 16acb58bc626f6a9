"""The demo profile's overleg: two overleg types with history and agreements in every state."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import actor_for_user
from keten.core.audit import verify_chain
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.meetings import selectors as meeting_selectors
from keten.overleg.models import (
    AgendaSource,
    Agreement,
    AgreementStatus,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    RegistrationStatus,
)
from keten.overleg.registrations import selectors as registration_selectors
from keten.seeding.overleg_demo import STRAF_ZORG, WIJK

pytestmark = pytest.mark.django_db


def test_demo_has_overleg_with_history_and_agreements_in_every_state() -> None:
    call_command("seed", profile="demo", verbosity=1, stdout=io.StringIO())
    straf = OverlegType.objects.get(name=STRAF_ZORG)
    assert straf.weekdays == [2, 4]
    assert straf.start_time is not None
    assert straf.start_time.hour == 10
    assert straf.convenant is not None
    assert OverlegType.objects.filter(name=WIJK).exists()
    now = timezone.now()
    held = Meeting.objects.filter(overleg_type=straf, status=MeetingStatus.HELD, starts_at__lt=now)
    assert held.count() >= 6
    assert {timezone.localtime(m.starts_at).isoweekday() for m in held} == {2, 4}
    assert Meeting.objects.filter(overleg_type=straf, status=MeetingStatus.CANCELLED).count() == 1
    assert Meeting.objects.filter(overleg_type=straf, status=MeetingStatus.PLANNED, starts_at__gt=now).count() >= 4

    today = timezone.localdate()
    agreements = Agreement.objects.all()
    assert set(agreements.values_list("status", flat=True)) == set(AgreementStatus.values)
    assert agreements.filter(status=AgreementStatus.OPEN, due_on__lt=today).count() >= 2
    done = [a for a in agreements.filter(status=AgreementStatus.DONE) if a.closed_at]
    assert any(timezone.localdate(a.closed_at) <= a.due_on for a in done)
    assert any(timezone.localdate(a.closed_at) > a.due_on for a in done)

    statuses = set(CaseRegistration.objects.values_list("status", flat=True))
    assert statuses == set(RegistrationStatus.values)
    assert CaseRegistration.objects.filter(match__isnull=False).exists()

    chair = User.objects.get(username="demo-veiligthuis")
    assert len(registration_selectors.triage_queue(actor=actor_for_user(chair))) == 1
    prof = User.objects.get(username="demo-professional")
    overdue = agreement_selectors.overdue_agreements(actor=actor_for_user(prof))
    assert overdue
    # The next meeting has the open agreements' cases back on its agenda, plus the newly admitted case.
    upcoming = (
        Meeting.objects.filter(overleg_type=straf, status=MeetingStatus.PLANNED, starts_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    assert upcoming is not None
    page = meeting_selectors.meeting_page(actor=actor_for_user(prof), pk=upcoming.pk)
    sources = {row.item.source for row in page.rows}
    assert {AgendaSource.FOLLOW_UP, AgendaSource.TRIAGE} <= sources
    assert any(row.open_agreements for row in page.rows)
    assert verify_chain().ok
