"""The audit log's batch append: one chain lock, one INSERT, the same chain as single appends."""

from __future__ import annotations

import pytest
from django.db import transaction

from keten.core import audit
from keten.core.actor import actor_for_user
from keten.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_batch_chains_like_single_appends_and_verifies(professional, django_assert_num_queries):
    actor = actor_for_user(professional)
    first = audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-0")
    entries = [
        audit.Entry(action=AuditAction.CREATE, object_type="vi.signal", object_id=i, client_pseudonym=f"J{i}")
        for i in range(1, 6)
    ]
    # The head read (with the chain lock on PostgreSQL) and one INSERT, whatever the batch size.
    with django_assert_num_queries(2):
        events = audit.record_many(actor=actor, entries=entries)
    last = audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-9")
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.object_id for e in stored] == ["D-0", "1", "2", "3", "4", "5", "D-9"]
    assert stored[1].prev_hash == first.hash
    assert [e.prev_hash for e in stored[2:6]] == [e.hash for e in stored[1:5]]
    assert last.prev_hash == events[-1].hash == stored[5].hash
    assert all(e.actor_id == professional.pk and e.role == "professional" for e in stored[1:6])
    assert stored[3].client_pseudonym == "J3"
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 7


def test_empty_batch_writes_nothing(professional, django_assert_num_queries):
    actor = actor_for_user(professional)
    with django_assert_num_queries(0):
        assert audit.record_many(actor=actor, entries=[]) == []


def test_batch_rolls_back_with_the_failed_write(professional):
    actor = actor_for_user(professional)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record_many(actor=actor, entries=[audit.Entry(action=AuditAction.UPDATE, object_type="x")] * 3)
        raise RuntimeError("the write failed")
    assert not AuditEvent.objects.exists()
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier")
    assert audit.verify_chain().ok


def test_system_batch_carries_the_label(db):
    events = audit.record_many(
        actor=None, entries=[audit.Entry(action=AuditAction.DELETE, object_type="vi.lifecycle")], user_label="nacht"
    )
    assert events[0].actor_label == "nacht"
    assert events[0].actor_id is None
    assert audit.verify_chain().ok


# --- batched(): the events a page's selectors record, written together ------------------------------


def test_events_recorded_in_a_batch_are_written_together_and_chain_like_single_appends(
    professional, django_assert_num_queries
):
    from keten.core.models import AuditEventClient

    actor = actor_for_user(professional)
    first = audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-0")
    # The chain lock with the head, the events, their families.
    with django_assert_num_queries(3), audit.batched():
        listed = audit.record(actor=actor, action=AuditAction.VIEW, object_type="list", clients=["G-B", "G-A", ""])
        single = audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", client_pseudonym="G-C")
        with audit.batched():  # a nested block joins the outer one
            inner = audit.record(actor=actor, action=AuditAction.VIEW, object_type="inbox")
        assert listed.pk is None  # not written yet
        assert inner.pk is None
    assert listed.pk < single.pk < inner.pk
    assert listed.prev_hash == first.hash
    assert single.prev_hash == listed.hash
    assert inner.prev_hash == single.hash
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.object_type for e in stored] == ["dossier", "list", "dossier", "inbox"]
    assert stored[2].client_pseudonym == "G-C"
    assert stored[3].hash == inner.hash
    assert sorted(AuditEventClient.objects.filter(event=listed).values_list("pseudonym", flat=True)) == ["G-A", "G-B"]
    assert not AuditEventClient.objects.filter(event=single).exists()
    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 4


def test_an_empty_batch_writes_nothing(professional, django_assert_num_queries):
    with django_assert_num_queries(0), audit.batched():
        pass


def test_an_event_inside_a_transaction_of_the_batch_is_written_at_once_and_rolls_back_with_it(professional):
    actor = actor_for_user(professional)
    with audit.batched():
        read = audit.record(actor=actor, action=AuditAction.VIEW, object_type="list")
        with pytest.raises(RuntimeError), transaction.atomic():
            written = audit.record(actor=actor, action=AuditAction.UPDATE, object_type="dossier")
            assert written.pk is not None
            raise RuntimeError("the write failed")
        kept = audit.record(actor=actor, action=AuditAction.UPDATE, object_type="dossier", object_id="D-1")
        with transaction.atomic():
            now = audit.record(actor=actor, action=AuditAction.UPDATE, object_type="dossier", object_id="D-2")
        assert now.pk is not None
        assert read.pk is None
        assert kept.pk is None
    assert [e.object_id for e in AuditEvent.objects.order_by("id")] == ["D-2", "", "D-1"]
    assert audit.verify_chain().ok


def test_what_was_recorded_before_a_failure_in_the_batch_is_still_written(professional):
    actor = actor_for_user(professional)
    with pytest.raises(LookupError), audit.batched():
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="inbox")
        raise LookupError("the next block failed")
    assert list(AuditEvent.objects.values_list("object_type", flat=True)) == ["inbox"]
    assert audit.verify_chain().ok
