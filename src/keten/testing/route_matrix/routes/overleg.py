"""Who may use the overleg routes (UI and API)."""

from __future__ import annotations

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import CASE_ROLES, NO_CASE_ROLE, SIGNED_IN, R, Route, S, get, post

ROUTES: dict[str, Route] = {
    "overleg:agreement": R(
        "the owner (person or organisation) or whoever may see the case",
        (get(t.overleg_agreement, S("professional", "veiligthuis")),),
    ),
    "overleg:agreement_close": R(
        "the owner (person or organisation) or whoever may see the case",
        (post(t.overleg_agreement, S("professional", "veiligthuis")),),
    ),
    "overleg:agreement_update": R(
        "the owner (person or organisation) or whoever may see the case",
        (post(t.overleg_agreement, S("professional", "veiligthuis")),),
    ),
    "overleg:calendar": R(
        "any signed-in user (own meetings)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "overleg:calendar_feed": R(
        "open: the secret link is the credential (an unknown link answers 404)",
        (get(t.calendar_token, S()),),
        public=True,
        public_outcome="404",
    ),
    "overleg:calendar_feed_create": R(
        "any signed-in user (own link)",
        (
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "overleg:calendar_feed_revoke": R(
        "any signed-in user (own link)",
        (
            post(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "overleg:figures": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "overleg:index": R(
        "any signed-in user (own overleggen and meetings)",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
    ),
    "overleg:item": R(
        "the chair or an attendee of the meeting",
        (get(t.overleg_item, S("collega", "professional", "teamleider")),),
    ),
    "overleg:item_agreement": R(
        "the chair or an attendee of the meeting",
        (post(t.overleg_item, S("collega", "professional", "teamleider")),),
    ),
    "overleg:item_discussion": R(
        "the chair or an attendee of the meeting",
        (post(t.overleg_item, S("collega", "professional", "teamleider")),),
    ),
    "overleg:item_remove": R(
        "the chair",
        (post(t.overleg_item, S("teamleider")),),
    ),
    "overleg:meeting": R(
        "the chair, an attendee, or a member of a participating organisation (cases only for chair and attendees)",
        (
            get(
                t.overleg_meeting,
                S("aandachtsfunctionaris", "bg_collega", "collega", "org_beheerder", "professional", "teamleider"),
            ),
        ),
    ),
    "overleg:meeting_attendance": R(
        "the chair (invited participants only)",
        (post(t.overleg_meeting, S("teamleider")),),
    ),
    "overleg:meeting_attendee_add": R(
        "the chair (invited participants only)",
        (
            get(t.overleg_meeting, S("teamleider")),
            post(t.overleg_meeting, S("teamleider")),
        ),
    ),
    "overleg:meeting_cancel": R(
        "the chair",
        (post(t.overleg_meeting, S("teamleider")),),
    ),
    "overleg:meeting_hold": R(
        "the chair",
        (post(t.overleg_meeting, S("teamleider")),),
    ),
    "overleg:minutes": R(
        "the chair or an attendee",
        (get(t.overleg_meeting, S("aandachtsfunctionaris", "bg_collega", "collega", "professional", "teamleider")),),
    ),
    "overleg:my_agreements": R(
        "a case role (agreements they or their organisation own)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "overleg:register": R(
        "the dossier's case team",
        (
            get(t.dossier, S("professional")),
            post(t.dossier, S("professional")),
        ),
    ),
    "overleg:register_from_match": R(
        "the match's coordinator",
        (
            get(t.vi_match_id, S("professional")),
            post(t.vi_match_id, S("professional")),
        ),
    ),
    "overleg:registration": R(
        "the registrant, the chair, the casusregisseur, or an attendee of a meeting with the case on its agenda",
        (get(t.overleg_registration, S("professional", "veiligthuis")),),
    ),
    "overleg:registration_close": R(
        "the chair or the casusregisseur (the registrant may withdraw)",
        (post(t.overleg_registration, S("professional", "veiligthuis")),),
    ),
    "overleg:registration_regisseur": R(
        "the chair",
        (post(t.overleg_registration, S("professional", "veiligthuis")),),
    ),
    "overleg:registration_schedule": R(
        "the chair",
        (post(t.overleg_registration, S("veiligthuis")),),
    ),
    "overleg:triage": R(
        "a case role (the triage queue of overleggen they chair)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "overleg:triage_admit": R(
        "the chair",
        (post(t.overleg_registration, S("veiligthuis")),),
    ),
    "overleg:triage_decline": R(
        "the chair",
        (post(t.overleg_registration, S("veiligthuis")),),
    ),
    "overleg:type": R(
        "whoever manages the overleg type, and its chair (read)",
        (
            get(t.overleg_type, S("beheerder", "beleid", "org_beheerder", "superuser", "teamleider")),
            post(t.overleg_type, S("beheerder", "beleid", "org_beheerder", "superuser")),
        ),
    ),
    "overleg:type_create": R(
        "the gemeente's beleidsmedewerker or functioneel beheerder, or a beheerder",
        (
            get(t.none, NO_CASE_ROLE),
            post(t.none, NO_CASE_ROLE),
        ),
    ),
    "overleg:type_meeting_add": R(
        "whoever manages the overleg type, and its chair",
        (post(t.overleg_type, S("beheerder", "beleid", "org_beheerder", "superuser", "teamleider")),),
    ),
    "overleg:type_step_add": R(
        "whoever manages the overleg type",
        (post(t.overleg_type, S("beheerder", "beleid", "org_beheerder", "superuser")),),
    ),
    "overleg:types": R(
        "the gemeente's beleidsmedewerker or functioneel beheerder, or a beheerder of a lead organisation",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "api-overleg-agreement": R(
        "as the agreement page; no system tokens",
        (get(t.overleg_agreement, S("professional", "veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-agreement-close": R(
        "as the agreement page; no system tokens",
        (post(t.overleg_agreement, S("professional", "veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-agreements": R(
        "any signed-in user lists own agreements; a case role records one; no system tokens",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
        tokens=False,
    ),
    "api-overleg-meeting": R(
        "as the meeting page; no system tokens",
        (
            get(
                t.overleg_meeting,
                S("aandachtsfunctionaris", "bg_collega", "collega", "org_beheerder", "professional", "teamleider"),
            ),
        ),
        tokens=False,
    ),
    "api-overleg-meetings": R(
        "any signed-in user (own meetings); no system tokens",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
        tokens=False,
    ),
    "api-overleg-registration": R(
        "as the registration page; no system tokens",
        (get(t.overleg_registration, S("professional", "veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-registration-admit": R(
        "the chair; no system tokens",
        (post(t.overleg_registration, S("veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-registration-close": R(
        "the chair or the casusregisseur; no system tokens",
        (post(t.overleg_registration, S("professional", "veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-registration-decline": R(
        "the chair; no system tokens",
        (post(t.overleg_registration, S("veiligthuis")),),
        tokens=False,
    ),
    "api-overleg-registrations": R(
        "any signed-in user lists the cases they may see; a case role registers one; no system tokens",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
            post(
                t.none,
                CASE_ROLES,
            ),
        ),
        tokens=False,
    ),
    "api-overleg-types": R(
        "any signed-in user (overleggen of the own municipality); no system tokens",
        (
            get(
                t.none,
                SIGNED_IN,
            ),
        ),
        tokens=False,
    ),
}
