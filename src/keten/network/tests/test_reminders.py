"""Reminders about stale sociale kaart entries: who is told, how often, and what the command prints."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.network.kaart.services import entry_reminders_send
from keten.network.models import OrganisationEntry
from keten.network.tasks import send_entry_reminders
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_user


def _confirmed(organisation: Organisation, days_ago: int | None) -> None:
    when = None if days_ago is None else timezone.now() - timedelta(days=days_ago)
    OrganisationEntry.objects.filter(organisation=organisation).update(last_confirmed_at=when)


def _recipients(kind: str = "network_entry_stale") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for note in Notification.objects.filter(kind=kind).select_related("recipient"):
        out.setdefault(note.link, set()).add(note.recipient.username)
    return out


@pytest.fixture
def fresh_jgz(jgz: Organisation) -> Organisation:
    _confirmed(jgz, 10)
    return jgz


@override_settings(KETEN_NETWORK_STALE_MONTHS=6, KETEN_NETWORK_REMINDER_DAYS=30)
def test_stale_entry_reminds_beheerders_and_editors_once(
    school: Organisation,
    fresh_jgz: Organisation,
    fb_school: User,
    school_prof: User,
    fb_gemeente: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _confirmed(fb_gemeente.active_membership.organisation, 0)  # type: ignore[union-attr]
    _confirmed(school, 400)
    editor = make_user(Role.PROFESSIONAL, school, username="redacteur")
    former = make_user(Role.PROFESSIONAL, school, username="vertrokken")
    entry = OrganisationEntry.objects.get(organisation=school)
    entry.editors.add(editor, former)
    Membership.objects.filter(user=former).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        done = entry_reminders_send()
    assert [(r.organisation_name, r.recipients) for r in done] == [(school.name, 2)]
    link = f"/sociale-kaart/organisaties/{school.pk}/"
    assert _recipients() == {link: {"fb-school", "redacteur"}}  # not the colleague, not the former editor
    note = Notification.objects.filter(kind="network_entry_stale").first()
    assert note is not None
    assert school.name in note.title
    assert "sinds" in note.body
    assert len(mail.outbox) == 2
    assert all(school.name not in m.body for m in mail.outbox)  # the mail only says "log in"
    entry.refresh_from_db()
    assert entry.last_reminder_sent_at is not None
    event = AuditEvent.objects.get(object_type="organisation_entry", object_id=str(school.pk))
    assert event.details == {"reminder_sent": True, "recipients": sorted([fb_school.pk, editor.pk])}
    assert event.actor_id is None

    # Idempotent: a second run on the same day sends nothing.
    assert entry_reminders_send() == []
    assert Notification.objects.filter(kind="network_entry_stale").count() == 2
    # Within the reminder period nothing either; after it, one more reminder.
    assert entry_reminders_send(now=timezone.now() + timedelta(days=29)) == []
    again = entry_reminders_send(now=timezone.now() + timedelta(days=31))
    assert [r.organisation_id for r in again] == [school.pk]
    assert Notification.objects.filter(kind="network_entry_stale").count() == 4


def test_confirming_stops_the_reminders(school: Organisation, fb_school: User) -> None:
    _confirmed(school, None)
    assert [r.organisation_id for r in entry_reminders_send()] == [school.pk]
    _confirmed(school, 0)
    assert entry_reminders_send(now=timezone.now() + timedelta(days=60)) == []


def test_never_confirmed_entry_says_so(school: Organisation, fb_school: User) -> None:
    _confirmed(school, None)
    entry_reminders_send()
    note = Notification.objects.get(kind="network_entry_stale")
    assert "nog nooit bevestigd" in note.body


def test_without_own_beheerder_or_editor_the_gemeente_beheerder_is_told(
    school: Organisation, fb_gemeente: User, gemeente: Organisation, school_prof: User
) -> None:
    _confirmed(gemeente, 0)
    _confirmed(school, 400)
    done = entry_reminders_send()
    assert [(r.organisation_id, r.recipients) for r in done] == [(school.pk, 1)]
    assert _recipients() == {f"/sociale-kaart/organisaties/{school.pk}/": {"fb"}}


def test_nobody_to_tell_is_reported_and_retried(municipality: Any) -> None:
    lonely = OrganisationFactory(name="Sportclub", type=OrganisationType.SPORT, municipality=municipality)
    _confirmed(lonely, None)
    done = entry_reminders_send()
    assert [(r.organisation_id, r.recipients) for r in done] == [(lonely.pk, 0)]
    assert OrganisationEntry.objects.get(organisation=lonely).last_reminder_sent_at is None
    assert len(entry_reminders_send()) == 1  # tried again next time


def test_inactive_organisations_are_skipped(school: Organisation, fb_gemeente: User, gemeente: Organisation) -> None:
    _confirmed(gemeente, 0)
    _confirmed(school, None)
    Organisation.objects.filter(pk=school.pk).update(is_active=False)
    assert entry_reminders_send() == []


def test_reminder_run_query_count_is_constant(
    municipality: Any, fb_gemeente: User, gemeente: Organisation, django_assert_max_num_queries: Any
) -> None:
    _confirmed(gemeente, 0)
    for n in range(12):
        organisation = OrganisationFactory(name=f"Praktijk {n}", municipality=municipality)
        make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, username=f"fb{n}")
        _confirmed(organisation, None)
    # Listing the entries and their recipients is a fixed 4 queries; then a fixed few per reminded entry.
    with django_assert_max_num_queries(4 + 12 * 8):
        done = entry_reminders_send()
    assert len(done) == 12


def test_command_prints_what_it_did(school: Organisation, fb_school: User, municipality: Any) -> None:
    _confirmed(school, 400)
    lonely = OrganisationFactory(name="Sportclub", type=OrganisationType.SPORT, municipality=municipality)
    _confirmed(lonely, None)
    out = StringIO()
    call_command("network_reminders", stdout=out)
    text = out.getvalue()
    assert f"reminded 1 people: {school.name}" in text
    assert "nobody to remind: Sportclub" in text
    assert "network reminders: 1 entries reminded, 1 without recipients" in text
    again = StringIO()
    call_command("network_reminders", stdout=again)
    assert "0 entries reminded" in again.getvalue()
    assert Notification.objects.filter(kind="network_entry_stale").count() == 1


def test_command_can_queue_the_task(school: Organisation, fb_school: User) -> None:
    _confirmed(school, 400)
    out = StringIO()
    call_command("network_reminders", "--enqueue", stdout=out)
    assert "queued network reminders" in out.getvalue()
    # The test settings run tasks immediately.
    assert Notification.objects.filter(kind="network_entry_stale", recipient=fb_school).count() == 1


def test_task_returns_the_number_reminded(school: Organisation, fb_school: User) -> None:
    _confirmed(school, 400)
    result = send_entry_reminders.enqueue()
    assert result.return_value == 1
    assert send_entry_reminders.enqueue().return_value == 0
