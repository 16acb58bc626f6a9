"""The verwijsindex rules of the policy and the row filters beside them (``keten.verwijsindex.rules``) agree.

For generated organisations (in one or two municipalities), users in every role (active and ended
memberships), regievoerders, signals (active and archived) and matches between them (with and without
a coordinator, of every status), every row is returned by a row filter exactly when ``allows(...)``
says yes for it — for the user signed in, and for a partner system acting for its organisation:

* ``verwijsindex.view_signal`` / ``change_signal`` and :func:`signals_visible_to`;
* the same for a system with the verwijsindex scopes and :func:`signals_of_system`;
* ``verwijsindex.view_match`` and :func:`matches_visible_to`;
* ``verwijsindex.act_on_match`` and :func:`matches_to_act_on`;
* :func:`in_regie_of` and :func:`regie_matches`.

Signals and matches are the person's: no system reaches a match, and a system without the scope
reaches no signal.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import ApiClient, Membership, Organisation, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory
from keten.verwijsindex import rules as vi_rules
from keten.verwijsindex.models import (
    Match,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    Regievoerder,
    Signal,
    SignalStatus,
    Youth,
)

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
#: (role, organisation index, membership active, regievoerder of municipality 0/1 or not)
users = st.lists(
    st.tuples(st.sampled_from(ROLES), st.integers(0, 2), st.booleans(), st.sampled_from([None, 0, 1])),
    min_size=1,
    max_size=4,
)
#: (professional user index, organisation index, municipality 0/1, active)
signals = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 1), st.booleans()), min_size=1, max_size=5
)
#: (participating signal indexes, coordinator: index into them or None, status)
matches = st.lists(
    st.tuples(
        st.lists(st.integers(0, 4), min_size=1, max_size=3),
        st.one_of(st.none(), st.integers(0, 2)),
        st.sampled_from(list(MatchStatus.values)),
    ),
    max_size=3,
)


def _youth(key: str) -> Youth:
    return Youth.objects.create(
        name_birth_key=key, display_name="Jongere", date_of_birth=date(2015, 1, 1), destroy_on=date(2038, 1, 1)
    )


def _build(
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool, int | None]],
    registered: list[tuple[int, int, int, bool]],
    matched: list[tuple[list[int], int | None, str]],
) -> tuple[list[User], list[Signal], list[Match], list[Organisation]]:
    today = date(2026, 12, 1)
    municipalities = [
        MunicipalityFactory(name="Gemeente A", cbs_code="GM0201"),
        MunicipalityFactory(name="Gemeente B", cbs_code="GM0202"),
    ]
    made = [OrganisationFactory(type=kind, municipality=municipalities[where]) for kind, where in orgs]
    members: list[User] = []
    for role, org, active, regie in people:
        user = UserFactory()
        Membership.objects.create(user=user, organisation=made[org % len(made)], role=role, is_active=active)
        if regie is not None:
            Regievoerder.objects.create(municipality=municipalities[regie], user=user)
        members.append(user)
    made_signals: list[Signal] = []
    for number, (who, org, where, active) in enumerate(registered):
        made_signals.append(
            Signal.objects.create(
                youth=_youth(f"signal-{number}"),
                municipality=municipalities[where],
                organisation=made[org % len(made)],
                professional=members[who % len(members)],
                registered_on=today,
                active_until=today + timedelta(days=365),
                status=SignalStatus.ACTIEF if active else SignalStatus.GEARCHIVEERD,
            )
        )
    made_matches: list[Match] = []
    for number, (indexes, coordinator, status) in enumerate(matched):
        chosen = list(dict.fromkeys(made_signals[i % len(made_signals)] for i in indexes))
        match = Match.objects.create(
            kind=MatchKind.CLIENT,
            youth=_youth(f"match-{number}"),
            status=status,
            coordinator=chosen[coordinator % len(chosen)] if coordinator is not None else None,
            contact_due=today + timedelta(days=10),
        )
        for signal in chosen:
            MatchParticipant.objects.create(match=match, signal=signal, municipality_id=signal.municipality_id)
        made_matches.append(match)
    return members, made_signals, made_matches, made


def _pks(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orgs=organisations, people=users, registered=signals, matched=matches)
def test_the_signal_and_match_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool, int | None]],
    registered: list[tuple[int, int, int, bool]],
    matched: list[tuple[list[int], int | None, str]],
) -> None:
    with transaction.atomic():
        members, made_signals, made_matches, _made = _build(orgs, people, registered, matched)
        for member in members:
            user = User.objects.get(pk=member.pk)
            own = _pks(vi_rules.signals_visible_to(user))
            visible = _pks(vi_rules.matches_visible_to(user))
            to_act_on = _pks(vi_rules.matches_to_act_on(user))
            in_regie = _pks(vi_rules.regie_matches(user))
            for signal in made_signals:
                assert allows("verwijsindex.view_signal", user, signal) == (signal.pk in own)
                assert allows("verwijsindex.change_signal", user, signal) == (signal.pk in own)
            for match in made_matches:
                assert allows("verwijsindex.view_match", user, match) == (match.pk in visible)
                assert allows("verwijsindex.act_on_match", user, match) == (match.pk in to_act_on)
                assert bool(vi_rules.in_regie_of(user, match)) == (match.pk in in_regie)
                if allows("verwijsindex.coordinate_match", user, match):
                    assert match.pk in to_act_on
        transaction.set_rollback(True)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    orgs=organisations,
    people=users,
    registered=signals,
    matched=matches,
    scopes=st.sets(
        st.sampled_from(
            [ApiClient.Scope.VERWIJSINDEX_READ, ApiClient.Scope.VERWIJSINDEX_WRITE, ApiClient.Scope.NETWORK_READ]
        )
    ),
)
def test_a_system_agrees_with_the_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool, int | None]],
    registered: list[tuple[int, int, int, bool]],
    matched: list[tuple[list[int], int | None, str]],
    scopes: set[str],
) -> None:
    with transaction.atomic():
        _members, made_signals, made_matches, made = _build(orgs, people, registered, matched)
        system = ApiClient.objects.create(
            organisation=made[0],
            name="Leerlingvolgsysteem",
            token_prefix="agree",
            token_hash="0" * 64,
            scopes=sorted(scopes),
        )
        acting = Actor(user=None, membership=None, api_client=system)
        own = _pks(vi_rules.signals_of_system(system))
        for signal in made_signals:
            # Either scope reads the system's own signals (a writer reads back what it registered).
            reads = bool({ApiClient.Scope.VERWIJSINDEX_READ, ApiClient.Scope.VERWIJSINDEX_WRITE} & set(scopes))
            assert allows("verwijsindex.view_signal", acting, signal) == (reads and signal.pk in own)
            assert allows("verwijsindex.change_signal", acting, signal) == (
                ApiClient.Scope.VERWIJSINDEX_WRITE in scopes and signal.pk in own
            )
        for match in made_matches:
            assert not allows("verwijsindex.view_match", acting, match)
            assert not allows("verwijsindex.act_on_match", acting, match)
        transaction.set_rollback(True)
