"""The audit log: append-only, hash-chained, verifiable."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from keten.core import audit
from keten.core.actor import actor_for_user
from keten.core.models import AppendOnlyError, AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _events(user, n=3):
    actor = actor_for_user(user)
    return [
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id=f"D-{i}") for i in range(n)
    ]


def test_events_chain_to_their_predecessor(professional):
    first, second, third = _events(professional)
    assert first.prev_hash == audit.GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.organisation_id == professional.active_membership.organisation_id
    assert third.role == "professional"


def test_verify_reports_intact_chain(professional, capsys):
    _events(professional, 5)
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 5
    call_command("verify_audit")
    assert "intact: 5 events" in capsys.readouterr().out


def test_application_refuses_update_and_delete(professional):
    event = _events(professional, 1)[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_verify_finds_altered_row(professional):
    events = _events(professional, 4)
    _raw("UPDATE core_auditevent SET object_id = %s WHERE id = %s", ["D-forged", events[2].pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == events[2].pk
    assert report.problem == "event content changed"
    with pytest.raises(CommandError, match=f"BROKEN at event {events[2].pk}"):
        call_command("verify_audit")


def test_verify_finds_removed_row(professional):
    events = _events(professional, 4)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[1].pk])
    report = audit.verify_chain()
    assert report.broken_at == events[2].pk
    assert report.problem == "previous event changed or removed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_database_refuses_update_and_delete_on_postgresql(professional):
    event = _events(professional, 1)[0]
    for sql in ("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger exists on PostgreSQL only")
def test_database_refuses_update_and_delete_of_listed_families_on_postgresql(professional):
    event = audit.record(
        actor=actor_for_user(professional), action=AuditAction.VIEW, object_type="dossier_list", clients=["G-A", "G-B"]
    )
    for sql in (
        "UPDATE core_auditeventclient SET pseudonym = 'G-X' WHERE event_id = %s",
        "DELETE FROM core_auditeventclient WHERE event_id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])


def test_listed_families_roll_back_with_their_event(professional):
    from keten.core.models import AuditEventClient

    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(
            actor=actor_for_user(professional), action=AuditAction.VIEW, object_type="dossier_list", clients=["G-A", ""]
        )
        assert AuditEventClient.objects.count() == 1  # empty pseudonyms are left out
        raise RuntimeError("the page failed")
    assert not AuditEventClient.objects.exists()


def test_event_rolls_back_with_the_failed_write(professional):
    actor = actor_for_user(professional)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="dossier")
        raise RuntimeError("the write failed")
    assert not AuditEvent.objects.exists()


def test_anchor_detects_removed_newest_events(professional, capsys):
    events = _events(professional, 3)
    call_command("verify_audit")
    out = capsys.readouterr().out
    anchor = out.strip().rsplit("anchor ", 1)[1]
    assert anchor == f"{events[-1].pk}:{events[-1].hash}"
    call_command("verify_audit", anchor=[anchor])
    _raw("DELETE FROM core_auditevent WHERE id = %s", [events[-1].pk])
    assert audit.verify_chain().ok  # a cut-back chain is still a valid chain ...
    with pytest.raises(CommandError, match="does NOT match"):
        call_command("verify_audit", anchor=[anchor])  # ... but the anchor catches it
    with pytest.raises(CommandError, match="Invalid anchor"):
        call_command("verify_audit", anchor=["12:abc"])


@pytest.mark.django_db(transaction=True)
def test_an_append_waiting_for_the_chain_lock_chains_onto_the_event_committed_meanwhile(professional):
    """Two appends at once: the second waits for the first's lock and must then read the head the
    first committed (not the one from before it waited), so that the chain does not fork."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("the chain lock is PostgreSQL's advisory lock (SQLite holds the write lock)")
    actor = actor_for_user(professional)
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-0")
    first_holds_lock = threading.Event()
    second_started = threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-1")
                first_holds_lock.set()
                second_started.wait(10)
                import time

                time.sleep(0.5)  # the second is now waiting for the lock
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_holds_lock.wait(10)
            second_started.set()
            audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-2")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failures
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.object_id for e in stored] == ["D-0", "D-1", "D-2"]
    assert stored[2].prev_hash == stored[1].hash
    assert audit.verify_chain().ok
