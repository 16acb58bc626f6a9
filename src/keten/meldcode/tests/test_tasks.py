"""Handelingsverlegenheid and overdue feedback: flagged once, escalated once, reset by new activity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.meldcode import vocabulary
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.models import Traject
from keten.meldcode.tasks import (
    KIND_ESCALATED,
    KIND_FEEDBACK_OVERDUE,
    KIND_STALLED,
    meldcode_reminders_send,
    send_meldcode_reminders,
)
from keten.meldcode.trajecten import services as traject_services
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]


def _age(traject: Traject, days: int) -> None:
    Traject.objects.filter(pk=traject.pk).update(last_activity_at=timezone.now() - timedelta(days=days))


@override_settings(KETEN_MELDCODE_STALL_DAYS=10, KETEN_MELDCODE_ESCALATE_DAYS=5)
def test_stalled_traject_flagged_once_then_escalated_once(
    traject: Traject, professional: User, officer: User, organisation: Any
) -> None:
    other_org_officer = make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory(name="Elders"))
    _age(traject, 9)
    assert meldcode_reminders_send().stalled == 0
    _age(traject, 11)
    result = meldcode_reminders_send()
    assert result.stalled == 1
    assert result.escalated == 0
    note = Notification.objects.get(kind=KIND_STALLED)
    assert note.recipient == professional
    assert note.link == f"/meldcode/{traject.reference}/"
    assert traject.reference in note.body
    assert "Bakker" not in note.body + note.title
    traject.refresh_from_db()
    assert traject.stalled_notified_at is not None

    # Idempotent: a second run the same day sends nothing.
    again = meldcode_reminders_send()
    assert (again.stalled, again.escalated) == (0, 0)
    assert Notification.objects.filter(kind=KIND_STALLED).count() == 1

    later = timezone.now() + timedelta(days=6)
    result = meldcode_reminders_send(now=later)
    assert result.escalated == 1
    escalated = Notification.objects.filter(kind=KIND_ESCALATED)
    assert [n.recipient for n in escalated] == [officer]
    assert other_org_officer.pk not in {n.recipient_id for n in escalated}
    assert "consultatie" in escalated.get().title
    assert meldcode_reminders_send(now=later).escalated == 0
    assert Notification.objects.filter(kind=KIND_ESCALATED).count() == 1


@override_settings(KETEN_MELDCODE_STALL_DAYS=10, KETEN_MELDCODE_ESCALATE_DAYS=5)
def test_new_activity_resets_the_flags(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    _age(traject, 12)
    meldcode_reminders_send()
    traject_services.observation_record(
        actor=actor_of(professional),
        traject=traject,
        observed_on=timezone.localdate(),
        source=vocabulary.SOURCE_SELF,
        facts="Vandaag weer gezien.",
    )
    result = meldcode_reminders_send()
    assert result.reset == 1
    traject.refresh_from_db()
    assert traject.stalled_notified_at is None
    assert traject.stalled_escalated_at is None
    # No escalation after new activity, and a new stall flags again.
    assert meldcode_reminders_send(now=timezone.now() + timedelta(days=6)).escalated == 0
    _age(traject, 11)
    assert meldcode_reminders_send().stalled == 1
    assert Notification.objects.filter(kind=KIND_STALLED).count() == 2


@override_settings(KETEN_MELDCODE_STALL_DAYS=10)
def test_decided_or_closed_trajecten_are_not_flagged(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    traject_services.traject_close(actor=actor, traject=traject, motivation="Geen zorgen meer na het gesprek.")
    _age(traject, 30)
    assert meldcode_reminders_send().stalled == 0
    assert not Notification.objects.filter(kind=KIND_STALLED).exists()


def test_overdue_feedback_signalled_once(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    for number in (1, 2):
        weging_services.afweging_record(
            actor=actor, traject=traject, number=number, answer=True, motivation="Gewogen na de eerdere stappen."
        )
    weging_services.decision_record(
        actor=actor,
        traject=traject,
        data=weging_services.DecisionData(decision="melden", motivation="Acute onveiligheid."),
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(
            reported_on=timezone.localdate(), vt_region="Utrecht", shared="Signalen en gesprek.", client_informed=True
        ),
    )
    assert meldcode_reminders_send().feedback_overdue == 0
    Traject.objects.filter(pk=traject.pk).update(vt_feedback_due=timezone.localdate() - timedelta(days=1))
    assert meldcode_reminders_send().feedback_overdue == 1
    note = Notification.objects.get(kind=KIND_FEEDBACK_OVERDUE)
    assert note.recipient == professional
    assert traject.reference in note.body
    assert meldcode_reminders_send().feedback_overdue == 0
    assert Notification.objects.filter(kind=KIND_FEEDBACK_OVERDUE).count() == 1
    # A hermelding later on: its own feedback becomes overdue and is signalled again, once.
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=20))
    Traject.objects.filter(pk=traject.pk).update(
        melding_on=timezone.localdate() - timedelta(days=8), vt_feedback_due=timezone.localdate() - timedelta(days=1)
    )
    assert meldcode_reminders_send().feedback_overdue == 1
    assert meldcode_reminders_send().feedback_overdue == 0
    assert Notification.objects.filter(kind=KIND_FEEDBACK_OVERDUE).count() == 2


@override_settings(KETEN_MELDCODE_STALL_DAYS=10)
def test_command_and_task(traject: Traject, django_assert_max_num_queries: Any) -> None:
    _age(traject, 15)
    out = StringIO()
    call_command("meldcode_reminders", stdout=out)
    assert "1 stalled flagged" in out.getvalue()
    out = StringIO()
    call_command("meldcode_reminders", stdout=out)
    assert "0 stalled flagged" in out.getvalue()
    out = StringIO()
    call_command("meldcode_reminders", "--enqueue", stdout=out)
    assert "queued meldcode reminders" in out.getvalue()
    assert send_meldcode_reminders.call() == 0
    with django_assert_max_num_queries(12):
        meldcode_reminders_send()
