"""Meldcode API: trajecten, signals, consultations, afwegingen and decisions; uniform errors; access."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import ApiClient, Role, User
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent
from keten.meldcode.models import ChecklistKind, Consultation, Entry, EntryKind, Status, Traject
from keten.testing.factories import OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}
ClientFor = Callable[[User], Client]
BASE = "/api/v1/meldcode/trajecten/"


def _signal_body(traject: Traject, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "checklist_kind": ChecklistKind.KINDSIGNALEN,
        "codes": ["K412-X05"],
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "source": "zelf",
        "facts": "Komt al drie dagen zonder lunch op school.",
        "interpretation": "Mogelijk verwaarlozing.",
    }
    body.update(overrides)
    return body


def test_unauthenticated_and_unverified_get_401(professional: User) -> None:
    response = Client().get(BASE)
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    client = Client()
    client.force_login(professional)
    assert client.get(BASE).status_code == 401


def test_system_token_needs_scope_and_a_named_professional(
    organisation: Any, traject: Traject, professional: User, outsider: User
) -> None:
    api = ApiClient.objects.create(
        organisation=organisation, name="Leerlingvolgsysteem", token_prefix="llv", token_hash=hash_token("s3cret")
    )
    url = f"{BASE}{traject.reference}/signals/"
    client = Client(HTTP_AUTHORIZATION="Token s3cret")
    # Without the meldcode scope the endpoints do not exist for this system.
    assert client.get(BASE).status_code == 404
    assert client.post(url, _signal_body(traject), content_type="application/json").status_code == 404
    api.scopes = [ApiClient.Scope.MELDCODE_WRITE]
    api.save()
    # With the scope it must say on whose behalf it works.
    response = client.post(url, _signal_body(traject), content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    # A colleague who is not on the case team: the traject does not exist for them.
    as_outsider = Client(HTTP_AUTHORIZATION="Token s3cret", HTTP_KETEN_PROFESSIONAL=outsider.email)
    assert as_outsider.post(url, _signal_body(traject), content_type="application/json").status_code == 404
    # Someone of another organisation cannot be named.
    stranger = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders"))
    elsewhere = Client(HTTP_AUTHORIZATION="Token s3cret", HTTP_KETEN_PROFESSIONAL=str(stranger.pk))
    assert elsewhere.post(url, _signal_body(traject), content_type="application/json").status_code == 400
    assert not Entry.objects.filter(kind=EntryKind.SIGNAAL).exists()
    # On behalf of the professional on the case team: recorded in their name, audited as via the system.
    as_prof = Client(HTTP_AUTHORIZATION="Token s3cret", HTTP_KETEN_PROFESSIONAL=str(professional.pk))
    response = as_prof.post(url, _signal_body(traject), content_type="application/json")
    assert response.status_code == 201, response.content
    entry = Entry.objects.get(kind=EntryKind.SIGNAAL)
    assert entry.author == professional
    assert AuditEvent.objects.filter(
        object_type="meldcode.signaal", actor_label__contains="via systeem: Leerlingvolgsysteem"
    ).exists()
    status = as_prof.get(f"{BASE}{traject.reference}/")
    assert status.status_code == 200
    assert status.json()["reference"] == traject.reference


def test_create_traject_for_a_child_and_read_status(client_for: ClientFor, professional: User, dossier: Any) -> None:
    child = dossier.family.persons.get()
    client = client_for(professional)
    response = client.post(
        BASE, {"dossier": dossier.reference, "child": child.pseudonym}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.OPEN
    assert body["current_step"] == 1
    assert body["dossier"] == dossier.reference
    assert {c["kind"] for c in body["checklists"]} == set(ChecklistKind.values)
    assert body["evaluation"]["next_question"] == 1
    assert [step["number"] for step in body["steps"]] == [1, 2, 3, 4, 5]
    traject = Traject.objects.get(reference=body["reference"])
    assert traject.child == child
    assert AuditEvent.objects.filter(object_type="meldcode.traject", action="create").exists()


def test_create_for_unknown_child_or_foreign_dossier(
    client_for: ClientFor, professional: User, outsider: User, dossier: Any
) -> None:
    response = client_for(professional).post(
        BASE, {"dossier": dossier.reference, "child": "P-ONBEKEND"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert "child" in response.json()["errors"]
    response = client_for(outsider).post(BASE, {"dossier": dossier.reference}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Traject.objects.exists()


def test_list_has_no_free_text_and_only_own_trajecten(
    client_for: ClientFor, professional: User, outsider: User, traject: Traject, django_assert_max_num_queries: Any
) -> None:
    client = client_for(professional)
    client.post(f"{BASE}{traject.reference}/signals/", _signal_body(traject), content_type="application/json")
    for _n in range(3):
        other = make_dossier(professional, family_name="Gezin Extra")
        client.post(BASE, {"dossier": other.reference}, content_type="application/json")
    with django_assert_max_num_queries(12):
        response = client.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert traject.reference in {row["reference"] for row in body["results"]}
    text = response.content.decode()
    assert "lunch" not in text
    assert "Bakker" not in text
    assert AuditEvent.objects.filter(object_type="meldcode.traject_list").exists()
    assert client_for(outsider).get(BASE).json()["count"] == 0
    assert client.get(BASE, {"status": "afgesloten"}).json()["count"] == 0


def test_detail_query_count_does_not_grow(
    client_for: ClientFor, professional: User, traject: Traject, django_assert_max_num_queries: Any
) -> None:
    client = client_for(professional)
    url = f"{BASE}{traject.reference}/"
    for _n in range(10):
        client.post(f"{url}signals/", _signal_body(traject), content_type="application/json")
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.json()["entries"]) == 10


def test_roles_without_case_access_get_404(client_for: ClientFor, organisation: Any, traject: Traject) -> None:
    for role in (Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER):
        client = client_for(make_user(role, organisation))
        assert client.get(BASE).status_code == 404
        assert client.get(f"{BASE}{traject.reference}/").status_code == 404
    stranger = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders"))
    response = client_for(stranger).get(f"{BASE}{traject.reference}/")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_push_signal_then_bad_input_changes_nothing(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    client = client_for(professional)
    url = f"{BASE}{traject.reference}/signals/"
    response = client.post(url, _signal_body(traject), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["traject"]["first_signal_on"] == (timezone.localdate() - timedelta(days=1)).isoformat()
    count = Entry.objects.count()

    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url, _signal_body(traject, observed_on=future), content_type="application/json")
    assert response.status_code == 400
    assert "observed_on" in response.json()["errors"]
    response = client.post(url, _signal_body(traject, codes=["BESTAAT-NIET"]), content_type="application/json")
    assert response.status_code == 400
    assert "BESTAAT-NIET" in response.json()["errors"]["codes"][0]
    response = client.post(url, _signal_body(traject, checklist_kind=""), content_type="application/json")
    assert response.status_code == 400
    response = client.post(url, _signal_body(traject, facts="  "), content_type="application/json")
    assert response.status_code == 400
    assert Entry.objects.count() == count


def test_outsider_cannot_push(client_for: ClientFor, outsider: User, traject: Traject) -> None:
    response = client_for(outsider).post(
        f"{BASE}{traject.reference}/signals/", _signal_body(traject), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Entry.objects.filter(traject=traject).exists()


def test_consultation_candidates_and_request(
    client_for: ClientFor, professional: User, officer: User, traject: Traject
) -> None:
    client = client_for(professional)
    url = f"{BASE}{traject.reference}/consultations/"
    candidates = client.get(url).json()
    assert officer.pk in {c["user_id"] for c in candidates}
    response = client.post(
        url,
        {"to_user": professional.pk, "consultation_kind": "aandachtsfunctionaris", "question": "Wat vindt u hiervan?"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "to_user" in response.json()["errors"]
    response = client.post(
        url,
        {"to_user": officer.pk, "consultation_kind": "aandachtsfunctionaris", "question": "Wat vindt u hiervan?"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["traject"]["current_step"] == 2
    consultation = Consultation.objects.get()
    assert consultation.requested_to == officer
    assert consultation.anonymous is True


def test_afwegingen_and_decision_to_melding(client_for: ClientFor, professional: User, traject: Traject) -> None:
    client = client_for(professional)
    base = f"{BASE}{traject.reference}"
    response = client.post(
        f"{base}/afwegingen/",
        {"number": 2, "answer": True, "motivation": "Acute onveiligheid."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "afweging 1" in response.json()["errors"]["number"][0]
    for number in (1, 2):
        response = client.post(
            f"{base}/afwegingen/",
            {"number": number, "answer": True, "motivation": "Gewogen na stap 1 tot en met 3."},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    detail = client.get(f"{base}/").json()
    assert detail["evaluation"]["outcome"] == "melden"
    assert detail["entries"][0]["kind"] == EntryKind.AFWEGING
    assert "Gewogen" not in str(detail["entries"])  # entries without their content
    assert "melden" in detail["evaluation"]["allowed_decisions"]

    response = client.post(
        f"{base}/decisions/", {"decision": "melden", "motivation": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    response = client.post(
        f"{base}/decisions/",
        {"decision": "hulp", "motivation": "Ik bied zelf hulp aan het gezin.", "help_agreements": "Wekelijks."},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "meldnorm" in response.json()["detail"]
    response = client.post(
        f"{base}/decisions/",
        {"decision": "melden", "motivation": "Acute onveiligheid: melden.", "expected_version": detail["version"] - 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert not Entry.objects.filter(kind=EntryKind.BESLUIT).exists()
    response = client.post(
        f"{base}/decisions/",
        {"decision": "melden", "motivation": "Acute onveiligheid: melden.", "expected_version": detail["version"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["traject"]["outcome"] == "melden"
    detail = client.get(f"{base}/").json()
    assert [e["kind"] for e in detail["entries"]][-1] == EntryKind.BESLUIT


def test_closed_traject_answers_400(client_for: ClientFor, professional: User, traject: Traject) -> None:
    client = client_for(professional)
    base = f"{BASE}{traject.reference}"
    client.post(
        f"{base}/afwegingen/",
        {"number": 1, "answer": False, "motivation": "Geen vermoeden meer."},
        content_type="application/json",
    )
    response = client.post(
        f"{base}/decisions/",
        {"decision": "afsluiten", "motivation": "Geen vermoeden meer over."},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(f"{base}/signals/", _signal_body(traject), content_type="application/json")
    assert response.status_code == 400
    assert "afgesloten" in response.json()["detail"]
