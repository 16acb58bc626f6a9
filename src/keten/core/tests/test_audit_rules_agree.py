"""The audit-log rule and its row filter agree: an event is visible exactly when the rule allows it."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import Role, User
from keten.core import audit
from keten.core.actor import actor_for_user
from keten.core.policy import allows, audit_events_visible_to
from keten.testing.factories import OrganisationFactory, make_user

ROLES = [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER, Role.BELEIDSMEDEWERKER]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    reader_role=st.sampled_from(ROLES),
    reader_org=st.integers(0, 1),
    writers=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(ROLES)), min_size=1, max_size=4),
)
def test_audit_rule_and_row_filter_agree(reader_role: str, reader_org: int, writers: Any, db: None) -> None:
    orgs = [OrganisationFactory(), OrganisationFactory()]
    reader = make_user(reader_role, orgs[reader_org])
    events = [audit.record(actor=actor_for_user(make_user(role, orgs[o])), action="view") for o, role in writers]
    reader = User.objects.get(pk=reader.pk)
    visible = set(audit_events_visible_to(reader).filter(pk__in=[e.pk for e in events]).values_list("pk", flat=True))
    allowed = {e.pk for e in events if allows("core.view_audit_event", reader, e)}
    assert visible == allowed
