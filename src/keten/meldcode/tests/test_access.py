"""Who reaches the meldcode pages and API: asked of the one policy, and refused with 404 before any form.

Someone who may read a traject but not record in it (a break-the-glass reader, a consultee, a
colleague of the case team who is not the addressee of a consultation) never sees a validation
error of a write form: the access check comes first, and the answer is 404. Partner systems are
answered by ``allows()`` from the meldcode's ``system_scope`` registrations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import ApiClient, Organisation, User
from keten.core.actor import Actor
from keten.core.policy import allows
from keten.dossiers.models import BreakGlassAccess
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Consultation, Traject
from keten.meldcode.trajecten import services as traject_services

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]
ActorOf = Callable[[User], Actor]
API = "/api/v1/meldcode/trajecten/"


def _break_glass(user: User, traject: Traject) -> None:
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=traject.dossier,
        user=user,
        reason="Kind staat 's nachts op de stoep, regievoerder onbereikbaar.",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )


def _ask(traject: Traject, by: User, to: User, actor_of: ActorOf) -> Consultation:
    return consultation_services.consultation_request(
        actor=actor_of(by),
        traject=traject,
        to_user_id=to.pk,
        kind=Consultation.Kind.AANDACHTSFUNCTIONARIS,
        question="Zijn deze signalen genoeg om verder te gaan?",
        anonymous=True,
    )


# --- the consultation answer form: only its addressee, and 404 before validation ----------------


def test_a_case_team_member_who_is_not_the_addressee_gets_404_on_the_answer_form(
    client_for: ClientFor, professional: User, officer: User, traject: Traject, actor_of: ActorOf
) -> None:
    consultation = _ask(traject, professional, officer, actor_of)
    client = client_for(professional)
    url = f"/meldcode/consultaties/{consultation.pk}/"
    # Reading the request is part of the traject the case team sees ...
    assert client.get(url).status_code == 200
    # ... answering it is for the addressee only: no validation error, no "not found" next to a field.
    assert client.post(url, {"advice": ""}).status_code == 404
    assert client.post(url, {"advice": "Ga het gesprek aan met moeder."}).status_code == 404
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN
    assert consultation.answer_entry_id is None


def test_a_break_the_glass_reader_gets_404_on_the_answer_form(
    client_for: ClientFor, professional: User, officer: User, outsider: User, traject: Traject, actor_of: ActorOf
) -> None:
    consultation = _ask(traject, professional, officer, actor_of)
    _break_glass(outsider, traject)
    client = client_for(outsider)
    url = f"/meldcode/consultaties/{consultation.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"advice": ""}).status_code == 404
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN


# --- a break-the-glass reader reads, never writes -------------------------------------------------


def test_a_break_the_glass_reader_gets_404_on_every_write_form(
    client_for: ClientFor, professional: User, outsider: User, traject: Traject, actor_of: ActorOf
) -> None:
    traject_services.observation_record(
        actor=actor_of(professional),
        traject=traject,
        observed_on=timezone.localdate(),
        source="zelf",
        facts="Komt al drie dagen zonder lunch op school.",
    )
    entry = traject.entries.get()
    _break_glass(outsider, traject)
    client = client_for(outsider)
    base = f"/meldcode/{traject.reference}/"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}observatie/", {}).status_code == 404
    assert client.get(f"{base}corrigeren/{entry.pk}/").status_code == 404
    assert client.post(f"{base}corrigeren/{entry.pk}/", {"correction": "kort"}).status_code == 404
    assert client.post(f"/meldcode/dossier/{traject.dossier.reference}/start/", {"child": "x"}).status_code == 404
    assert traject.entries.count() == 1


def test_a_break_the_glass_reader_gets_404_not_a_validation_error_on_the_api_posts(
    client_for: ClientFor, outsider: User, traject: Traject
) -> None:
    _break_glass(outsider, traject)
    client = client_for(outsider)
    assert client.get(f"{API}{traject.reference}/").status_code == 200
    # Starting a traject in the dossier: not with a child that is not in the family either.
    for body in ({"dossier": traject.dossier.reference, "child": "P-ONBEKEND"}, {"dossier": traject.dossier.reference}):
        response = client.post(API, body, content_type="application/json")
        assert response.status_code == 404, (body, response.content)
        assert response.json()["code"] == "not_found"
    for path, body in (
        ("signals/", {"checklist_kind": "", "codes": []}),
        ("consultations/", {}),
        ("afwegingen/", {"number": 9}),
        ("decisions/", {}),
    ):
        response = client.post(f"{API}{traject.reference}/{path}", body, content_type="application/json")
        assert response.status_code == 404, (path, response.content)
    assert Traject.objects.count() == 1
    assert traject.entries.count() == 0


# --- partner systems: allows() answers the token's scope ------------------------------------------


@pytest.fixture
def system(organisation: Organisation) -> ApiClient:
    return ApiClient.objects.create(
        organisation=organisation, name="Leerlingvolgsysteem", token_prefix="llv-acc", token_hash="x" * 64
    )


def test_the_meldcode_permissions_are_opened_to_the_meldcode_scope_only(
    system: ApiClient, professional: User, traject: Traject
) -> None:
    bare = Actor(user=None, membership=None, api_client=system)
    assert not allows("meldcode.view_trajecten", bare)
    assert not allows("meldcode.record_trajecten", bare)
    system.scopes = [ApiClient.Scope.MELDCODE_WRITE]
    system.save()
    assert allows("meldcode.view_trajecten", bare)
    assert allows("meldcode.record_trajecten", bare)
    # Acting for its organisation a system reaches no traject: it must name a professional.
    assert not allows("meldcode.view_traject", bare, traject)
    assert not allows("meldcode.change_traject", bare, traject)
    # Acting for a professional on the case team: what that professional may, through the scope.
    acting = Actor(
        user=User.objects.get(pk=professional.pk), membership=professional.active_membership, api_client=system
    )
    assert allows("meldcode.view_traject", acting, traject)
    assert allows("meldcode.change_traject", acting, traject)
    assert allows("meldcode.start_traject", acting, traject.dossier)
    # What is personal or for other roles is never opened to a system.
    for permission in ("meldcode.view_organisation_trajecten", "meldcode.manage_checklists"):
        assert not allows(permission, bare)
        assert not allows(permission, acting)


def test_a_system_acting_for_a_professional_is_refused_once_its_scope_is_withdrawn(
    system: ApiClient, professional: User, traject: Traject
) -> None:
    system.scopes = [ApiClient.Scope.MELDCODE_WRITE]
    system.save()
    acting = Actor(
        user=User.objects.get(pk=professional.pk), membership=professional.active_membership, api_client=system
    )
    assert allows("meldcode.change_traject", acting, traject)
    system.scopes = [ApiClient.Scope.DOSSIERS_READ]
    system.save()
    refused = Actor(
        user=User.objects.get(pk=professional.pk), membership=professional.active_membership, api_client=system
    )
    assert not allows("meldcode.view_traject", refused, traject)
    assert not allows("meldcode.change_traject", refused, traject)
    # The services ask the same question: nothing is recorded for such a system.
    from keten.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        traject_services.observation_record(
            actor=refused, traject=traject, observed_on=timezone.localdate(), source="zelf", facts="Niets."
        )
    assert traject.entries.count() == 0
