"""Who may use the accounts routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import SIGNED_IN, TOKENS, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "accounts:beheer": R(
        "a functioneel beheerder",
        (get(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),),
    ),
    "accounts:beheer_api_client": R(
        "a beheerder of the client's organisation, or of the gemeente of its municipality",
        (
            get(t.own_api_client, S("beheerder", "org_beheerder", "superuser")),
            post(t.own_api_client, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_api_client_create": R(
        "a beheerder of that organisation, or of the gemeente of its municipality",
        (
            get(t.own_organisation, S("beheerder", "org_beheerder", "superuser")),
            post(t.own_organisation, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_api_client_revoke": R(
        "a beheerder of the client's organisation, or of the gemeente of its municipality",
        (
            get(t.own_api_client, S("beheerder", "org_beheerder", "superuser")),
            post(t.own_api_client, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_membership_add": R(
        "a beheerder of the person's organisation (roles in the own organisation only)",
        (
            get(t.colleague_user, S("org_beheerder")),
            post(t.colleague_user, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_membership_end": R(
        "a beheerder of the membership's organisation",
        (
            get(t.colleague_membership, S("org_beheerder")),
            post(t.colleague_membership, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_membership_role": R(
        "a beheerder of the membership's organisation",
        (
            get(t.colleague_membership, S("org_beheerder")),
            post(t.colleague_membership, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_organisation": R(
        "a beheerder of that organisation, or of the gemeente of its municipality",
        (get(t.own_organisation, S("beheerder", "org_beheerder", "superuser")),),
    ),
    "accounts:beheer_organisation_create": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.none, S("beheerder", "other_beheerder", "superuser")),
            post(t.none, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_organisation_deactivate": R(
        "the gemeente's functioneel beheerder of its municipality",
        (
            get(t.own_organisation, S("beheerder", "superuser")),
            post(t.own_organisation, S("beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_organisation_edit": R(
        "the gemeente's functioneel beheerder of its municipality",
        (
            get(t.own_organisation, S("beheerder", "superuser")),
            post(t.own_organisation, S("beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_organisation_reactivate": R(
        "the gemeente's functioneel beheerder of its municipality",
        (
            get(t.own_organisation, S("beheerder", "superuser")),
            post(t.own_organisation, S("beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_organisations": R(
        "a functioneel beheerder (the own organisation; the gemeente's: all of the municipality)",
        (get(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),),
    ),
    "accounts:beheer_reset_request": R(
        "a beheerder who manages the account (the requester and a possible approver)",
        (get(t.reset_request, S("beheerder", "superuser")),),
    ),
    "accounts:beheer_reset_request_approve": R(
        "a second beheerder who manages the account; the requester is refused with a message",
        (post(t.reset_request, S("superuser"), refused=S("beheerder")),),
    ),
    "accounts:beheer_reset_request_decline": R(
        "a beheerder who manages the account (also the requester, to withdraw it)",
        (post(t.reset_request, S("beheerder", "superuser")),),
    ),
    "accounts:beheer_reset_requests": R(
        "a functioneel beheerder (requests about accounts they manage)",
        (get(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),),
    ),
    "accounts:beheer_team_create": R(
        "a beheerder of that organisation, or of the gemeente of its municipality",
        (
            get(t.own_organisation, S("beheerder", "org_beheerder", "superuser")),
            post(t.own_organisation, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_team_edit": R(
        "a beheerder of the team's organisation, or of the gemeente of its municipality",
        (
            get(t.own_team, S("beheerder", "org_beheerder", "superuser")),
            post(t.own_team, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_user": R(
        "a beheerder of an organisation where the person has an active membership",
        (get(t.colleague_user, S("org_beheerder")),),
    ),
    "accounts:beheer_user_create": R(
        "a functioneel beheerder (in the own organisation)",
        (
            get(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),
            post(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_user_deactivate": R(
        "a beheerder of an organisation where the person has an active membership",
        (
            get(t.colleague_user, S("org_beheerder")),
            post(t.colleague_user, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_user_edit": R(
        "a beheerder of an organisation where the person has an active membership",
        (
            get(t.colleague_user, S("org_beheerder")),
            post(t.colleague_user, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_user_reactivate": R(
        "a beheerder of an organisation where the person has an active membership",
        (
            get(t.colleague_user, S("org_beheerder")),
            post(t.colleague_user, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_user_reset": R(
        "a beheerder of an organisation where the person has an active membership (never the own account)",
        (
            get(t.colleague_user, S("org_beheerder")),
            post(t.colleague_user, S("org_beheerder")),
        ),
    ),
    "accounts:beheer_users": R(
        "a functioneel beheerder (people with an active membership in the own organisation)",
        (get(t.none, S("beheerder", "org_beheerder", "other_beheerder", "superuser")),),
    ),
    "accounts:beheer_wijk_create": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.none, S("beheerder", "other_beheerder", "superuser")),
            post(t.none, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "accounts:beheer_wijken": R(
        "the gemeente's functioneel beheerder",
        (get(t.none, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "accounts:home": R(
        "any signed-in user (the own account)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "accounts:logout": R(
        "anyone (POST); ends the session and shows the login page",
        (post(t.none, S()),),
        public=True,
        public_outcome="login",
    ),
    "accounts:no_second_factor": R(
        "any signed-in user without an app (others are sent on)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "accounts:password_change": R(
        "any signed-in user (the own password, with a current code)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "accounts:setup_link": R(
        "open: the single-use link is the credential (an unknown link answers 404)",
        (
            get(t.setup_token, S()),
            post(t.setup_token, S()),
        ),
        public=True,
        public_outcome="404",
    ),
    "oidc_authentication_callback": R(
        "open when single sign-on is on (off here: 404)",
        (
            get(t.none, S()),
            post(t.none, S()),
        ),
        public=True,
        public_outcome="404",
    ),
    "oidc_authentication_init": R(
        "open when single sign-on is on (off here: 404)",
        (
            get(t.none, S()),
            post(t.none, S()),
        ),
        public=True,
        public_outcome="404",
    ),
    "otp_verify": R(
        "a signed-in user who has not yet given the second factor",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "two_factor:login": R(
        "open: the login page",
        (
            get(t.none, S()),
            post(t.none, S()),
        ),
        public=True,
    ),
    "two_factor:setup": R(
        "a verified session: replace the own authenticator app with a current code",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "two_factor:setup_complete": R(
        "a verified session: the new backup codes, once",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "api-organisations": R(
        "any signed-in user; systems with organisations:read",
        (
            get(
                t.none,
                SIGNED_IN | TOKENS,
            ),
        ),
    ),
}
