"""Who may use the verwijsindex routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import CASE_ROLES, NO_CASE_ROLE, TOKENS, Check, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "verwijsindex:beheer": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.none, S("beheerder", "other_beheerder", "superuser")),
            post(t.none, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "verwijsindex:figures": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "verwijsindex:match": R(
        "a participant of the match, or the municipality's verwijsindex regievoerder",
        (get(t.vi_match, S("aandachtsfunctionaris", "professional")),),
    ),
    "verwijsindex:match_action": R(
        "a participant of the match (coordinator actions: the coordinator)",
        (post(t.vi_match_action, S("professional")),),
    ),
    "verwijsindex:overview": R(
        "a case role (own signals and matches)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "verwijsindex:regie": R(
        "the municipality's verwijsindex regievoerder",
        (get(t.none, S("aandachtsfunctionaris")),),
    ),
    "verwijsindex:regievoerder_add": R(
        "the gemeente's functioneel beheerder",
        (post(t.none, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "verwijsindex:regievoerder_remove": R(
        "the gemeente's functioneel beheerder of that municipality",
        (post(t.vi_regievoerder, S("beheerder", "superuser")),),
    ),
    "verwijsindex:register": R(
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
    "verwijsindex:signal": R(
        "the professional who registered the signal",
        (get(t.vi_signal, S("professional")),),
    ),
    "verwijsindex:signal_history": R(
        "the professional who registered the signal",
        (post(t.vi_signal, S("professional")),),
    ),
    "verwijsindex:signal_notice": R(
        "the professional who registered the signal",
        (post(t.vi_signal, S("professional")),),
    ),
    "verwijsindex:signal_withdraw": R(
        "the professional who registered the signal",
        (
            get(t.vi_signal, S("professional")),
            post(t.vi_signal, S("professional")),
        ),
    ),
    "api-vi-feed": R(
        "a case role; systems with verwijsindex:read",
        (
            get(
                t.none,
                CASE_ROLES | TOKENS,
            ),
        ),
    ),
    "api-vi-signal": R(
        "the registering professional; systems of the registering organisation",
        (get(t.vi_signal, S("professional", "token_own", "token_own_for_professional")),),
    ),
    "api-vi-signals": R(
        "a case role (own signals); systems with verwijsindex:read/write (their organisation's)",
        (
            get(
                t.none,
                CASE_ROLES | TOKENS,
            ),
            post(
                t.none,
                CASE_ROLES | TOKENS,
            ),
        ),
    ),
    "api-vi-signals-bulk": R(
        "a case role; systems with verwijsindex:write",
        (
            post(
                t.none,
                CASE_ROLES | TOKENS,
            ),
        ),
    ),
    "api-vi-webhook": R(
        "the system that made the subscription (DELETE stops it)",
        (Check("DELETE", t.webhook, S("token_own", "token_own_for_professional")),),
    ),
    "api-vi-webhook-deliveries": R(
        "the system that made the subscription",
        (get(t.webhook, S("token_own", "token_own_for_professional")),),
    ),
    "api-vi-webhooks": R(
        "systems with verwijsindex:read (their own subscriptions)",
        (
            get(t.none, S("token_other", "token_other_for_member", "token_own", "token_own_for_professional")),
            post(t.none, S("token_other", "token_other_for_member", "token_own", "token_own_for_professional")),
        ),
    ),
}
