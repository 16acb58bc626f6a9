"""Who may use the meldcode routes (UI and API)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from keten.testing.route_matrix import targets as t
from keten.testing.route_matrix.checks import CASE_ROLES, NO_CASE_ROLE, R, Route, S, get, post
from keten.testing.route_matrix.world import World


def municipal_checklist(world: World) -> dict[str, Any]:
    """A checklist version of the demo municipality (published by its gemeente's functioneel beheerder).

    Made on first use in each test (each test's changes are rolled back), so not kept in ``world.targets``.
    """
    from keten.meldcode.models import Checklist

    checklist, _created = Checklist.objects.get_or_create(
        kind="kindsignalen",
        organisation_type="",
        municipality=world.targets["prof_org"].municipality,
        version=900,
        defaults={
            "title": "Signalen bij het kind (gemeente)",
            "items": [{"code": "G-01", "group": "", "label": "Eigen signaal van de gemeente", "age_band": ""}],
            "published_at": timezone.now(),
            "created_by": world.user("beheerder"),
        },
    )
    return {"pk": checklist.pk}


ROUTES: dict[str, Route] = {
    "meldcode:action": R(
        "the dossier's case team",
        (post(t.traject_action, S("professional")),),
    ),
    "meldcode:checklist": R(
        "the gemeente's functioneel beheerder: national versions and those of the own municipality",
        (
            get(t.checklist, S("beheerder", "other_beheerder", "superuser")),
            get(municipal_checklist, S("beheerder", "superuser")),
        ),
    ),
    "meldcode:checklist_publish": R(
        "the gemeente's functioneel beheerder: a new version for the own municipality, from a national or own one",
        (
            get(t.checklist, S("beheerder", "other_beheerder", "superuser")),
            post(t.checklist, S("beheerder", "other_beheerder", "superuser")),
            get(municipal_checklist, S("beheerder", "superuser")),
            post(municipal_checklist, S("beheerder", "superuser")),
        ),
    ),
    "meldcode:checklists": R(
        "the gemeente's functioneel beheerder (national versions and those of the own municipality)",
        (get(t.none, S("beheerder", "other_beheerder", "superuser")),),
    ),
    "meldcode:consultation": R(
        "seen by the one asked and whoever may see the traject; answered by the one asked only",
        (
            get(t.consultation, S("aandachtsfunctionaris", "professional", "veiligthuis")),
            post(t.consultation, S("aandachtsfunctionaris")),
        ),
    ),
    "meldcode:correct": R(
        "the dossier's case team",
        (
            get(t.traject_entry, S("professional")),
            post(t.traject_entry, S("professional")),
        ),
    ),
    "meldcode:figures": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality, small cells hidden)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "meldcode:figures_csv": R(
        "a beleidsmedewerker or functioneel beheerder (own municipality, small cells hidden)",
        (get(t.none, NO_CASE_ROLE),),
    ),
    "meldcode:inbox": R(
        "a case role (consultations asked of them)",
        (
            get(
                t.none,
                CASE_ROLES,
            ),
        ),
    ),
    "meldcode:new": R(
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
    "meldcode:organisation": R(
        "an aandachtsfunctionaris (trajecten of the own organisation)",
        (get(t.none, S("aandachtsfunctionaris")),),
    ),
    "meldcode:report": R(
        "whoever may see the traject (case team, break-the-glass, consulted)",
        (get(t.traject, S("bg_collega", "professional")),),
    ),
    "meldcode:start": R(
        "the dossier's case team",
        (post(t.dossier, S("professional")),),
    ),
    "meldcode:traject": R(
        "the dossier's case team, a break-the-glass reader, or a consulted colleague",
        (get(t.traject, S("bg_collega", "professional")),),
    ),
    "api-meldcode-afwegingen": R(
        "the dossier's case team; systems acting for a case-team member",
        (post(t.traject, S("professional", "token_own_for_professional"), refused=S("token_own", "token_other")),),
    ),
    "api-meldcode-consultations": R(
        "the dossier's case team; systems acting for a case-team member",
        (
            get(t.traject, S("professional", "token_own_for_professional"), refused=S("token_own", "token_other")),
            post(t.traject, S("professional", "token_own_for_professional"), refused=S("token_own", "token_other")),
        ),
    ),
    "api-meldcode-decisions": R(
        "the dossier's case team; systems acting for a case-team member",
        (post(t.traject, S("professional", "token_own_for_professional"), refused=S("token_own", "token_other")),),
    ),
    "api-meldcode-signals": R(
        "the dossier's case team; systems acting for a case-team member",
        (post(t.traject, S("professional", "token_own_for_professional"), refused=S("token_own", "token_other")),),
    ),
    "api-meldcode-traject": R(
        "whoever may see the traject; systems acting for a case-team member",
        (
            get(
                t.traject,
                S("bg_collega", "professional", "token_own_for_professional"),
                refused=S("token_own", "token_other"),
            ),
        ),
    ),
    "api-meldcode-trajecten": R(
        "a case role (visible trajecten); systems with meldcode:write acting for a professional",
        (
            get(
                t.none,
                S(
                    "aandachtsfunctionaris",
                    "bg_collega",
                    "collega",
                    "other_professional",
                    "professional",
                    "teamleider",
                    "token_other_for_member",
                    "token_own_for_professional",
                    "veiligthuis",
                ),
                refused=S("token_own", "token_other"),
            ),
            post(
                t.none,
                S(
                    "aandachtsfunctionaris",
                    "bg_collega",
                    "collega",
                    "other_professional",
                    "professional",
                    "teamleider",
                    "token_other_for_member",
                    "token_own_for_professional",
                    "veiligthuis",
                ),
                refused=S("token_own", "token_other"),
            ),
        ),
    ),
}
