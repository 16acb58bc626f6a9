"""Dossier API: uniform errors, no partial writes, system tokens, OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from keten.accounts.models import ApiClient, Role
from keten.core.crypto import hash_token
from keten.dossiers.models import Family
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}


def test_unauthenticated_gets_uniform_401():
    response = Client().get("/api/v1/dossiers/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "not_authenticated"


def test_session_without_second_factor_is_refused(professional):
    client = Client()
    client.force_login(professional)
    response = client.get("/api/v1/dossiers/")
    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"


def test_create_with_invalid_bsn_changes_nothing(client_for, professional):
    response = client_for(professional).post(
        "/api/v1/dossiers/",
        {
            "family_name": "Gezin Smit",
            "persons": [{"relation": "kind", "first_name": "Lot", "last_name": "Smit", "bsn": "123456789"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid"
    assert "elfproef" in body["errors"]["persons.0.bsn"][0]
    assert body["request_id"] == response["X-Request-ID"]
    assert not Family.objects.exists()


def test_create_and_read_back(client_for, professional):
    client = client_for(professional)
    response = client.post(
        "/api/v1/dossiers/",
        {
            "family_name": "Gezin Smit",
            "persons": [
                {
                    "relation": "kind",
                    "first_name": "Lot",
                    "last_name": "Smit",
                    "bsn": "999991176",
                    "date_of_birth": "2017-06-01",
                }
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["persons"][0]["bsn_masked"] == "•••••1176"
    assert "999991176" not in response.content.decode()
    detail = client.get(f"/api/v1/dossiers/{created['reference']}/").json()
    assert detail["family_name"] == "Gezin Smit"


def test_domain_error_has_field(client_for, professional):
    client = client_for(professional)
    body = {
        "family_name": "Gezin Smit",
        "persons": [{"relation": "kind", "first_name": "Lot", "last_name": "Smit", "bsn": "999991176"}],
    }
    assert client.post("/api/v1/dossiers/", body, content_type="application/json").status_code == 201
    again = client.post("/api/v1/dossiers/", body, content_type="application/json")
    assert again.status_code == 400
    assert "bsn" in again.json()["errors"]


def _token_for(organisation, scopes):
    ApiClient.objects.create(
        organisation=organisation,
        name="Bronsysteem",
        token_prefix="tok",
        token_hash=hash_token("s3cret-token"),
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": "Token s3cret-token"}


def test_system_token_sees_only_its_organisations_dossiers(organisation):
    ours = make_dossier(make_user(Role.PROFESSIONAL, organisation))
    theirs = make_dossier(make_user(Role.PROFESSIONAL))
    headers = _token_for(organisation, ["dossiers:read"])
    client = Client()
    listing = client.get("/api/v1/dossiers/", **headers).json()
    assert [r["reference"] for r in listing["results"]] == [ours.reference]
    assert client.get(f"/api/v1/dossiers/{theirs.reference}/", **headers).status_code == 404


def test_system_token_without_scope_sees_nothing(organisation):
    make_dossier(make_user(Role.PROFESSIONAL, organisation))
    headers = _token_for(organisation, ["organisations:read"])
    assert Client().get("/api/v1/dossiers/", **headers).json()["count"] == 0


def test_bad_token_is_401():
    response = Client().get("/api/v1/organisations/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


def test_openapi_document_is_up_to_date(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate")
    committed = Path(__file__).resolve().parents[4] / "docs" / "api" / "openapi.yaml"
    assert committed.exists(), "docs/api/openapi.yaml is missing: run make openapi"
    assert yaml.safe_load(generated.read_text()) == yaml.safe_load(committed.read_text()), (
        "docs/api/openapi.yaml is out of date: run make openapi and commit it"
    )


def test_search_is_a_post_and_respects_the_case_team(client_for, professional, outsider, dossier):
    found = client_for(professional).post(
        "/api/v1/dossiers/search/", {"q": "999994669"}, content_type="application/json"
    )
    assert [r["reference"] for r in found.json()["results"]] == [dossier.reference]
    hidden = client_for(outsider).post("/api/v1/dossiers/search/", {"q": "999994669"}, content_type="application/json")
    assert hidden.json()["count"] == 0
    bad = client_for(professional).post("/api/v1/dossiers/search/", {}, content_type="application/json")
    assert bad.status_code == 400
    assert "q" in bad.json()["errors"]
