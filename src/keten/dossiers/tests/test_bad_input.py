"""Malformed and oversized input: a clear answer, the right status, nothing written."""

from __future__ import annotations

import pytest

from keten.core.models import AuditEvent
from keten.dossiers.models import Family

pytestmark = pytest.mark.django_db


def test_oversized_form_is_refused_without_writing(client_for, professional, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = client_for(professional)
    client.raise_request_exception = False
    response = client.post("/dossiers/nieuw/", {"family_name": "Gezin Groot", "address": "x" * 20_000})
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()
    assert not Family.objects.exists()


def test_malformed_json_gets_uniform_error(client_for, professional):
    response = client_for(professional).post("/api/v1/dossiers/", "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert set(body) == {"status", "code", "detail", "errors", "request_id"}
    assert not Family.objects.exists()


def test_impossible_date_and_bad_bsn_in_form_are_shown_next_to_fields(client_for, professional):
    response = client_for(professional).post(
        "/dossiers/nieuw/",
        {
            "family_name": "Gezin Test",
            "relation": "kind",
            "first_name": "Kim",
            "last_name": "Test",
            "date_of_birth": "2020-02-30",
            "bsn": "123456789",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "elfproef" in text
    assert "Controleer de volgende punten" in text
    assert 'aria-invalid="true"' in text
    assert not Family.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_expired_form_token_explains_and_writes_nothing(professional):
    from django.test import Client

    from keten.testing.auth import login_verified

    client = login_verified(Client(enforce_csrf_checks=True), professional)
    response = client.post("/dossiers/nieuw/", {"family_name": "Gezin Csrf"})
    assert response.status_code == 403
    assert "formulier is verlopen" in response.content.decode()
    assert not Family.objects.exists()
