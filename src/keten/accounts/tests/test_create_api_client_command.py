"""``manage.py create_api_client`` prints a working token once and stores only its hash."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from keten.accounts.models import ApiClient
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_command_creates_a_working_token(partner):
    out = StringIO()
    call_command(
        "create_api_client",
        "--organisation",
        partner.name,
        "--name",
        "Bronsysteem JGZ",
        "--scope",
        "organisations:read",
        "--operator",
        "ops",
        stdout=out,
    )
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Bronsysteem JGZ")
    assert client.token_hash == hash_token(token)
    assert client.scopes == ["organisations:read"]
    event = AuditEvent.objects.get(object_type="api_client")
    assert event.actor_label == "ops"
    assert event.actor_id is None
    response = Client().get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_command_by_id_with_default_scope(partner):
    out = StringIO()
    call_command("create_api_client", "--organisation", str(partner.pk), "--name", "X", stdout=out)
    assert ApiClient.objects.get(name="X").scopes == ["organisations:read"]


def test_command_refuses_unknown_organisation_and_duplicate_name(partner, api_client):
    with pytest.raises(CommandError):
        call_command("create_api_client", "--organisation", "Bestaat niet", "--name", "X", stdout=StringIO())
    with pytest.raises(CommandError, match="al een actieve koppeling"):
        call_command(
            "create_api_client", "--organisation", str(partner.pk), "--name", api_client.name, stdout=StringIO()
        )
    assert ApiClient.objects.count() == 1
