"""The route matrix: for every URL of Keten, who may use it — checked over HTTP for every subject.

Every route the URL resolver knows (UI and API) has an entry in :data:`ROUTES` (one module per app
in ``routes/``). An entry says in words who may use it (``rule``) and lists the requests to try
(``checks``): a method, the object to try it on (a target from
:mod:`keten.testing.route_matrix.targets`, in the world of :mod:`keten.testing.route_matrix.world`)
and the subjects that must get through.
Every other signed-in subject must get 404 — the same answer as for something that does not exist —
and an anonymous visitor the login page (UI) or 401 (API). ``tests/access/test_route_matrix.py``
runs it; ``make security-table`` writes the table "who may do what" in
``docs/security.md`` from the same data.
"""

from keten.testing.route_matrix.checks import Check, Route
from keten.testing.route_matrix.http import classify, expected, is_api, matches, request, subjects_for, walk_routes
from keten.testing.route_matrix.routes import ROUTES
from keten.testing.route_matrix.subjects import SUBJECT_KEYS, SUBJECTS, TOKEN_SUBJECTS, Subject

__all__ = [
    "ROUTES",
    "SUBJECTS",
    "SUBJECT_KEYS",
    "TOKEN_SUBJECTS",
    "Check",
    "Route",
    "Subject",
    "classify",
    "expected",
    "is_api",
    "matches",
    "request",
    "subjects_for",
    "walk_routes",
]
