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
