"""The world the route matrix is checked in: the demo municipality plus a few extra relations.

The demo seed (``seed --profile demo``) gives every demo role with real data around it. On top of
it this module adds what the matrix needs to tell relations apart:

* ``bg-collega``: a professional of demo-professional's wijkteam with an active break-the-glass
  grant on the target dossier (and nothing else);
* a second municipality with its own wijkteam, professional (``other-professional``), functioneel
  beheerder and dossier;
* API clients (system tokens) with every scope: one of demo-professional's organisation, one of a
  partner organisation that is not on the target dossier's case team.

Every target (a dossier, a traject, a meeting, …) is picked so that its relation to each subject is
the one the matrix describes (see ``Subject.description`` in :mod:`keten.testing.route_matrix`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from keten.accounts.models import (
    CASE_ROLES,
    ApiClient,
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from keten.core.crypto import hash_token
from keten.dossiers.models import BreakGlassAccess, CaseTeamMember, Dossier
from keten.testing.factories import make_dossier, make_user

OTHER_MUNICIPALITY_CODE = "GM9998"


@dataclass
class World:
    users: dict[str, User]
    tokens: dict[str, str]
    acting_for: dict[str, int]
    targets: dict[str, Any] = field(default_factory=dict)

    def user(self, key: str) -> User:
        return self.users[key]


def _token_for(organisation: Organisation, name: str) -> str:
    token = secrets.token_urlsafe(32)
    ApiClient.objects.create(
        organisation=organisation,
        name=name,
        token_prefix=token[:8],
        token_hash=hash_token(token),
        scopes=[scope.value for scope in ApiClient.Scope],
    )
    return token


def _sharing_extras(prof: User) -> None:
    """A ready inzage overview and an open destruction request of demo-professional's inzage request."""
    from keten.sharing.models import DestructionRequest, InzageExport, InzageRequest

    inzage = InzageRequest.objects.filter(recorded_by=prof).order_by("pk").first()
    if inzage is None:  # pragma: no cover - the demo seed records one
        raise RuntimeError("demo seed has no inzage request of demo-professional")
    now = timezone.now()
    InzageExport.objects.create(
        request=inzage,
        requested_by=prof,
        status=InzageExport.Status.READY,
        finished_at=now,
        expires_at=now + timedelta(days=1),
        pages=1,
        size=4,
        content="JVBERg==",
    )
    DestructionRequest.objects.create(
        dossier=inzage.dossier,
        requester=inzage.requester,
        requester_role=inzage.requester_role,
        about=inzage.about,
        received_on=now.date(),
        due_on=now.date() + timedelta(days=28),
        recorded_by=prof,
        recorded_by_organisation=inzage.recorded_by_organisation,
    )


def _webhook_for(client_name: str) -> None:
    from keten.verwijsindex.models import WebhookSubscription

    WebhookSubscription.objects.create(
        api_client=ApiClient.objects.get(name=client_name),
        url="https://ontvanger.example/keten",
        secret="een-gedeeld-geheim-van-voldoende-lengte",  # noqa: S106 - test data
    )


def build_world() -> World:
    """Seed the demo municipality and add the extra relations (call inside a transaction)."""
    from keten.seeding.demo import seed_demo

    seed_demo(progress=False)
    demo = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    prof = demo["demo-professional"]
    prof_org = prof.active_membership.organisation  # type: ignore[union-attr]

    # The target dossier: demo-professional leads it, and no other demo login has any relation to it.
    others = [u.pk for name, u in demo.items() if name != "demo-professional"]
    busy = set(CaseTeamMember.objects.filter(user_id__in=others).values_list("dossier_id", flat=True))
    candidates = (
        Dossier.objects.filter(coordinator=prof, status=Dossier.Status.OPEN, trajecten__isnull=False)
        .exclude(pk__in=busy)
        .order_by("pk")
        .distinct()
    )
    dossier = candidates.first()
    if dossier is None:  # pragma: no cover - the demo seed always has one
        raise RuntimeError("demo seed has no dossier of demo-professional alone with a meldcode traject")

    bg_user = make_user(Role.PROFESSIONAL, prof_org, username="bg-collega")
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=dossier,
        user=bg_user,
        organisation=prof_org,
        reason="Noodgeval in de nacht",
        granted_at=now,
        expires_at=now + timedelta(hours=8),
    )

    municipality = Municipality.objects.create(name="Anderdorp", cbs_code=OTHER_MUNICIPALITY_CODE)
    other_org = Organisation.objects.create(
        name="Wijkteam Anderdorp", type=OrganisationType.WIJKTEAM, municipality=municipality
    )
    other_gemeente = Organisation.objects.create(
        name="Gemeente Anderdorp", type=OrganisationType.GEMEENTE, municipality=municipality
    )
    other_prof = make_user(Role.PROFESSIONAL, other_org, username="other-professional")
    other_beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, other_gemeente, username="other-beheerder")
    other_dossier = make_dossier(other_prof, family_name="Gezin Anders")

    on_team_orgs = set(CaseTeamMember.objects.filter(dossier=dossier).values_list("organisation_id", flat=True))
    partner_org = (
        Organisation.objects.filter(municipality=prof_org.municipality, is_active=True)
        .exclude(pk__in=on_team_orgs)
        .exclude(type=OrganisationType.GEMEENTE)
        .order_by("pk")
        .first()
    )
    assert partner_org is not None
    tokens = {
        "token_own": _token_for(prof_org, "Registratiesysteem wijkteam"),
        "token_other": _token_for(partner_org, "Registratiesysteem partner"),
    }
    partner_member = (
        Membership.objects.filter(organisation=partner_org, is_active=True, role__in=sorted(CASE_ROLES))
        .order_by("pk")
        .first()
    )
    assert partner_member is not None
    #: The professional each token names in the Keten-Professional header when it acts for one.
    acting_for = {"token_own": prof.pk, "token_other": partner_member.user_id}
    org_beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, prof_org, username="wijkteam-beheerder")
    from keten.accounts.models import ResetRequest
    from keten.dossiers.models import AccessRequest

    reset_request = ResetRequest.objects.create(
        user=demo["demo-beleid"],
        requested_by=demo["demo-beheerder"],
        reason="Telefoon kwijt, nieuwe app nodig",
        email=demo["demo-beleid"].email,
        created_at=now,
    )
    access_request = AccessRequest.objects.create(
        dossier=dossier,
        requester=demo["demo-collega"],
        organisation=prof_org,
        motivation="Ik begeleid de oudste dochter op school en wil aansluiten.",
    )
    grant = BreakGlassAccess.objects.get(user=bg_user)
    users = {
        "professional": prof,
        "collega": demo["demo-collega"],
        "bg_collega": bg_user,
        "aandachtsfunctionaris": demo["demo-aandachtsfunctionaris"],
        "teamleider": demo["demo-teamleider"],
        "veiligthuis": demo["demo-veiligthuis"],
        "beleid": demo["demo-beleid"],
        "beheerder": demo["demo-beheerder"],
        "superuser": demo["demo-superuser"],
        "org_beheerder": org_beheerder,
        "other_professional": other_prof,
        "other_beheerder": other_beheerder,
    }
    if "demo-privacy" in demo:
        users["privacy"] = demo["demo-privacy"]
    _sharing_extras(prof)
    _webhook_for("Registratiesysteem wijkteam")
    world = World(users=users, tokens=tokens, acting_for=acting_for)
    world.targets.update(
        dossier=dossier,
        other_dossier=other_dossier,
        prof_org=prof_org,
        partner_org=partner_org,
        other_org=other_org,
        memberships={key: Membership.objects.filter(user=u).order_by("pk").first() for key, u in users.items()},
        reset_request=reset_request,
        access_request=access_request,
        grant=grant,
    )
    return world
