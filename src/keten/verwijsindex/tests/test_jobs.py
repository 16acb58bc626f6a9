"""Scheduled jobs: the lifecycle and alert commands and tasks, the webhook sweep, the feed retention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.verwijsindex import services, tasks, webhooks
from keten.verwijsindex.models import (
    FeedEvent,
    Match,
    MatchStatus,
    Regievoerder,
    Signal,
    SignalStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from keten.verwijsindex.webhooks import sending

Reg = Callable[..., services.Registration]
ActorOf = Callable[[User], Actor]


def _run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def matched(teacher: User, jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> Match:
    services.signal_register(actor=actor_of(teacher), data=registration())
    result = services.signal_register(actor=actor_of(jgz_nurse), data=registration())
    return result.matches[0]


def test_lifecycle_command_expires_signals_ends_the_match_and_prints_counts(matched: Match) -> None:
    Signal.objects.update(active_until=timezone.localdate() - timedelta(days=1))
    before = FeedEvent.objects.filter(kind=FeedEvent.Kind.MATCH_ENDED).count()
    output = _run("verwijsindex_lifecycle")
    assert "2 signals expired to the archive" in output
    assert "1 matches ended" in output
    assert set(Signal.objects.values_list("status", flat=True)) == {SignalStatus.GEARCHIVEERD}
    matched.refresh_from_db()
    assert matched.status == MatchStatus.BEEINDIGD
    # Both organisations hear that the match ended.
    assert FeedEvent.objects.filter(kind=FeedEvent.Kind.MATCH_ENDED).count() == before + 2
    assert AuditEvent.objects.filter(object_type="vi.lifecycle").exists()
    # A second run on the same day finds nothing to do.
    assert "0 signals expired" in _run("verwijsindex_lifecycle")


def test_lifecycle_command_ages_out_and_takes_a_day(matched: Match) -> None:
    output = _run("verwijsindex_lifecycle", "--today", (date(2014, 3, 2) + timedelta(days=23 * 366)).isoformat())
    assert "1 young people aged out" in output
    assert not Match.objects.exists()
    assert not FeedEvent.objects.exists()
    with pytest.raises(CommandError):
        _run("verwijsindex_lifecycle", "--today", "gisteren")


def test_lifecycle_forgets_old_feed_events(matched: Match) -> None:
    assert FeedEvent.objects.count() == 2
    FeedEvent.objects.update(created_at=timezone.now() - timedelta(days=91))
    assert "2 old match events forgotten" in _run("verwijsindex_lifecycle")
    assert not FeedEvent.objects.exists()
    with override_settings(KETEN_VI_FEED_RETENTION_DAYS=400):
        assert webhooks.feed_purge() == 0


def test_alerts_command_alerts_the_regievoerder_once(matched: Match, wijkteam_worker: User) -> None:
    Regievoerder.objects.create(
        municipality_id=wijkteam_worker.active_membership.organisation.municipality_id, user=wijkteam_worker
    )
    Match.objects.update(contact_due=timezone.localdate() - timedelta(days=1))
    output = _run("verwijsindex_alerts")
    assert "1 overdue matches alerted" in output
    assert "0 postponed notices reminded" in output
    assert Notification.objects.filter(recipient=wijkteam_worker, kind="verwijsindex.overdue").count() == 1
    assert "0 overdue matches alerted" in _run("verwijsindex_alerts")


def test_enqueue_runs_the_tasks(matched: Match) -> None:
    assert "queued verwijsindex lifecycle" in _run("verwijsindex_lifecycle", "--enqueue")
    assert "queued verwijsindex alerts" in _run("verwijsindex_alerts", "--enqueue")
    assert "queued verwijsindex webhooks" in _run("verwijsindex_webhooks", "--enqueue")
    Signal.objects.update(active_until=timezone.localdate() - timedelta(days=1))
    result = tasks.run_lifecycle.enqueue()
    assert result.return_value["expired"] == 2
    assert result.return_value["matches_ended"] == 1
    assert tasks.run_alerts.enqueue().return_value == {"alerted": 0, "reminders": 0}


def test_webhook_sweep_command(matched: Match, teacher: User, monkeypatch: Any) -> None:
    from keten.accounts.models import ApiClient

    client = ApiClient.objects.create(
        organisation=teacher.active_membership.organisation,
        name="School",
        token_prefix="x",
        token_hash="y",
        scopes=["verwijsindex:read"],
    )
    sub = WebhookSubscription.objects.create(api_client=client, url="https://example.invalid/hook", secret="s" * 30)
    event = FeedEvent.objects.filter(organisation=teacher.active_membership.organisation).first()
    assert event is not None
    WebhookDelivery.objects.create(subscription=sub, event=event)
    sent: list[str] = []

    def fake_post(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append(url)
        return 200

    monkeypatch.setattr(sending, "_post", fake_post)
    assert "1 delivered, 0 to retry later, 0 given up" in _run("verwijsindex_webhooks")
    assert sent == ["https://example.invalid/hook"]
    assert "0 delivered" in _run("verwijsindex_webhooks")
    assert tasks.send_due_webhooks.enqueue().return_value == {"delivered": 0, "failed": 0, "pending": 0}
