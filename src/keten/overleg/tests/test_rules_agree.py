"""The overleg rules of the policy and the row filters beside them (``keten.overleg.rules``) agree.

For generated organisations (in one or two municipalities), users in every role (memberships active
or not), overleg types with a lead organisation, member organisations and a chair (or none),
meetings with an attendance list (present, absent, not yet recorded), registrations with a
registrant and a casusregisseur, agenda items (on the agenda or taken off it) and agreements owned
by a person or an organisation, every row is returned by a row filter exactly when ``allows(...)``
says yes for it:

* ``overleg.view_registration`` and :func:`registration_visibility_q` (and the selector's list);
* ``overleg.triage`` and :func:`triage_q`;
* ``overleg.view_meeting`` and :func:`meeting_visibility_q` (and :func:`meeting_selectors.meetings_for`);
* ``overleg.view_meeting_cases`` and :func:`meeting_cases_q`;
* ``overleg.view_agreement`` and :func:`agreement_visibility_q` (and the selector's list);
* :func:`owns_agreement` and :func:`agreement_owner_q`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import Membership, Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.overleg import rules as overleg_rules
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.meetings import selectors as meeting_selectors
from keten.overleg.models import (
    AgendaItem,
    AgendaSource,
    AgendaState,
    Agreement,
    Attendance,
    CaseRegistration,
    Meeting,
    OverlegKind,
    OverlegType,
    RegistrationStatus,
)
from keten.overleg.registrations import selectors as registration_selectors
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
TYPES = [OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS, OrganisationType.POLITIE, OrganisationType.GEMEENTE]

#: (organisation type, municipality 0/1)
organisations = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, 1)), min_size=2, max_size=4)
#: (role, organisation index, membership active)
users = st.lists(st.tuples(st.sampled_from(ROLES), st.integers(0, 3), st.booleans()), min_size=1, max_size=4)
#: (lead organisation index, member organisation indexes, chair user index or None)
overleg_types = st.lists(
    st.tuples(st.integers(0, 3), st.lists(st.integers(0, 3), max_size=2), st.one_of(st.none(), st.integers(0, 3))),
    min_size=1,
    max_size=2,
)
#: per meeting: (overleg type index, attendance list of (user index, present: None / True / False))
meetings = st.lists(
    st.tuples(
        st.integers(0, 1), st.lists(st.tuples(st.integers(0, 3), st.sampled_from([None, True, False])), max_size=4)
    ),
    min_size=1,
    max_size=3,
)
#: per registration: (overleg type index, registrant index, casusregisseur index or None,
#: agenda items as (meeting index, still on the agenda))
registrations = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.integers(0, 3),
        st.one_of(st.none(), st.integers(0, 3)),
        st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=2),
    ),
    min_size=1,
    max_size=3,
)
#: (registration index, owned by a person (True) or an organisation (False), owner index)
agreements = st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.integers(0, 3)), max_size=4)


def _build(
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    kinds: list[tuple[int, list[int], int | None]],
    held: list[tuple[int, list[tuple[int, bool | None]]]],
    cases: list[tuple[int, int, int | None, list[tuple[int, bool]]]],
    made_agreements: list[tuple[int, bool, int]],
) -> tuple[list[User], list[CaseRegistration], list[Meeting], list[Agreement]]:
    now = timezone.now()
    municipalities = [
        MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
        MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
    ]
    made: list[Organisation] = [
        OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs
    ]
    members: list[User] = []
    for role, org, active in people:
        user = UserFactory()
        Membership.objects.create(user=user, organisation=made[org % len(made)], role=role, is_active=active)
        members.append(user)
    types: list[OverlegType] = []
    for number, (lead, partners, chair) in enumerate(kinds):
        lead_org = made[lead % len(made)]
        overleg_type = OverlegType.objects.create(
            municipality=lead_org.municipality,
            name=f"Overleg {number}",
            kind=OverlegKind.STRAF_ZORG,
            lead_organisation=lead_org,
            chair=members[chair % len(members)] if chair is not None else None,
            privacy_basis="Convenant, artikel 4",
        )
        overleg_type.members.set([made[p % len(made)] for p in partners])
        types.append(overleg_type)
    made_meetings: list[Meeting] = []
    for number, (kind, attendees) in enumerate(held):
        starts_at = now + dt.timedelta(days=number + 1)
        meeting = Meeting.objects.create(
            overleg_type=types[kind % len(types)], starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=90)
        )
        for index, present in {i % len(members): p for i, p in attendees}.items():
            Attendance.objects.create(meeting=meeting, user=members[index], organisation=made[0], present=present)
        made_meetings.append(meeting)
    made_registrations: list[CaseRegistration] = []
    for number, (kind, registrant, regisseur, items) in enumerate(cases):
        overleg_type = types[kind % len(types)]
        family = FamilyFactory(municipality=overleg_type.municipality)
        dossier = Dossier.objects.create(family=family, reference=f"D-OVAGREE{number:03d}")
        registration = CaseRegistration.objects.create(
            overleg_type=overleg_type,
            dossier=dossier,
            registered_by=members[registrant % len(members)],
            organisation=made[0],
            reason="Zorgen over de veiligheid thuis.",
            goal="Afstemmen wie wat doet.",
            status=RegistrationStatus.TOEGELATEN,
            casusregisseur=members[regisseur % len(members)] if regisseur is not None else None,
        )
        for meeting_index, live in {m % len(made_meetings): on for m, on in items}.items():
            AgendaItem.objects.create(
                meeting=made_meetings[meeting_index],
                registration=registration,
                source=AgendaSource.TRIAGE,
                state=AgendaState.ON_AGENDA if live else AgendaState.REMOVED,
            )
        made_registrations.append(registration)
    made_rows = [
        Agreement.objects.create(
            registration=made_registrations[r % len(made_registrations)],
            owner_user=members[o % len(members)] if person else None,
            owner_organisation=None if person else made[o % len(made)],
            what="Huisbezoek afleggen.",
            due_on=timezone.localdate() + dt.timedelta(days=7),
            created_by=members[0],
        )
        for r, person, o in made_agreements
    ]
    return members, made_registrations, made_meetings, made_rows


def _pks(model: type[Model], q: Q) -> set[int]:
    return set(model._default_manager.filter(q).values_list("pk", flat=True))


def _check(user: User, registrations: list[CaseRegistration], meetings: list[Meeting], rows: list[Agreement]) -> None:
    actor = actor_for_user(user)
    visible = _pks(CaseRegistration, overleg_rules.registration_visibility_q(user))
    triaged = _pks(CaseRegistration, overleg_rules.triage_q(user))
    listed = set(registration_selectors.registrations_visible_to(actor).values_list("pk", flat=True))
    for registration in registrations:
        assert allows("overleg.view_registration", user, registration) == (registration.pk in visible)
        assert allows("overleg.view_registration", user, registration) == (registration.pk in listed)
        assert allows("overleg.triage", user, registration) == (registration.pk in triaged)
    seen = _pks(Meeting, overleg_rules.meeting_visibility_q(user))
    with_cases = _pks(Meeting, overleg_rules.meeting_cases_q(user))
    try:
        calendar = set(meeting_selectors.meetings_for(actor=actor).values_list("pk", flat=True))
    except NotFoundError:
        calendar = set()
    for meeting in meetings:
        assert allows("overleg.view_meeting", user, meeting) == (meeting.pk in seen)
        assert allows("overleg.view_meeting", user, meeting) == (meeting.pk in calendar)
        assert allows("overleg.view_meeting_cases", user, meeting) == (meeting.pk in with_cases)
    agreed = _pks(Agreement, overleg_rules.agreement_visibility_q(user))
    owned = _pks(Agreement, overleg_rules.agreement_owner_q(user))
    shown = set(agreement_selectors.agreements_visible_to(actor).values_list("pk", flat=True))
    for agreement in rows:
        assert allows("overleg.view_agreement", user, agreement) == (agreement.pk in agreed)
        assert allows("overleg.view_agreement", user, agreement) == (agreement.pk in shown)
        assert bool(overleg_rules.owns_agreement(user, agreement)) == (agreement.pk in owned)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    orgs=organisations,
    people=users,
    kinds=overleg_types,
    held=meetings,
    cases=registrations,
    made_agreements=agreements,
)
def test_the_overleg_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    kinds: list[tuple[int, list[int], int | None]],
    held: list[tuple[int, list[tuple[int, bool | None]]]],
    cases: list[tuple[int, int, int | None, list[tuple[int, bool]]]],
    made_agreements: list[tuple[int, bool, int]],
) -> None:
    with transaction.atomic():
        members, made_registrations, made_meetings, rows = _build(orgs, people, kinds, held, cases, made_agreements)
        for member in members:
            _check(User.objects.get(pk=member.pk), made_registrations, made_meetings, rows)
        transaction.set_rollback(True)
