"""Who may use the sharing routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import CASE_ROLES, NO_CASE_ROLE, SIGNED_IN, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "sharing:consent_create": R(
        "the dossier's case team",
        (
            get(t.sharing_dossier, S("professional")),
            post(t.sharing_dossier, S("professional")),
        ),
    ),
    "sharing:consent_withdraw": R(
        "the dossier's case team",
        (post(t.sharing_consent, S("professional")),),
    ),
    "sharing:convenant_create": R(
        "a beleidsmedewerker or functioneel beheerder",
        (
            get(t.none, NO_CASE_ROLE),
            post(t.none, NO_CASE_ROLE),
        ),
    ),
    "sharing:convenants": R(
        "a beleidsmedewerker or functioneel beheerder",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "sharing:counts": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "sharing:deelhulp": R(
        "the dossier's case team",
        (
            get(t.sharing_dossier, S("professional")),
            post(t.sharing_dossier, S("professional")),
        ),
    ),
    "sharing:disclosure_log": R(
        "the dossier's case team, or a break-the-glass reader",
        (get(t.sharing_dossier, S("bg_collega", "professional")),),
    ),
    "sharing:grant_revoke": R(
        "the dossier's case team",
        (post(t.sharing_grant_on_dossier, S("professional")),),
    ),
    "sharing:organisation": R(
        "an aandachtsfunctionaris (disclosures of the own organisation)",
        (get(t.none, S("aandachtsfunctionaris")),),
    ),
    "sharing:organisation_csv": R(
        "an aandachtsfunctionaris (disclosures of the own organisation)",
        (get(t.none, S("aandachtsfunctionaris")),),
    ),
    "sharing:shared_view": R(
        "the recipient of the grant, while it runs",
        (get(t.sharing_grant, S("collega")),),
    ),
    "sharing:shared_with_me": R(
        "a case role (grants to them)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "sharing_inzage:create": R(
        "the dossier's case team",
        (
            get(t.sharing_dossier, S("professional")),
            post(t.sharing_dossier, S("professional")),
        ),
    ),
    "sharing_inzage:destruction": R(
        "the dossier's case team",
        (
            get(t.destruction, S("professional")),
            post(t.destruction, S("professional")),
        ),
    ),
    "sharing_inzage:destruction_create": R(
        "the dossier's case team",
        (
            get(t.sharing_dossier, S("professional")),
            post(t.sharing_dossier, S("professional")),
        ),
    ),
    "sharing_inzage:detail": R(
        "the dossier's case team",
        (
            get(t.inzage, S("professional")),
            post(t.inzage, S("professional")),
        ),
    ),
    "sharing_inzage:export": R(
        "the professional who asked for the overview",
        (get(t.inzage_export, S("professional")),),
    ),
    "sharing_inzage:export_pdf": R(
        "the professional who asked for the overview",
        (get(t.inzage_export, S("professional")),),
    ),
    "sharing_inzage:export_start": R(
        "the dossier's case team",
        (post(t.inzage, S("professional")),),
    ),
    "sharing_inzage:overview": R(
        "the dossier's case team",
        (get(t.sharing_dossier, S("professional")),),
    ),
    "api-sharing-consent-withdraw": R(
        "the dossier's case team",
        (post(t.sharing_consent_pk, S("professional")),),
        tokens=False,
    ),
    "api-sharing-consents": R(
        "the dossier's case team (read also break-the-glass)",
        (
            get(t.sharing_dossier, S("bg_collega", "professional")),
            post(t.sharing_dossier, S("professional")),
        ),
        tokens=False,
    ),
    "api-sharing-convenant": R(
        "members of the convenant's municipality",
        (
            get(
                t.convenant,
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
        tokens=False,
    ),
    "api-sharing-convenants": R(
        "members of the municipality's organisations (write: beleidsmedewerker, functioneel beheerder)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(t.none, NO_CASE_ROLE),
        ),
        tokens=False,
    ),
    "api-sharing-disclosures": R(
        "the dossier's case team (read also break-the-glass)",
        (
            get(t.sharing_dossier, S("bg_collega", "professional")),
            post(t.sharing_dossier, S("professional")),
        ),
        tokens=False,
    ),
}
