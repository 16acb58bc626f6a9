"""The sociale kaart rules of the policy and the row filters beside them (``keten.network.rules``) agree.

For generated organisations (in one or two municipalities, active or not), users in every role
(active and ended memberships), designated editors of entries (also of another organisation than the
one they act for) and postcode ranges of wijken, every row is returned by a row filter exactly when
``allows(...)`` says yes for it:

* ``network.edit_entry`` and :func:`entries_editable_by`;
* ``network.manage_postcode_range`` and :func:`postcode_ranges_managed_by`.

No system reaches either, whatever its scopes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import ApiClient, Membership, Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.network import rules as network_rules
from keten.network.models import OrganisationEntry, PostcodeRange
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    Role.PROFESSIONAL,
    Role.AANDACHTSFUNCTIONARIS,
    Role.BELEIDSMEDEWERKER,
    Role.FUNCTIONEEL_BEHEERDER,
]
TYPES = [OrganisationType.WIJKTEAM, OrganisationType.ONDERWIJS, OrganisationType.GEMEENTE]

#: (organisation type, municipality 0/1, active)
organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1), st.booleans()), min_size=1, max_size=4)
#: (role, organisation index, membership active)
users = st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 3), st.booleans()), min_size=1, max_size=4)
#: (organisation index of the entry, editor user index)
editors = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=4)
#: municipality 0/1 of a wijk with one postcode range
ranges = st.lists(st.integers(0, 1), max_size=3)


def _build(
    orgs: list[tuple[str, int, bool]],
    people: list[tuple[str, int, bool]],
    designated: list[tuple[int, int]],
    wijken: list[int],
) -> tuple[list[User], list[Organisation], list[PostcodeRange]]:
    municipalities = [
        MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
        MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
    ]
    made = [
        OrganisationFactory(type=kind, municipality=municipalities[where], is_active=active)
        for kind, where, active in orgs
    ]
    members: list[User] = []
    for role, org, active in people:
        user = UserFactory()
        Membership.objects.create(user=user, organisation=made[org % len(made)], role=role, is_active=active)
        members.append(user)
    for org, who in designated:
        entry, _created = OrganisationEntry.objects.get_or_create(organisation=made[org % len(made)])
        entry.editors.add(members[who % len(members)])
    made_ranges = []
    for number, where in enumerate(wijken):
        wijk = Wijk.objects.create(municipality=municipalities[where], name=f"Wijk {number}", code=f"W{number}")
        start = 1000 + 10 * number
        made_ranges.append(PostcodeRange.objects.create(wijk=wijk, start=start, end=start + 5))
    return members, made, made_ranges


def _pks(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orgs=organisations, people=users, designated=editors, wijken=ranges)
def test_the_entry_and_postcode_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int, bool]],
    people: list[tuple[str, int, bool]],
    designated: list[tuple[int, int]],
    wijken: list[int],
) -> None:
    with transaction.atomic():
        members, made, made_ranges = _build(orgs, people, designated, wijken)
        system = ApiClient.objects.create(
            organisation=made[0],
            name="Website",
            token_prefix="agree",
            token_hash="0" * 64,
            scopes=[ApiClient.Scope.NETWORK_READ],
        )
        acting = Actor(user=None, membership=None, api_client=system)
        for member in members:
            user = User.objects.get(pk=member.pk)
            editable = _pks(network_rules.entries_editable_by(user))
            managed = _pks(network_rules.postcode_ranges_managed_by(user))
            for organisation in made:
                assert allows("network.edit_entry", user, organisation) == (organisation.pk in editable)
                assert not allows("network.edit_entry", acting, organisation)
            for postcode_range in made_ranges:
                assert allows("network.manage_postcode_range", user, postcode_range) == (postcode_range.pk in managed)
                assert not allows("network.manage_postcode_range", acting, postcode_range)
        transaction.set_rollback(True)
