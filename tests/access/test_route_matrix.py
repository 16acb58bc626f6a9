"""Every URL of Keten against every subject: outside the rule the answer is 404 (or the login page).

The matrix is :data:`keten.testing.route_matrix.ROUTES`. A route the resolver knows but the matrix
does not fails :func:`test_every_route_is_in_the_matrix`, so a new page or endpoint cannot go live
without saying who may use it.
"""

from __future__ import annotations

import pytest

from keten.testing import route_matrix as rm
from keten.testing.route_matrix.world import World


def test_every_route_is_in_the_matrix() -> None:
    known = {name for _pattern, name in rm.walk_routes()}
    assert "" not in known, "every URL pattern needs a name"
    assert sorted(known - set(rm.ROUTES)) == [], "routes without an entry in the route matrix"
    assert sorted(set(rm.ROUTES) - known) == [], "matrix entries for routes that no longer exist"


def test_every_entry_says_who_may() -> None:
    for name, route in rm.ROUTES.items():
        assert route.rule, name
        assert route.checks, name
        for check in route.checks:
            assert check.allowed is not None or route.public, name
            assert check.allowed is None or check.allowed <= rm.SUBJECT_KEYS, name


@pytest.mark.parametrize("name", sorted(rm.ROUTES))
def test_route(name: str, route_world: World, db: None) -> None:
    route = rm.ROUTES[name]
    wrong = []
    for check in route.checks:
        for subject in rm.subjects_for(name):
            status, location = rm.request(route_world, name, check, subject)
            got = rm.classify(status, location)
            want = rm.expected(name, route, check, subject)
            if not rm.matches(got, want):
                wrong.append(f"{check.method} as {subject.key}: {status} ({got}), expected {want}")
    assert wrong == []
