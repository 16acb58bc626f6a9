"""The organisations API asks the one policy: ``accounts.list_organisations``, opened to systems whose
token holds ``organisations:read`` (``system_scope``); a token without that scope is refused (404)."""

from __future__ import annotations

import pytest
from django.test import Client

from keten.accounts.models import ApiClient, Organisation, Role
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.policy import allows, system_rule
from keten.testing.auth import login_verified
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"
ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}


def _client(organisation: Organisation, scopes: list[str], token: str) -> ApiClient:
    return ApiClient.objects.create(
        organisation=organisation,
        name=f"Systeem {token[:4]}",
        token_prefix=token[:8],
        token_hash=hash_token(token),
        scopes=scopes,
    )


def test_the_permission_is_opened_to_systems_with_the_organisations_read_scope(partner):
    rule = system_rule("accounts.list_organisations")
    assert rule is not None
    assert rule.scope == "organisations:read"
    with_scope = _client(partner, ["organisations:read"], "a" * 40)
    without = _client(partner, ["dossiers:read"], "b" * 40)
    assert allows("accounts.list_organisations", Actor(user=None, membership=None, api_client=with_scope))
    assert not allows("accounts.list_organisations", Actor(user=None, membership=None, api_client=without))


def test_a_token_with_the_scope_lists_the_organisations(partner):
    _client(partner, ["organisations:read"], "c" * 40)
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Token {'c' * 40}")
    assert response.status_code == 200
    assert partner.name in [row["name"] for row in response.json()["results"]]


def test_a_token_without_the_scope_is_refused_with_the_uniform_404(partner):
    _client(partner, ["dossiers:read", "network:read"], "d" * 40)
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Token {'d' * 40}")
    assert response.status_code == 404
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "not_found"


def test_a_signed_in_professional_lists_them_and_anonymous_gets_401(partner):
    professional = make_user(Role.PROFESSIONAL, partner, username="lezer")
    response = login_verified(Client(), professional).get(URL)
    assert response.status_code == 200
    assert partner.name in [row["name"] for row in response.json()["results"]]
    anonymous = Client().get(URL)
    assert anonymous.status_code == 401
    assert set(anonymous.json()) == ERROR_KEYS
