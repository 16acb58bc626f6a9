"""Who may use the network routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import NO_CASE_ROLE, SIGNED_IN, TOKENS, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "network:agreement_create": R(
        "a beleidsmedewerker or functioneel beheerder",
        (
            get(t.none, NO_CASE_ROLE),
            post(t.none, NO_CASE_ROLE),
        ),
    ),
    "network:agreement_edit": R(
        "a beleidsmedewerker or functioneel beheerder of the agreement's municipality",
        (
            get(t.network_agreement, S("beheerder", "beleid", "org_beheerder", "superuser")),
            post(t.network_agreement, S("beheerder", "beleid", "org_beheerder", "superuser")),
        ),
    ),
    "network:agreements": R(
        "any member of an organisation",
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
    "network:entry_confirm": R(
        "a beheerder of the organisation or of the gemeente, or a designated editor",
        (post(t.network_organisation, S("beheerder", "org_beheerder", "superuser")),),
    ),
    "network:entry_edit": R(
        "a beheerder of the organisation or of the gemeente, or a designated editor",
        (
            get(t.network_organisation, S("beheerder", "org_beheerder", "superuser")),
            post(t.network_organisation, S("beheerder", "org_beheerder", "superuser")),
        ),
    ),
    "network:gaps": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder",
        (get(t.none, S("beheerder", "beleid", "other_beheerder", "superuser")),),
    ),
    "network:gaps_csv": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder",
        (get(t.none, S("beheerder", "beleid", "other_beheerder", "superuser")),),
    ),
    "network:gaps_wijk": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder (own municipality)",
        (get(t.wijk, S("beheerder", "beleid", "superuser")),),
    ),
    "network:gaps_wijk_csv": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder (own municipality)",
        (get(t.wijk, S("beheerder", "beleid", "superuser")),),
    ),
    "network:gaps_wijk_xlsx": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder (own municipality)",
        (get(t.wijk, S("beheerder", "beleid", "superuser")),),
    ),
    "network:gaps_xlsx": R(
        "a beleidsmedewerker, or the gemeente's functioneel beheerder",
        (get(t.none, S("beheerder", "beleid", "other_beheerder", "superuser")),),
    ),
    "network:organisation": R(
        "a member of an organisation of the same municipality (contact requests: case roles)",
        (
            get(
                t.network_organisation,
                S(
                    "aandachtsfunctionaris",
                    "beheerder",
                    "beleid",
                    "bg_collega",
                    "collega",
                    "org_beheerder",
                    "privacy",
                    "professional",
                    "superuser",
                    "teamleider",
                    "veiligthuis",
                ),
            ),
            post(
                t.network_organisation,
                S("aandachtsfunctionaris", "bg_collega", "collega", "professional", "teamleider", "veiligthuis"),
            ),
        ),
    ),
    "network:search": R(
        "any member of an organisation",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "network_beheer:export": R(
        "the gemeente's functioneel beheerder",
        (get(t.import_kind_fmt, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "network_beheer:import": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.import_kind, S("beheerder", "other_beheerder", "superuser")),
            post(t.import_kind, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "network_beheer:import_cancel": R(
        "the gemeente's functioneel beheerder",
        (post(t.import_kind, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "network_beheer:import_preview": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.import_kind, S("beheerder", "other_beheerder", "superuser")),
            post(t.import_kind, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "network_beheer:import_template": R(
        "the gemeente's functioneel beheerder",
        (get(t.import_kind_fmt, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "network_beheer:index": R(
        "the gemeente's functioneel beheerder",
        (get(t.none, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "network_beheer:postcode_range_delete": R(
        "the gemeente's functioneel beheerder of that municipality",
        (
            get(t.postcode_range, S("beheerder", "superuser")),
            post(t.postcode_range, S("beheerder", "superuser")),
        ),
    ),
    "network_beheer:postcode_ranges": R(
        "the gemeente's functioneel beheerder",
        (
            get(t.none, S("beheerder", "other_beheerder", "superuser")),
            post(t.none, S("beheerder", "other_beheerder", "superuser")),
        ),
    ),
    "publiek:routekaart": R(
        "open: the public routekaart for parents and citizens",
        (get(t.none, S()),),
        public=True,
    ),
    "publiek:start": R(
        "open: the public routekaart for parents and citizens",
        (get(t.none, S()),),
        public=True,
    ),
    "routekaart:index": R(
        "any member of an organisation",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "routekaart:pdf": R(
        "any member of an organisation of the wijk's municipality",
        (
            get(
                t.wijk,
                S(
                    "aandachtsfunctionaris",
                    "beheerder",
                    "beleid",
                    "bg_collega",
                    "collega",
                    "org_beheerder",
                    "privacy",
                    "professional",
                    "superuser",
                    "teamleider",
                    "veiligthuis",
                ),
            ),
        ),
    ),
    "routekaart:wijk": R(
        "any member of an organisation of the wijk's municipality",
        (
            get(
                t.wijk,
                S(
                    "aandachtsfunctionaris",
                    "beheerder",
                    "beleid",
                    "bg_collega",
                    "collega",
                    "org_beheerder",
                    "privacy",
                    "professional",
                    "superuser",
                    "teamleider",
                    "veiligthuis",
                ),
            ),
        ),
    ),
    "api-network-agreements": R(
        "any member",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "api-network-organisations": R(
        "any member; systems with network:read",
        (
            get(
                t.none,
                SIGNED_IN | TOKENS,
            ),
        ),
    ),
    "api-network-professionals": R(
        "any member; systems with network:read",
        (
            get(
                t.none,
                SIGNED_IN | TOKENS,
            ),
        ),
    ),
    "api-network-routekaart": R(
        "open: the public routekaart",
        (get(t.none, S()),),
        public=True,
    ),
}
