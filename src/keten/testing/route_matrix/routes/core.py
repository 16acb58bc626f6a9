"""Who may use the core routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import SIGNED_IN, R, Route, S, get, post

ROUTES: dict[str, Route] = {
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
