"""The URL arguments of every route in the route matrix: which object of the world each route is tried on.

Each function takes the :class:`~keten.testing.route_world.World` and returns the keyword arguments for
``reverse()``. Objects are looked up once per world and kept in ``world.targets``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from keten.accounts.models import Team, Wijk
from keten.dossiers.models import CaseTeamMember, Person
from keten.testing.route_matrix.world import World

Target = Callable[[World], dict[str, Any]]


def _cached(world: World, key: str, make: Callable[[], Any]) -> Any:
    if key not in world.targets:
        world.targets[key] = make()
    return world.targets[key]


def none(world: World) -> dict[str, Any]:
    return {}


# --- accounts -----------------------------------------------------------------------------------


def own_organisation(world: World) -> dict[str, Any]:
    return {"pk": world.targets["prof_org"].pk}


def own_team(world: World) -> dict[str, Any]:
    team = _cached(world, "team", lambda: Team.objects.filter(organisation=world.targets["prof_org"]).first())
    return {"pk": team.pk}


def colleague_user(world: World) -> dict[str, Any]:
    """demo-collega: a professional of demo-professional's wijkteam."""
    return {"pk": world.user("collega").pk}


def colleague_membership(world: World) -> dict[str, Any]:
    return {"pk": world.targets["memberships"]["collega"].pk}


def own_api_client(world: World) -> dict[str, Any]:
    from keten.accounts.models import ApiClient

    client = _cached(world, "api_client", lambda: ApiClient.objects.filter(name="Registratiesysteem wijkteam").get())
    return {"pk": client.pk}


def reset_request(world: World) -> dict[str, Any]:
    """A pending reset of demo-beleid's account, asked by demo-beheerder (demo-superuser may decide)."""
    return {"pk": world.targets["reset_request"].pk}


def setup_token(world: World) -> dict[str, Any]:
    return {"token": "geen-geldige-instellink-0000000000000000000"}


# --- dossiers -----------------------------------------------------------------------------------


def dossier(world: World) -> dict[str, Any]:
    return {"reference": world.targets["dossier"].reference}


def dossier_section(world: World) -> dict[str, Any]:
    """A section of the dossier's workspace (the meldcode section: it reads an app's records)."""
    return {**dossier(world), "slug": "meldcode"}


def person(world: World) -> dict[str, Any]:
    found = _cached(world, "person", lambda: Person.objects.filter(family=world.targets["dossier"].family).first())
    return {"reference": world.targets["dossier"].reference, "pseudonym": found.pseudonym}


def case_team_member(world: World) -> dict[str, Any]:
    member = _cached(
        world,
        "member",
        lambda: (
            CaseTeamMember.objects.filter(dossier=world.targets["dossier"], ended_at__isnull=True)
            .exclude(user=world.user("professional"))
            .order_by("pk")
            .first()
        ),
    )
    return {"reference": world.targets["dossier"].reference, "member_id": member.pk}


def break_glass_grant(world: World) -> dict[str, Any]:
    return {"grant_id": world.targets["grant"].pk}


def access_request(world: World) -> dict[str, Any]:
    """demo-collega asks demo-professional (regievoerder) for access to the target dossier."""
    return {"request_id": world.targets["access_request"].pk}


# --- meldcode -----------------------------------------------------------------------------------


def traject_obj(world: World) -> Any:
    from keten.meldcode.models import Traject

    return _cached(
        world, "traject", lambda: Traject.objects.filter(dossier=world.targets["dossier"]).order_by("pk").first()
    )


def traject(world: World) -> dict[str, Any]:
    return {"reference": traject_obj(world).reference}


def traject_action(world: World) -> dict[str, Any]:
    return {"reference": traject_obj(world).reference, "action": "signalen"}


def traject_entry(world: World) -> dict[str, Any]:
    t = traject_obj(world)
    entry = t.entries.order_by("pk").first()
    return {"reference": t.reference, "entry_id": entry.pk}


def checklist(world: World) -> dict[str, Any]:
    from keten.meldcode.models import Checklist

    return {"pk": _cached(world, "checklist", lambda: Checklist.objects.order_by("pk").first()).pk}


def consultation(world: World) -> dict[str, Any]:
    """An open consultation asked of demo-aandachtsfunctionaris."""
    from keten.meldcode.models import Consultation

    found = _cached(
        world,
        "consultation",
        lambda: (
            Consultation.objects.filter(requested_to=world.user("aandachtsfunctionaris"))
            .order_by("state", "pk")
            .first()
        ),
    )
    return {"pk": found.pk}


# --- verwijsindex -------------------------------------------------------------------------------


def vi_signal(world: World) -> dict[str, Any]:
    from keten.verwijsindex.models import Signal

    found = _cached(
        world,
        "vi_signal",
        lambda: Signal.objects.filter(professional=world.user("professional"), status="actief").order_by("pk").first(),
    )
    return {"pk": found.pk}


def vi_match_obj(world: World) -> Any:
    from keten.verwijsindex.models import Match

    return _cached(
        world,
        "vi_match",
        lambda: (
            Match.objects.filter(participants__signal__professional=world.user("professional")).order_by("pk").first()
        ),
    )


def vi_match(world: World) -> dict[str, Any]:
    return {"pk": vi_match_obj(world).pk}


def vi_match_action(world: World) -> dict[str, Any]:
    return {"pk": vi_match_obj(world).pk, "action": "contact"}


def vi_regievoerder(world: World) -> dict[str, Any]:
    from keten.verwijsindex.models import Regievoerder

    return {"pk": _cached(world, "vi_regievoerder", lambda: Regievoerder.objects.order_by("pk").first()).pk}


def vi_match_id(world: World) -> dict[str, Any]:
    return {"match_id": vi_match_obj(world).pk}


# --- overleg ------------------------------------------------------------------------------------


def overleg_agreement(world: World) -> dict[str, Any]:
    from keten.overleg.models import Agreement

    found = _cached(
        world,
        "ov_agreement",
        lambda: Agreement.objects.filter(owner_user=world.user("professional")).order_by("pk").first(),
    )
    return {"pk": found.pk}


def overleg_registration(world: World) -> dict[str, Any]:
    from keten.overleg.models import CaseRegistration

    found = _cached(
        world,
        "ov_registration",
        lambda: CaseRegistration.objects.filter(registered_by=world.user("professional")).order_by("pk").first(),
    )
    return {"pk": found.pk}


def overleg_meeting_obj(world: World) -> Any:
    from keten.overleg.models import Meeting

    return _cached(
        world,
        "ov_meeting",
        lambda: (
            Meeting.objects.filter(overleg_type__chair=world.user("teamleider"), status="planned")
            .order_by("starts_at")
            .first()
        ),
    )


def overleg_meeting(world: World) -> dict[str, Any]:
    return {"pk": overleg_meeting_obj(world).pk}


def overleg_item(world: World) -> dict[str, Any]:
    from keten.overleg.models import AgendaItem

    found = _cached(
        world,
        "ov_item",
        lambda: (
            AgendaItem.objects.filter(meeting=overleg_meeting_obj(world)).order_by("pk").first()
            or AgendaItem.objects.filter(meeting__overleg_type__chair=world.user("teamleider")).order_by("-pk").first()
        ),
    )
    return {"pk": found.pk}


def overleg_type(world: World) -> dict[str, Any]:
    return {"pk": overleg_meeting_obj(world).overleg_type_id}


def calendar_token(world: World) -> dict[str, Any]:
    return {"token": "onbekende-sleutel-0000000000000000000000000"}


# --- sharing ------------------------------------------------------------------------------------


def sharing_dossier_obj(world: World) -> Any:
    from keten.sharing.models import AccessGrant

    return _cached(
        world, "sh_dossier", lambda: AccessGrant.objects.order_by("pk").select_related("dossier").first().dossier
    )


def sharing_dossier(world: World) -> dict[str, Any]:
    return {"reference": sharing_dossier_obj(world).reference}


def sharing_grant(world: World) -> dict[str, Any]:
    from keten.sharing.models import AccessGrant

    grant = _cached(world, "sh_grant", lambda: AccessGrant.objects.order_by("pk").first())
    return {"grant_id": grant.pk}


def sharing_grant_on_dossier(world: World) -> dict[str, Any]:
    return {"reference": sharing_dossier_obj(world).reference, **sharing_grant(world)}


def sharing_consent(world: World) -> dict[str, Any]:
    from keten.sharing.models import Consent

    consent = _cached(
        world,
        "sh_consent",
        lambda: (
            Consent.objects.filter(dossier=sharing_dossier_obj(world), withdrawn_on__isnull=True).order_by("pk").first()
        ),
    )
    return {"reference": sharing_dossier_obj(world).reference, "consent_id": consent.pk}


def sharing_consent_pk(world: World) -> dict[str, Any]:
    return {"pk": sharing_consent(world)["consent_id"]}


def inzage(world: World) -> dict[str, Any]:
    from keten.sharing.models import InzageRequest

    return {"pk": _cached(world, "sh_inzage", lambda: InzageRequest.objects.order_by("pk").first()).pk}


def inzage_export(world: World) -> dict[str, Any]:
    from keten.sharing.models import InzageExport

    found = _cached(world, "sh_export", lambda: InzageExport.objects.order_by("pk").first())
    return {"pk": found.pk if found else 999_999}


def destruction(world: World) -> dict[str, Any]:
    from keten.sharing.models import DestructionRequest

    found = _cached(world, "sh_destruction", lambda: DestructionRequest.objects.order_by("pk").first())
    return {"pk": found.pk if found else 999_999}


def convenant(world: World) -> dict[str, Any]:
    from keten.sharing.models import Convenant

    return {"pk": _cached(world, "sh_convenant", lambda: Convenant.objects.order_by("pk").first()).pk}


# --- network ------------------------------------------------------------------------------------


def network_organisation(world: World) -> dict[str, Any]:
    return {"pk": world.targets["prof_org"].pk}


def network_agreement(world: World) -> dict[str, Any]:
    from keten.network.models import Agreement

    return {"pk": _cached(world, "nw_agreement", lambda: Agreement.objects.order_by("pk").first()).pk}


def wijk_obj(world: World) -> Any:
    return _cached(
        world,
        "wijk",
        lambda: Wijk.objects.filter(municipality=world.targets["prof_org"].municipality).order_by("pk").first(),
    )


def wijk(world: World) -> dict[str, Any]:
    return {"wijk_id": wijk_obj(world).pk}


def postcode_range(world: World) -> dict[str, Any]:
    from keten.network.models import PostcodeRange

    return {"pk": _cached(world, "nw_range", lambda: PostcodeRange.objects.order_by("pk").first()).pk}


def import_kind(world: World) -> dict[str, Any]:
    return {"kind": "organisaties"}


def import_kind_fmt(world: World) -> dict[str, Any]:
    return {"kind": "organisaties", "fmt": "csv"}


# --- webhooks -----------------------------------------------------------------------------------


def webhook(world: World) -> dict[str, Any]:
    from keten.verwijsindex.models import WebhookSubscription

    found = _cached(world, "webhook", lambda: WebhookSubscription.objects.order_by("pk").first())
    return {"pk": found.pk if found else 999_999}
