"""The account-management rules of the policy and the row filters beside them in ``accounts/rules.py`` agree.

For generated organisations, memberships (active and ended), reset requests and an actor (mostly a
beheerder), every row is in a rule's row filter exactly when ``allows(...)`` says so:

- ``accounts.manage_account`` and ``managed_users``;
- ``accounts.view_organisation`` / ``manage_teams`` / ``manage_api_clients`` and ``visible_organisations``;
- ``accounts.change_organisation`` and ``changeable_organisations``;
- ``accounts.manage_membership`` and ``managed_memberships``;
- ``accounts.view_reset_request`` and ``visible_reset_requests``;
- ``accounts.decide_reset`` and ``reset_requests_to_decide``;
- ``accounts.appoint_first_beheerder`` and ``organisations_without_beheerder``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts import rules as account_rules
from keten.accounts.models import Membership, Organisation, OrganisationType, ResetRequest, Role, User
from keten.core.policy import allows
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TYPES = [OrganisationType.GEMEENTE, OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS, OrganisationType.SPORT]
ROLES = [Role.PROFESSIONAL, Role.VEILIG_THUIS, Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER]
STATUSES = list(ResetRequest.Status.values)

organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1)), min_size=1, max_size=4)
#: organisations (by index) and people (by index) made inactive
inactive = st.lists(st.integers(0, 4), max_size=2)
memberships = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(ROLES), st.booleans()), min_size=0, max_size=3)
# (about whom, asked by whom, status) as indexes into the generated people plus the actor
reset_requests = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from(STATUSES)), max_size=4)


def _make_world(
    orgs: list[tuple[str, int]], people: list[list[tuple[int, str, bool]]]
) -> tuple[list[Organisation], list[User]]:
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
    return made, users


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
        made, users = _make_world(orgs, people)
        beheerder = UserFactory()
        if not actor_first:  # an ended first membership: the beheerder acts in the next one
            Membership.objects.create(user=beheerder, organisation=made[0], role=Role.PROFESSIONAL, is_active=False)
        Membership.objects.create(
            user=beheerder, organisation=made[actor_org % len(made)], role=Role.FUNCTIONEEL_BEHEERDER
        )
        actor_user = User.objects.get(pk=beheerder.pk)

        managed = set(account_rules.managed_users(actor_user).values_list("pk", flat=True))
        for person in [*users, actor_user]:
            assert allows("accounts.manage_account", actor_user, person) == (person.pk in managed)
        visible = set(account_rules.visible_organisations(actor_user).values_list("pk", flat=True))
        for organisation in made:
            assert allows("accounts.view_organisation", actor_user, organisation) == (organisation.pk in visible)
        transaction.set_rollback(True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    orgs=organisations,
    people=st.lists(memberships, min_size=1, max_size=4),
    actor_org=st.integers(0, 3),
    actor_role=st.sampled_from([Role.FUNCTIONEEL_BEHEERDER, Role.FUNCTIONEEL_BEHEERDER, *ROLES]),
    actor_active=st.booleans(),
    requests=reset_requests,
    inactive_orgs=inactive,
    inactive_people=inactive,
)
def test_every_account_rule_agrees_with_its_row_filter(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[list[tuple[int, str, bool]]],
    actor_org: int,
    actor_role: str,
    actor_active: bool,
    requests: list[tuple[int, int, str]],
    inactive_orgs: list[int],
    inactive_people: list[int],
) -> None:
    with transaction.atomic():
        made, users = _make_world(orgs, people)
        Organisation.objects.filter(pk__in=[made[i % len(made)].pk for i in inactive_orgs]).update(is_active=False)
        User.objects.filter(pk__in=[users[i % len(users)].pk for i in inactive_people]).update(is_active=False)
        actor_user = UserFactory()
        Membership.objects.create(
            user=actor_user, organisation=made[actor_org % len(made)], role=actor_role, is_active=actor_active
        )
        everyone = [*users, actor_user]
        for about, asked_by, status in requests:
            person = everyone[about % len(everyone)]
            if status == ResetRequest.Status.PENDING and ResetRequest.objects.filter(user=person, status=status):
                continue  # one pending request per account
            ResetRequest.objects.create(
                user=person,
                requested_by=everyone[asked_by % len(everyone)],
                reason="Telefoon kwijt",
                email=person.email,
                created_at=timezone.now(),
                status=status,
            )
        actor = User.objects.get(pk=actor_user.pk)

        def agree(permission: str, rows: Any, objects: Any) -> None:
            allowed = set(rows.values_list("pk", flat=True))
            for obj in objects:
                assert allows(permission, actor, obj) == (obj.pk in allowed), (permission, obj.pk)

        agree("accounts.manage_account", account_rules.managed_users(actor), User.objects.all())
        for permission in ("accounts.view_organisation", "accounts.manage_teams", "accounts.manage_api_clients"):
            agree(permission, account_rules.visible_organisations(actor), Organisation.objects.all())
        agree("accounts.change_organisation", account_rules.changeable_organisations(actor), Organisation.objects.all())
        memberships_all = Membership.objects.select_related("user")
        agree("accounts.manage_membership", account_rules.managed_memberships(actor), memberships_all)
        requests_all = ResetRequest.objects.select_related("user")
        agree("accounts.view_reset_request", account_rules.visible_reset_requests(actor), requests_all)
        agree("accounts.decide_reset", account_rules.reset_requests_to_decide(actor), requests_all)
        agree(
            "accounts.appoint_first_beheerder",
            account_rules.organisations_without_beheerder(actor),
            Organisation.objects.all(),
        )
        transaction.set_rollback(True)
