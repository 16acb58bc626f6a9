"""Overleg jobs: reminders before the due date, overdue flags, the meeting calendar command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.notifications.models import Notification
from keten.overleg.agreements import services as agreement_services
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import AgendaItem, AgendaState, Agreement, CaseRegistration, Meeting
from keten.overleg.tasks import KIND_DUE_SOON, KIND_OVERDUE, overleg_reminders_send
from keten.overleg.tests.conftest import World

ActorOf = Callable[[User], Actor]


def _agreements(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> tuple[Agreement, Agreement, Agreement]:
    item = AgendaItem.objects.get(registration=admitted, state=AgendaState.ON_AGENDA)
    today = timezone.localdate()

    def make(**kw: object) -> Agreement:
        values: dict[str, object] = {"what": "Gesprek met de ouders", "due_on": today + dt.timedelta(days=30)}
        values.update(kw)
        return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)  # type: ignore[arg-type]

    soon = make(owner_user_id=world.member.pk, due_on=today + dt.timedelta(days=1))
    late_org = make(owner_organisation_id=world.politie.pk)
    later = make(owner_user_id=world.registrant.pk)
    Agreement.objects.filter(pk=late_org.pk).update(due_on=today - dt.timedelta(days=3))
    return soon, late_org, later


def test_reminders_and_overdue_flags_are_sent_once(
    world: World, admitted: CaseRegistration, actor_of: ActorOf, django_capture_on_commit_callbacks: Callable
) -> None:
    _soon, _late_org, later = _agreements(world, admitted, actor_of)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        result = overleg_reminders_send()
    assert (result.reminded, result.overdue) == (1, 1)
    due = Notification.objects.filter(kind=KIND_DUE_SOON)
    assert [n.recipient for n in due] == [world.member]
    overdue = Notification.objects.filter(kind=KIND_OVERDUE)
    # The politie owns it: its attendee (member) of that meeting, and the chair.
    assert {n.recipient for n in overdue} == {world.member, world.chair}
    for note in Notification.objects.all():
        assert "ouders" not in note.title + note.body
        assert world.dossier.family.pseudonym not in note.title + note.body
    for message in mail.outbox:
        assert "ouders" not in message.body
    again = overleg_reminders_send()
    assert (again.reminded, again.overdue, again.notifications) == (0, 0, 0)
    later.refresh_from_db()
    assert later.reminded_at is None


def test_a_new_due_date_is_reminded_again(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    soon, _late, _later = _agreements(world, admitted, actor_of)
    overleg_reminders_send()
    soon.refresh_from_db()
    moved = agreement_services.agreement_update(
        actor=actor_of(world.member),
        agreement=soon,
        expected_version=soon.version,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    assert moved.reminded_at is None
    assert overleg_reminders_send().reminded == 1


def test_overdue_agreement_returns_on_the_next_agenda(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    _agreements(world, admitted, actor_of)
    meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    assert AgendaItem.objects.filter(
        registration=admitted, meeting=world.next_meeting, state=AgendaState.ON_AGENDA
    ).exists()


def test_commands(world: World) -> None:
    out = StringIO()
    call_command("overleg_reminders", stdout=out)
    assert "overleg reminders: 0 due soon" in out.getvalue()
    out = StringIO()
    before = Meeting.objects.count()
    call_command("overleg_meetings", "--weeks", "2", stdout=out)
    made = Meeting.objects.count() - before
    assert f"overleg meetings: {made} planned" in out.getvalue()
    assert made >= 3
