"""Overleg services: meetings, the agenda, carrying open agreements, the recurrence and the attendance list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.notifications.models import Notification
from keten.overleg.agreements import services as agreement_services
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Attendance,
    CaseRegistration,
    Meeting,
    MeetingStatus,
)
from keten.overleg.registrations import selectors as registration_selectors
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World, make_meeting
from keten.overleg.tests.service_helpers import agenda_item, agreement_for
from keten.testing.factories import make_user

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


# --- meetings, agenda, carrying agreements ----------------------------------------------------


def test_holding_a_meeting_carries_open_agreements_to_the_next_agenda(
    world: World, admitted: CaseRegistration, register: Register, new_dossier: Callable, actor_of: ActorOf
) -> None:
    item = agenda_item(admitted, world.now_meeting)
    open_one = agreement_for(world, actor_of, item)
    closed_one = agreement_for(world, actor_of, item, what="Gesprek met school")
    agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=closed_one, expected_version=1, result="Gedaan"
    )
    # A second case on the agenda whose only agreement is done does not come back.
    other = register(dossier=new_dossier())
    registration_services.registration_admit(actor=actor_of(world.chair), registration=other, meeting=world.now_meeting)
    other_agreement = agreement_for(world, actor_of, agenda_item(other, world.now_meeting), what="Melding bespreken")
    agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=other_agreement, expected_version=1, result="Besproken"
    )

    held = meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    assert held.meeting.status == MeetingStatus.HELD
    assert held.carried == 1
    follow_up = agenda_item(admitted, world.next_meeting)
    assert follow_up.source == AgendaSource.FOLLOW_UP
    assert not AgendaItem.objects.filter(registration=other, meeting=world.next_meeting).exists()
    admitted.refresh_from_db()
    assert admitted.first_discussed_at == world.now_meeting.starts_at
    # Building the agenda again adds nothing.
    assert meeting_services.agenda_build(actor=actor_of(world.chair), meeting=world.next_meeting) == 0
    assert open_one.registration_id == admitted.pk
    with pytest.raises(DomainError):
        meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=held.meeting)


def test_a_meeting_that_has_not_started_cannot_be_held(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError, match="nog moet beginnen"):
        meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.next_meeting)


def test_cancelling_moves_cases_to_the_next_meeting(world: World, register: Register, actor_of: ActorOf) -> None:
    later = make_meeting(world.overleg, world.next_meeting.starts_at + dt.timedelta(days=2), world.chair)
    registration = register()
    registration_services.registration_admit(
        actor=actor_of(world.chair), registration=registration, meeting=world.next_meeting
    )
    with pytest.raises(DomainError):
        meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="")
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Storing")
    old = AgendaItem.objects.get(meeting=world.next_meeting, registration=registration)
    assert old.state == AgendaState.REMOVED
    assert agenda_item(registration, later).source == AgendaSource.TRIAGE
    assert Notification.objects.filter(kind="overleg.meeting_cancelled").count() == 2


def test_agenda_add_remove_keeps_history(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = meeting_services.agenda_item_add(
        actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted
    )
    with pytest.raises(DomainError, match="al op de agenda"):
        meeting_services.agenda_item_add(actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted)
    with pytest.raises(DomainError):
        meeting_services.agenda_item_remove(actor=actor_of(world.chair), item=item, reason="")
    meeting_services.agenda_item_remove(
        actor=actor_of(world.chair), item=item, reason="Besproken in andere bijeenkomst"
    )
    again = meeting_services.agenda_item_add(
        actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted
    )
    assert again.pk != item.pk
    assert list(AgendaEvent.objects.filter(item=item).values_list("kind", flat=True)) == ["added", "removed"]
    with pytest.raises(NotFoundError):
        meeting_services.agenda_item_add(
            actor=actor_of(world.member), meeting=world.next_meeting, registration=admitted
        )


def test_meetings_generate_from_the_recurrence(world: World) -> None:
    Meeting.objects.all().delete()
    tz = timezone.get_default_timezone()
    monday = dt.datetime(2026, 11, 23, 8, 0, tzinfo=tz)
    made = meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday)
    starts = list(Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert made == 4
    assert [timezone.localtime(s).date() for s in starts] == [
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 3),
    ]
    assert {timezone.localtime(s).isoweekday() for s in starts} == {2, 4}
    assert all(timezone.localtime(s).time() == dt.time(10, 0) for s in starts)
    assert meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday) == 0
    # A cancelled meeting is not made again.
    first = Meeting.objects.order_by("starts_at").first()
    assert first is not None
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.CANCELLED)
    assert meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday) == 0
    assert Meeting.objects.count() == 4


def test_generated_meetings_copy_the_attendance_list(world: World) -> None:
    made = meeting_services.meetings_generate(overleg_type=world.overleg, weeks=1)
    assert made >= 1
    newest = Meeting.objects.filter(generated=True).order_by("-starts_at").first()
    assert newest is not None
    assert set(Attendance.objects.filter(meeting=newest).values_list("user_id", flat=True)) == {
        world.chair.pk,
        world.member.pk,
    }


def test_attendance_and_absent_members_lose_sight(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    assert registration_selectors.registration_get(actor=actor_of(world.member), pk=admitted.pk)
    meeting_services.attendance_set(
        actor=actor_of(world.chair), meeting=world.now_meeting, user_id=world.member.pk, present=False
    )
    with pytest.raises(NotFoundError):
        registration_selectors.registration_get(actor=actor_of(world.member), pk=admitted.pk)
    row = meeting_services.attendance_set(
        actor=actor_of(world.chair), meeting=world.now_meeting, user_id=world.outsider.pk, present=True
    )
    assert row.organisation == world.politie
    assert registration_selectors.registration_get(actor=actor_of(world.outsider), pk=admitted.pk)
    with pytest.raises(DomainError):
        meeting_services.attendance_set(
            actor=actor_of(world.chair), meeting=world.next_meeting, user_id=world.outsider.pk, present=True
        )


def test_attendance_refuses_people_outside_the_overleg(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    """Issue 13, hole 4: only professionals (case role) of the overleg's organisations go on the list."""
    from keten.accounts.models import OrganisationType
    from keten.testing.factories import MunicipalityFactory, OrganisationFactory

    elders = OrganisationFactory(name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders"))
    huisarts = OrganisationFactory(
        name="Huisarts Test", type=OrganisationType.HUISARTS, municipality=world.wijkteam.municipality
    )
    refused = [
        make_user(Role.PROFESSIONAL, elders, username="elders"),
        make_user(Role.PROFESSIONAL, huisarts, username="dokter"),
        world.beleid,
    ]
    chair = actor_of(world.chair)
    for user in refused:
        for present in (None, True):
            with pytest.raises(DomainError) as exc:
                meeting_services.attendance_set(
                    actor=chair, meeting=world.now_meeting, user_id=user.pk, present=present
                )
            assert exc.value.field == "user"
        with pytest.raises(NotFoundError):
            registration_selectors.registration_get(actor=actor_of(user), pk=admitted.pk)
    # Naming an organisation that does not take part is refused as well.
    with pytest.raises(DomainError):
        meeting_services.attendance_set(
            actor=chair, meeting=world.now_meeting, user_id=world.outsider.pk, present=None, organisation_id=huisarts.pk
        )
    assert not Attendance.objects.filter(user__in=[*refused, world.outsider]).exists()


def test_a_new_meeting_copies_only_invited_participants(world: World, actor_of: ActorOf) -> None:
    # Someone put on the list earlier whose organisation no longer takes part is not copied.
    Attendance.objects.create(meeting=world.next_meeting, user=world.outsider, organisation=world.politie)
    world.overleg.members.remove(world.politie)
    meeting = meeting_services.meeting_create(
        actor=actor_of(world.beleid),
        overleg_type=world.overleg,
        starts_at=world.next_meeting.starts_at + dt.timedelta(days=7),
    )
    assert set(meeting.attendances.values_list("user_id", flat=True)) == {world.chair.pk}


def test_extra_meeting_in_the_past_is_refused(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError) as exc:
        meeting_services.meeting_create(
            actor=actor_of(world.chair),
            overleg_type=world.overleg,
            starts_at=timezone.now() - dt.timedelta(days=1),
        )
    assert exc.value.field == "starts_at"
    meeting = meeting_services.meeting_create(
        actor=actor_of(world.chair), overleg_type=world.overleg, starts_at=timezone.now() + dt.timedelta(days=10)
    )
    assert meeting.location == world.overleg.location
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def test_agenda_build_leaves_cases_scheduled_later_alone(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement_for(world, actor_of, agenda_item(admitted, world.now_meeting))
    meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    later = make_meeting(world.overleg, world.next_meeting.starts_at + dt.timedelta(days=2), world.chair)
    # The case came back on the next meeting; moving it to a later one keeps it off the next.
    item = agenda_item(admitted, world.next_meeting)
    meeting_services.agenda_item_remove(actor=actor_of(world.chair), item=item, reason="Schuift door naar donderdag")
    meeting_services.agenda_item_add(actor=actor_of(world.chair), meeting=later, registration=admitted)
    assert meeting_services.agenda_build(actor=actor_of(world.chair), meeting=world.next_meeting) == 0
    # The daily job builds the next agenda too (idempotently).
    meeting_services.meetings_generate(overleg_type=world.overleg, weeks=1)
    assert not AgendaItem.objects.filter(
        registration=admitted, meeting=world.next_meeting, state=AgendaState.ON_AGENDA
    ).exists()
