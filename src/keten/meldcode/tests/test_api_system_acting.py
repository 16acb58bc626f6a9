"""A partner system acting for one of its professionals in the meldcode API.

The token reaches only what the named professional reaches as a member of a case team: never
through that person's break-the-glass grants or consultations, only for active case-role members of
its own organisation, and every event names both the system and the professional.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import ApiClient, Organisation, Role, User
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent
from keten.dossiers.models import BreakGlassAccess
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Consultation, Traject
from keten.testing.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meldcode/trajecten/"
SECRET = "meldcode-system-secret"


@pytest.fixture
def system(organisation: Organisation) -> ApiClient:
    return ApiClient.objects.create(
        organisation=organisation,
        name="Leerlingvolgsysteem",
        token_prefix="llv-acting",
        token_hash=hash_token(SECRET),
        scopes=[ApiClient.Scope.MELDCODE_WRITE],
    )


def _as(named: str | int) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {SECRET}", HTTP_KETEN_PROFESSIONAL=str(named))


def _references(client: Client) -> set[str]:
    response = client.get(BASE)
    assert response.status_code == 200, response.content
    return {t["reference"] for t in response.json()["results"]}


def test_break_the_glass_grant_of_the_professional_does_not_reach_the_system(
    system: ApiClient, traject: Traject, outsider: User, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=traject.dossier,
        user=outsider,
        reason="Kind staat 's nachts op de stoep, regievoerder onbereikbaar.",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    # The professional themselves, signed in, may read it while the grant lasts ...
    assert client_for(outsider).get(f"{BASE}{traject.reference}/").status_code == 200
    # ... a system acting for them may not: it does not exist for the system.
    client = _as(outsider.pk)
    response = client.get(f"{BASE}{traject.reference}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert traject.reference not in _references(client)


def test_a_consultation_of_the_professional_does_not_reach_the_system(
    system: ApiClient,
    traject: Traject,
    professional: User,
    outsider: User,
    actor_of: Callable[[User], Actor],
    client_for: Callable[[User], Client],
) -> None:
    consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=outsider.pk,
        kind=Consultation.Kind.COLLEGA,
        question="Wat vind jij van deze signalen?",
        anonymous=False,
    )
    assert client_for(outsider).get(f"{BASE}{traject.reference}/").status_code == 200
    client = _as(outsider.email)
    assert client.get(f"{BASE}{traject.reference}/").status_code == 404
    assert traject.reference not in _references(client)


def test_the_system_reaches_the_case_team_dossiers_of_the_professional(
    system: ApiClient, traject: Traject, professional: User
) -> None:
    client = _as(professional.pk)
    assert client.get(f"{BASE}{traject.reference}/").status_code == 200
    assert _references(client) == {traject.reference}


@pytest.mark.parametrize("role", [Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER])
def test_a_member_without_a_case_role_cannot_be_named(
    system: ApiClient, traject: Traject, organisation: Organisation, role: str
) -> None:
    member = make_user(role, organisation, username=f"geen-casus-{role}")
    for named in (member.pk, member.email):
        response = _as(named).get(f"{BASE}{traject.reference}/")
        assert response.status_code == 400, named
        assert "professional" in response.json()["errors"]


def test_an_inactive_member_cannot_be_named(system: ApiClient, traject: Traject, professional: User) -> None:
    professional.memberships.update(is_active=False)
    response = _as(professional.pk).get(f"{BASE}{traject.reference}/")
    assert response.status_code == 400
    assert "professional" in response.json()["errors"]


def test_a_member_of_another_organisation_gets_the_same_error_as_an_unknown_person(
    system: ApiClient, traject: Traject
) -> None:
    stranger = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders"), username="elders")
    stranger.email = "elders@example.nl"
    stranger.save()
    url = f"{BASE}{traject.reference}/"

    def error(named: str | int) -> dict[str, Any]:
        response = _as(named).get(url)
        assert response.status_code == 400, named
        body = response.json()
        body.pop("request_id")
        return body  # type: ignore[no-any-return]

    unknown_id = error(stranger.pk + 1000)
    assert error(stranger.pk) == unknown_id
    assert error("elders@example.nl") == error("niemand@example.nl") == unknown_id
    assert error("geen-id-of-adres") == unknown_id
    assert error("9" * 30) == unknown_id
    assert list(unknown_id["errors"]) == ["professional"]


def test_every_event_names_the_system_and_the_professional(
    system: ApiClient, traject: Traject, professional: User
) -> None:
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    client = _as(professional.email)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}{traject.reference}/").status_code == 200
    response = client.post(
        f"{BASE}{traject.reference}/signals/",
        {
            "checklist_kind": "kindsignalen",
            "codes": ["K412-X05"],
            "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "source": "zelf",
            "facts": "Komt al drie dagen zonder lunch op school.",
            "interpretation": "Mogelijk verwaarlozing.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    events = list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))
    assert {e.object_type for e in events} >= {"meldcode.traject_list", "meldcode.traject", "meldcode.signaal"}
    name = professional.get_full_name() or professional.username
    for event in events:
        assert event.actor_id == professional.pk
        assert name in event.actor_label
        assert "Leerlingvolgsysteem" in event.actor_label
        assert event.details["via_system"] == {"api_client": system.pk, "professional": professional.pk}
