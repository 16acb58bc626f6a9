"""Existence look-ups: each hit audited with the pseudonyms found and counted per user; over the
limit every look-up is refused (audited), whatever it would have found."""

from __future__ import annotations

import pytest

from keten.accounts.models import Role
from keten.core import lookups
from keten.core.actor import actor_for_user
from keten.core.errors import RateLimitedError
from keten.core.models import AuditEvent
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_hit_is_audited_with_the_pseudonyms_found_and_counted() -> None:
    actor = actor_for_user(make_user(Role.PROFESSIONAL))
    lookups.record_hit(actor, object_type="person_lookup", pseudonyms=["G-ONE"], details={"field": "bsn"})
    lookups.record_hit(actor, object_type="person_lookup", pseudonyms=["G-TWO", "G-ONE", "G-TWO"])
    first, second = AuditEvent.objects.filter(object_type="person_lookup").order_by("id")
    assert (first.client_pseudonym, first.details) == ("G-ONE", {"field": "bsn", "result": "hit"})
    assert second.client_pseudonym == ""
    assert sorted(second.clients.values_list("pseudonym", flat=True)) == ["G-ONE", "G-TWO"]


def test_over_the_limit_every_look_up_is_refused_and_the_refusal_audited(monkeypatch) -> None:
    monkeypatch.setattr(lookups, "LIMIT", 2)
    user = make_user(Role.PROFESSIONAL)
    actor = actor_for_user(user)
    for _ in range(2):
        lookups.ensure_allowed(actor, object_type="person_lookup")
        lookups.record_hit(actor, object_type="person_lookup", pseudonyms=["G-ONE"])
    with pytest.raises(RateLimitedError) as refused:
        lookups.ensure_allowed(actor, object_type="person_lookup", field="bsn")
    assert refused.value.status_code == 429
    assert refused.value.field == "bsn"
    assert "te vaak" in refused.value.message
    assert AuditEvent.objects.filter(object_type="person_lookup", details__result="refused").count() == 1
    # A hit that comes in over the limit (a concurrent look-up was first) is refused as well.
    with pytest.raises(RateLimitedError):
        lookups.record_hit(actor, object_type="person_lookup", pseudonyms=["G-ONE"])
    assert AuditEvent.objects.filter(object_type="person_lookup", details__result="hit").count() == 2
    # Someone else still has their own hour.
    lookups.ensure_allowed(actor_for_user(make_user(Role.PROFESSIONAL)), object_type="person_lookup")
    assert lookups.limit_key(actor) == f"existence:user:{user.pk}"
