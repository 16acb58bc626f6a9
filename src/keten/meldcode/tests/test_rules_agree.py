"""The meldcode rules of the policy and the row filters beside them (``keten.meldcode.rules``) agree.

For generated organisations (in one or two municipalities), users in every role, dossiers with case
teams (active and ended members), break-the-glass grants (live and expired), trajecten of several
organisations and consultations (with and without names), every row is returned by a row filter
exactly when ``allows(...)`` says yes for it — for the user signed in, and for a partner system that
acts for the user with the meldcode scope (which never goes through break-the-glass or consultations):

* ``meldcode.view_traject`` and :func:`trajecten_visible_to`;
* ``meldcode.answer_consultation`` and :func:`consultation_inbox`;
* ``meldcode.view_organisation_traject`` and :func:`organisation_trajecten`;
* :func:`names_on_overview` and :func:`names_on_overview_q`;
* ``meldcode.manage_checklist`` and :func:`checklists_managed_by`, ``meldcode.view_checklist`` and
  :func:`checklists_visible_to` (national and municipal checklist versions, beheerders of gemeenten
  and of other organisations).
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
from keten.core.actor import Actor, actor_for_user
from keten.core.policy import allows
from keten.dossiers.models import BreakGlassAccess, CaseRole, CaseTeamMember, Dossier
from keten.meldcode import rules as meldcode_rules
from keten.meldcode.models import Checklist, ChecklistKind, Consultation, Entry, EntryKind, Traject
from keten.testing.factories import FamilyFactory, MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    Role.PROFESSIONAL,
    Role.AANDACHTSFUNCTIONARIS,
    Role.TEAMLEIDER,
    Role.VEILIG_THUIS,
    Role.BELEIDSMEDEWERKER,
    Role.FUNCTIONEEL_BEHEERDER,
]
TYPES = [OrganisationType.WIJKTEAM, OrganisationType.ONDERWIJS, OrganisationType.GEMEENTE]

#: (organisation type, municipality 0/1)
organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1)), min_size=1, max_size=3)
#: (role, organisation index, membership active)
users = st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 2), st.booleans()), min_size=1, max_size=4)
#: per dossier: case team (user index, ended), break-the-glass grants (user index, live)
dossiers = st.lists(
    st.tuples(
        st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=3),
        st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=2),
    ),
    min_size=1,
    max_size=3,
)
#: (dossier index, organisation index, starter user index)
trajecten = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=4)
#: (traject index, addressee user index, anonymous)
consultations = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.booleans()), max_size=4)


def _build(
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    files: list[tuple[list[tuple[int, bool]], list[tuple[int, bool]]]],
    started: list[tuple[int, int, int]],
    asked: list[tuple[int, int, bool]],
) -> tuple[list[User], list[Traject], list[Consultation], list[Organisation]]:
    now = timezone.now()
    municipalities = [
        MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
        MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
    ]
    made = [OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs]
    members: list[User] = []
    for role, org, active in people:
        user = UserFactory()
        Membership.objects.create(user=user, organisation=made[org % len(made)], role=role, is_active=active)
        members.append(user)
    made_dossiers: list[Dossier] = []
    for number, (team, grants) in enumerate(files):
        family = FamilyFactory(municipality=municipalities[number % 2])
        dossier = Dossier.objects.create(family=family, reference=f"D-AGREE{number:04d}")
        for index, ended in {i % len(members): e for i, e in team}.items():
            CaseTeamMember.objects.create(
                dossier=dossier,
                user=members[index],
                organisation=made[0],
                case_role=CaseRole.HULPVERLENER,
                ended_at=now - timedelta(days=1) if ended else None,
            )
        for index, live in grants:
            BreakGlassAccess.objects.create(
                dossier=dossier,
                user=members[index % len(members)],
                reason="Acute zorg, regievoerder onbereikbaar.",
                granted_at=now - timedelta(hours=2),
                expires_at=now + timedelta(hours=1) if live else now - timedelta(hours=1),
            )
        made_dossiers.append(dossier)
    made_trajecten = [
        Traject.objects.create(
            dossier=made_dossiers[d % len(made_dossiers)],
            organisation=made[o % len(made)],
            started_by=members[u % len(members)],
            meldcode_version="test",
            last_activity_at=now,
        )
        for d, o, u in started
    ]
    made_consultations = []
    for t, to, anonymous in asked:
        traject = made_trajecten[t % len(made_trajecten)]
        entry = Entry.objects.create(
            traject=traject,
            kind=EntryKind.CONSULTATIEVRAAG,
            step=2,
            author=traject.started_by,
            organisation=traject.organisation,
            occurred_on=timezone.localdate(),
        )
        made_consultations.append(
            Consultation.objects.create(
                traject=traject,
                kind=Consultation.Kind.COLLEGA,
                requested_by=traject.started_by,
                requested_to=members[to % len(members)],
                anonymous=anonymous,
                question="Wat vind jij van deze signalen?",
                request_entry=entry,
            )
        )
    return members, made_trajecten, made_consultations, made


def _pks(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def _check(who: Any, user: User, trajects: list[Traject], asked: list[Consultation]) -> None:
    """``who`` is asked of the policy (a user or an acting system); ``user`` is given to the row filters."""
    visible = _pks(meldcode_rules.trajecten_visible_to(user))
    inbox = _pks(meldcode_rules.consultation_inbox(user))
    overview = _pks(meldcode_rules.organisation_trajecten(user))
    named = _pks(Traject.objects.filter(meldcode_rules.names_on_overview_q(user)))
    for traject in trajects:
        assert allows("meldcode.view_traject", who, traject) == (traject.pk in visible)
        assert allows("meldcode.view_organisation_traject", who, traject) == (traject.pk in overview)
        assert bool(meldcode_rules.names_on_overview(user, traject)) == (traject.pk in named)
    for consultation in asked:
        assert allows("meldcode.answer_consultation", who, consultation) == (consultation.pk in inbox)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=organisations, people=users, files=dossiers, started=trajecten, asked=consultations)
def test_the_traject_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    files: list[tuple[list[tuple[int, bool]], list[tuple[int, bool]]]],
    started: list[tuple[int, int, int]],
    asked: list[tuple[int, int, bool]],
) -> None:
    with transaction.atomic():
        members, trajects, made_consultations, _made = _build(orgs, people, files, started, asked)
        for member in members:
            user = User.objects.get(pk=member.pk)
            _check(user, user, trajects, made_consultations)
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=organisations, people=users, files=dossiers, started=trajecten, asked=consultations)
def test_a_system_acting_for_a_professional_agrees_with_the_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    files: list[tuple[list[tuple[int, bool]], list[tuple[int, bool]]]],
    started: list[tuple[int, int, int]],
    asked: list[tuple[int, int, bool]],
) -> None:
    with transaction.atomic():
        members, trajects, made_consultations, made = _build(orgs, people, files, started, asked)
        system = ApiClient.objects.create(
            organisation=made[0],
            name="Leerlingvolgsysteem",
            token_prefix="agree",
            token_hash="0" * 64,
            scopes=[ApiClient.Scope.MELDCODE_WRITE],
        )
        for member in members:
            user = User.objects.get(pk=member.pk)
            acting = Actor(user=user, membership=actor_for_user(user).membership, api_client=system)
            _check(acting, user, trajects, made_consultations)
            # Personal grants never reach a system: not the break-the-glass, not a consultation.
            assert not meldcode_rules.consultation_inbox(user).exists()
            assert not any(allows("meldcode.view_organisation_traject", acting, t) for t in trajects)
        transaction.set_rollback(True)


# --- the checklist beheer -------------------------------------------------------------------------

CHECKLIST_TYPES = [OrganisationType.GEMEENTE, OrganisationType.SPORT, OrganisationType.ONDERWIJS]
CHECKLIST_ROLES = [Role.FUNCTIONEEL_BEHEERDER, Role.BELEIDSMEDEWERKER, Role.PROFESSIONAL]
checklist_orgs = st.lists(st.tuples(st.sampled_from(CHECKLIST_TYPES), st.integers(0, 1)), min_size=1, max_size=3)
checklist_people = st.lists(
    st.tuples(st.sampled_from(CHECKLIST_ROLES), st.integers(0, 2), st.booleans()), min_size=1, max_size=4
)
#: per version: kind, organisation type "" or onderwijs, municipality None / 0 / 1
versions = st.lists(
    st.tuples(
        st.sampled_from(ChecklistKind.values),
        st.sampled_from(["", OrganisationType.ONDERWIJS]),
        st.sampled_from([None, 0, 1]),
    ),
    max_size=5,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=checklist_orgs, people=checklist_people, made_versions=versions)
def test_the_checklist_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    made_versions: list[tuple[str, str, int | None]],
) -> None:
    with transaction.atomic():
        municipalities = [
            MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
            MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
        ]
        made = [OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs]
        members = []
        for role, org, active in people:
            user = UserFactory()
            Membership.objects.create(user=user, organisation=made[org % len(made)], role=role, is_active=active)
            members.append(user)
        checklists = list(Checklist.objects.all())
        for number, (kind, organisation_type, where) in enumerate(made_versions, start=100):
            checklists.append(
                Checklist.objects.create(
                    kind=kind,
                    organisation_type=organisation_type,
                    municipality=None if where is None else municipalities[where],
                    version=number,
                    title=f"Lijst {number}",
                    items=[{"code": "A", "label": "Iets"}],
                    published_at=timezone.now(),
                )
            )
        system = ApiClient.objects.create(
            organisation=made[0],
            name="Registratiesysteem",
            token_prefix="agreec",
            token_hash="1" * 64,
            scopes=list(ApiClient.Scope.values),
        )
        for member in members:
            user = User.objects.get(pk=member.pk)
            managed = _pks(meldcode_rules.checklists_managed_by(user))
            visible = _pks(meldcode_rules.checklists_visible_to(user))
            membership = user.active_membership
            is_gemeente_beheerder = (
                membership is not None
                and membership.role == Role.FUNCTIONEEL_BEHEERDER
                and membership.organisation.type == OrganisationType.GEMEENTE
            )
            assert allows("meldcode.manage_checklists", user) == is_gemeente_beheerder
            # A system acting for the user: another user object (the actor marks the one it acts for).
            through = User.objects.get(pk=member.pk)
            acting = Actor(user=through, membership=actor_for_user(through).membership, api_client=system)
            assert not allows("meldcode.manage_checklists", acting)
            assert not meldcode_rules.checklists_visible_to(through).exists()
            for checklist in checklists:
                assert allows("meldcode.manage_checklist", user, checklist) == (checklist.pk in managed)
                assert allows("meldcode.view_checklist", user, checklist) == (checklist.pk in visible)
                # Never a national version, never one of another municipality.
                if checklist.pk in managed:
                    assert membership is not None
                    assert checklist.municipality_id == membership.organisation.municipality_id
                assert not allows("meldcode.manage_checklist", acting, checklist)
                assert not allows("meldcode.view_checklist", acting, checklist)
        transaction.set_rollback(True)
