"""The account-management rules of the policy and the row filters that implement them agree.

For generated organisations, memberships (active and ended) and a beheerder, every person is in
``managed_users`` exactly when ``allows("accounts.manage_account", …)`` says so, and every
organisation is in ``visible_organisations`` exactly when ``accounts.view_organisation`` allows it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts import selectors
from keten.accounts.models import Membership, Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.core.policy import allows
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPES = [OrganisationType.GEMEENTE, OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS, OrganisationType.SPORT]
ROLES = [Role.PROFESSIONAL, Role.VEILIG_THUIS, Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER]

organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1)), min_size=1, max_size=4)
memberships = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ROLES), st.booleans()), min_size=0, max_size=3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    orgs=organisations,
    people=st.lists(memberships, min_size=1, max_size=4),
    actor_org=st.integers(0, 3),
    actor_first=st.booleans(),
)
def test_manage_account_and_view_organisation_agree_with_their_row_filters(
    db: Any, orgs: list[tuple[str, int]], people: list[list[tuple[int, str, bool]]], actor_org: int, actor_first: bool
) -> None:
    with transaction.atomic():
        municipalities = [MunicipalityFactory(name="Gemeente A", cbs_code="GM0101")]
        municipalities.append(MunicipalityFactory(name="Gemeente B", cbs_code="GM0102"))
        made: list[Organisation] = [
            OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs
        ]
        users: list[User] = []
        for rows in people:
            user = UserFactory()
            for index, role, active in rows:
                Membership.objects.get_or_create(
                    user=user, organisation=made[index % len(made)], role=role, defaults={"is_active": active}
                )
            users.append(user)
        beheerder = UserFactory()
        if not actor_first:  # an ended first membership: the beheerder acts in the next one
            Membership.objects.create(user=beheerder, organisation=made[0], role=Role.PROFESSIONAL, is_active=False)
        Membership.objects.create(
            user=beheerder, organisation=made[actor_org % len(made)], role=Role.FUNCTIONEEL_BEHEERDER
        )
        actor_user = User.objects.get(pk=beheerder.pk)
        actor = actor_for_user(actor_user)

        managed = set(selectors.managed_users(actor=actor).values_list("pk", flat=True))
        for person in [*users, actor_user]:
            assert allows("accounts.manage_account", actor_user, person) == (person.pk in managed)
        visible = set(selectors.visible_organisations(actor=actor).values_list("pk", flat=True))
        for organisation in made:
            assert allows("accounts.view_organisation", actor_user, organisation) == (organisation.pk in visible)
        transaction.set_rollback(True)
