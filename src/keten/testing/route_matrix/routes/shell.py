"""Who may use the shell's routes: the start page, the audit log page and the figures export."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import NO_CASE_ROLE, SIGNED_IN, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "shell:audit_log": R(
        "an aandachtsfunctionaris or functioneel beheerder (own organisation's events)",
        (
            get(t.none, S("aandachtsfunctionaris", "beheerder", "org_beheerder", "other_beheerder", "superuser")),
            post(t.none, S("aandachtsfunctionaris", "beheerder", "org_beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "shell:dashboard": R(
        "any signed-in user (content per role)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "shell:figures_csv": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality, small cells hidden)",
        (get(t.none, NO_CASE_ROLE),),
    ),
}
