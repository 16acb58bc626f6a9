"""One entry of the route matrix: who may use a route, and the requests that prove it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from keten.testing.route_matrix import targets as t


@dataclass(frozen=True)
class Check:
    method: str
    target: t.Target
    allowed: frozenset[str] | None
    #: Subjects that reach the page but are refused with a clear message (a 4xx other than 404),
    #: e.g. a system that does not say which professional it acts for.
    refused: frozenset[str] = frozenset()
    data: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    rule: str
    checks: tuple[Check, ...]
    #: Open without login: every subject gets ``public_outcome``.
    public: bool = False
    public_outcome: str = "ok"
    #: API routes only: whether system tokens are accepted at all (otherwise they get 401).
    tokens: bool = True


R = Route


def S(*keys: str) -> frozenset[str]:  # noqa: N802 - reads as a set literal in the table
    return frozenset(keys)


#: The case roles of the demo, on and off the target's case team, and in the other municipality.
CASE_ROLES = S(
    "aandachtsfunctionaris", "bg_collega", "collega", "other_professional", "professional", "teamleider", "veiligthuis"
)
#: Signed in without a case role: beheer, beleid (and the superuser, who is no exception).
NO_CASE_ROLE = S("beheerder", "beleid", "org_beheerder", "other_beheerder", "superuser")
#: Every signed-in person.
SIGNED_IN = CASE_ROLES | NO_CASE_ROLE | S("privacy")
#: Every partner-system token, for its organisation or for one of its professionals.
TOKENS = S("token_other", "token_other_for_member", "token_own", "token_own_for_professional")


def get(target: t.Target, allowed: frozenset[str], refused: frozenset[str] = frozenset()) -> Check:
    return Check("GET", target, allowed, refused)


def post(target: t.Target, allowed: frozenset[str], refused: frozenset[str] = frozenset()) -> Check:
    return Check("POST", target, allowed, refused)


def delete(target: t.Target, allowed: frozenset[str]) -> Check:
    return Check("DELETE", target, allowed)
