"""Who may use the dossiers routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import CASE_ROLES, NO_CASE_ROLE, SIGNED_IN, TOKENS, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "dossiers:access_request_create": R(
        "a case role, with the token of a duplicate check",
        (
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "dossiers:access_request_decide": R(
        "the regievoerder of the requested dossier",
        (post(t.access_request, S("professional")),),
    ),
    "dossiers:access_requests": R(
        "a case role (own requests, and requests to decide as regievoerder)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "dossiers:break_glass": R(
        "a case role (dossiers of the own municipality; refused after a recent removal)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "dossiers:break_glass_queue": R(
        "an aandachtsfunctionaris or the gemeente's privacy officer (grants they may review)",
        (get(t.none, S("aandachtsfunctionaris", "privacy")),),
    ),
    "dossiers:break_glass_review": R(
        "an aandachtsfunctionaris of an organisation on the case team or of the actor's, or the privacy officer; "
        "never the own grant",
        (post(t.break_glass_grant, S("aandachtsfunctionaris", "privacy")),),
    ),
    "dossiers:create": R(
        "a case role",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "dossiers:detail": R(
        "the case team, or a live break-the-glass grant (read only)",
        (
            get(t.dossier, S("bg_collega", "professional")),
            post(t.dossier, S("bg_collega", "professional")),
        ),
    ),
    "dossiers:section": R(
        "the case team, or a live break-the-glass grant (read only)",
        (get(t.dossier_section, S("bg_collega", "professional")),),
    ),
    "dossiers:edit": R(
        "the case team",
        (
            get(t.dossier, S("professional")),
            post(t.dossier, S("professional")),
        ),
    ),
    "dossiers:list": R(
        "a case role (own case teams and live break-the-glass grants)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "dossiers:note_add": R(
        "the case team",
        (
            get(t.dossier, S("professional")),
            post(t.dossier, S("professional")),
        ),
    ),
    "dossiers:person_add": R(
        "the case team",
        (
            get(t.dossier, S("professional")),
            post(t.dossier, S("professional")),
        ),
    ),
    "dossiers:person_edit": R(
        "the case team",
        (
            get(t.person, S("professional")),
            post(t.person, S("professional")),
        ),
    ),
    "dossiers:team_add": R(
        "the case team",
        (
            get(t.dossier, S("professional")),
            post(t.dossier, S("professional")),
        ),
    ),
    "dossiers:team_remove": R(
        "the case team",
        (post(t.case_team_member, S("professional")),),
    ),
    "dossiers:timeline": R(
        "the case team, or a live break-the-glass grant (read only)",
        (get(t.dossier, S("bg_collega", "professional")),),
    ),
    "api-dossier-detail": R(
        "the case team or a break-the-glass reader; systems with dossiers:read whose organisation is on the case team",
        (get(t.dossier, S("bg_collega", "professional", "token_own", "token_own_for_professional")),),
    ),
    "api-dossier-notes": R(
        "the case team (never a system: dossiers:read does not write)",
        (post(t.dossier, S("professional")),),
    ),
    "api-dossiers": R(
        "list: anyone signed in (own case teams; systems with dossiers:read: dossiers with their organisation on "
        "the case team); create: a case role",
        (
            get(
                t.none,
                SIGNED_IN | TOKENS,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "api-dossiers-search": R(
        "a case role; systems with dossiers:read",
        (
            post(
                t.none,
                SIGNED_IN | TOKENS,
            ),
        ),
    ),
    "api-figures-dossiers": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality)",
        (get(t.none, NO_CASE_ROLE),),
    ),
}
