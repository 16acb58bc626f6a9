"""Who may use the core routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import NO_CASE_ROLE, SIGNED_IN, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "core:audit_log": R(
        "an aandachtsfunctionaris or functioneel beheerder (own organisation's events)",
        (
            get(t.none, S("aandachtsfunctionaris", "beheerder", "org_beheerder", "other_beheerder", "superuser")),
            post(t.none, S("aandachtsfunctionaris", "beheerder", "org_beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "core:dashboard": R(
        "any signed-in user (content per role)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "core:figures_csv": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality, small cells hidden)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "healthz": R(
        "open: health check without data",
        (get(t.none, S()),),
        public=True,
    ),
    "notifications:list": R(
        "any signed-in user (own notifications)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "notifications:read_all": R(
        "any signed-in user (own notifications)",
        (
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "set_language": R(
        "open: sets the language cookie",
        (
            get(t.none, S()),
            post(t.none, S()),
        ),
        public=True,
    ),
    "api-schema": R(
        "open: the API description, no data",
        (get(t.none, S()),),
        public=True,
    ),
}
