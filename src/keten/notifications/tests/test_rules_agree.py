"""The notifications rule and its row filter agree: a notification is in ``notifications_visible_to``
exactly when ``allows("notifications.view_notification", user, notification)`` says so — its recipient
only, whatever their role, and nobody when signed out."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import Role, User
from keten.core.policy import allows
from keten.notifications import rules as notification_rules
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db

ROLES = [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER, ""]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    roles=st.lists(st.sampled_from(ROLES), min_size=1, max_size=4),
    notes=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=6),
    viewer=st.integers(0, 4),
)
def test_a_notification_is_seen_by_its_recipient_only(
    db: Any, roles: list[str], notes: list[tuple[int, bool]], viewer: int
) -> None:
    with transaction.atomic():
        organisation = OrganisationFactory()
        users: list[User] = [make_user(role, organisation) if role else UserFactory() for role in roles]
        for index, read in notes:
            Notification.objects.create(
                recipient=users[index % len(users)],
                kind="test",
                title="Melding",
                read_at=timezone.now() if read else None,
            )
        who: Any = users[viewer] if viewer < len(users) else AnonymousUser()
        visible = set(notification_rules.notifications_visible_to(who).values_list("pk", flat=True))
        for notification in Notification.objects.all():
            assert allows("notifications.view_notification", who, notification) == (notification.pk in visible)
        transaction.set_rollback(True)
