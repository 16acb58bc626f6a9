"""The dossier rules of the policy and the row filters beside them (``keten.dossiers.rules``) agree.

For generated organisations (in one or two municipalities), users in every role (active and ended
memberships), dossiers with case teams (active and ended members, with or without a coordinator or
regievoerder), break-the-glass grants (live and expired) and access requests, every row is returned
by a row filter exactly when ``allows(...)`` says yes for it:

* ``dossiers.view_dossier`` and :func:`visible_dossier_ids` — also for a partner system acting for
  its organisation (``dossiers:read``) and :func:`dossiers_of_organisation_teams`;
* ``dossiers.change_dossier`` and :func:`dossiers_of_team`;
* ``dossiers.review_break_glass_grant`` and :func:`reviewable_grants`;
* ``dossiers.decide_access_request`` and :func:`requests_to_decide`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import ApiClient, Membership, Organisation, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.dossiers import rules as dossier_rules
from keten.dossiers.models import AccessRequest, BreakGlassAccess, CaseRole, CaseTeamMember, Dossier
from keten.testing.factories import FamilyFactory, MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    Role.PROFESSIONAL,
    Role.AANDACHTSFUNCTIONARIS,
    Role.TEAMLEIDER,
    Role.VEILIG_THUIS,
    Role.PRIVACY_OFFICER,
    Role.BELEIDSMEDEWERKER,
    Role.FUNCTIONEEL_BEHEERDER,
]
TYPES = [OrganisationType.WIJKTEAM, OrganisationType.ONDERWIJS, OrganisationType.GEMEENTE]

#: (organisation type, municipality 0/1)
organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1)), min_size=1, max_size=3)
#: (role, organisation index, membership active)
users = st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 2), st.booleans()), min_size=1, max_size=4)
#: per dossier: case team (user index, ended, regievoerder), coordinator (user index or -1),
#: break-the-glass grants (user index, live), access requests (user index)
dossiers = st.lists(
    st.tuples(
        st.lists(st.tuples(st.integers(0, 3), st.booleans(), st.booleans()), max_size=3),
        st.integers(-1, 3),
        st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=2),
        st.lists(st.integers(0, 3), max_size=2),
    ),
    min_size=1,
    max_size=3,
)

Files = list[tuple[list[tuple[int, bool, bool]], int, list[tuple[int, bool]], list[int]]]


def _build(
    orgs: list[tuple[str, int]], people: list[tuple[str, int, bool]], files: Files
) -> tuple[list[User], list[Dossier], list[Organisation]]:
    now = timezone.now()
    municipalities = [
        MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
        MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
    ]
    made = [OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs]
    members: list[User] = []
    works_for: list[Organisation] = []
    for role, org, active in people:
        user = UserFactory()
        organisation = made[org % len(made)]
        Membership.objects.create(user=user, organisation=organisation, role=role, is_active=active)
        members.append(user)
        works_for.append(organisation)
    made_dossiers: list[Dossier] = []
    for number, (team, coordinator, grants, requests) in enumerate(files):
        family = FamilyFactory(municipality=municipalities[number % 2])
        dossier = Dossier.objects.create(
            family=family,
            reference=f"D-AGREE{number:04d}",
            coordinator=members[coordinator % len(members)] if coordinator >= 0 else None,
        )
        for index, (ended, regie) in {i % len(members): (e, r) for i, e, r in team}.items():
            CaseTeamMember.objects.create(
                dossier=dossier,
                user=members[index],
                organisation=works_for[index],
                case_role=CaseRole.REGIEVOERDER if regie else CaseRole.HULPVERLENER,
                ended_at=now - timedelta(days=1) if ended else None,
            )
        for index, live in grants:
            BreakGlassAccess.objects.create(
                dossier=dossier,
                user=members[index % len(members)],
                organisation=works_for[index % len(members)],
                reason="Acute zorg, regievoerder onbereikbaar.",
                granted_at=now - timedelta(hours=2),
                expires_at=now + timedelta(hours=1) if live else now - timedelta(hours=1),
            )
        for index in sorted({i % len(members) for i in requests}):
            AccessRequest.objects.create(
                dossier=dossier,
                requester=members[index],
                organisation=works_for[index],
                motivation="Het kind zit bij ons op school.",
            )
        made_dossiers.append(dossier)
    return members, made_dossiers, made


def _pks(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=organisations, people=users, files=dossiers)
def test_the_dossier_rules_agree_with_their_row_filters(
    db: Any, orgs: list[tuple[str, int]], people: list[tuple[str, int, bool]], files: Files
) -> None:
    with transaction.atomic():
        members, made_dossiers, _made = _build(orgs, people, files)
        grants = list(BreakGlassAccess.objects.all())
        requests = list(AccessRequest.objects.all())
        for member in members:
            user = User.objects.get(pk=member.pk)
            visible = set(dossier_rules.visible_dossier_ids(user))
            team = _pks(dossier_rules.dossiers_of_team(user))
            reviewable = _pks(dossier_rules.reviewable_grants(user))
            to_decide = _pks(dossier_rules.requests_to_decide(user))
            for dossier in made_dossiers:
                assert allows("dossiers.view_dossier", user, dossier) == (dossier.pk in visible)
                assert allows("dossiers.change_dossier", user, dossier) == (dossier.pk in team)
            for grant in grants:
                assert allows("dossiers.review_break_glass_grant", user, grant) == (grant.pk in reviewable)
            for request in requests:
                assert allows("dossiers.decide_access_request", user, request) == (request.pk in to_decide)
        transaction.set_rollback(True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=organisations, people=users, files=dossiers, scoped=st.booleans())
def test_a_system_of_an_organisation_agrees_with_its_row_filter(
    db: Any, orgs: list[tuple[str, int]], people: list[tuple[str, int, bool]], files: Files, scoped: bool
) -> None:
    with transaction.atomic():
        _members, made_dossiers, made = _build(orgs, people, files)
        system = ApiClient.objects.create(
            organisation=made[0],
            name="Bronsysteem",
            token_prefix="agree",
            token_hash="0" * 64,
            scopes=[ApiClient.Scope.DOSSIERS_READ] if scoped else [ApiClient.Scope.ORGANISATIONS_READ],
        )
        actor = Actor(user=None, membership=None, api_client=system)
        readable = _pks(dossier_rules.dossiers_of_organisation_teams(system))
        for dossier in made_dossiers:
            assert allows("dossiers.view_dossier", actor, dossier) == (dossier.pk in readable)
            # A system writes nothing.
            assert not allows("dossiers.change_dossier", actor, dossier)
        transaction.set_rollback(True)
