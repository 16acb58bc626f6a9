"""Single sign-on links an account on the identity provider's issuer + subject (issue 13, hole 8).

The e-mail address is used only to find the account the first time, and only when the provider says
it is verified; afterwards a changed address never re-links. A sign-in whose subject is linked to
another account, or whose address belongs to an account already linked to another subject, is
refused with a Dutch message and audited.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client

from keten.accounts.models import Role, User
from keten.core.models import AuditEvent
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db

CLIENT_ID = "keten-test"
CLIENT_SECRET = "stub-idp-shared-secret-for-hs256-signing"
ISSUER = "https://idp.gemeente.example"


class _IdP(BaseHTTPRequestHandler):
    """A stub identity provider: the claims it hands out are set per test."""

    claims: dict[str, Any] = {}
    nonce = ""

    def log_message(self, *args: Any) -> None:
        return

    def _json(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # token endpoint
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": _IdP.claims["iss"],
                "aud": CLIENT_ID,
                "sub": _IdP.claims["sub"],
                "nonce": _IdP.nonce,
                "exp": now + 300,
                "iat": now,
            },
            CLIENT_SECRET,
            algorithm="HS256",
        )
        self._json({"id_token": id_token, "access_token": "access", "token_type": "Bearer"})

    def do_GET(self) -> None:  # userinfo endpoint
        self._json({k: v for k, v in _IdP.claims.items() if k != "iss"})


@pytest.fixture
def idp(settings) -> Iterator[type[_IdP]]:
    server = HTTPServer(("127.0.0.1", 0), _IdP)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.KETEN_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "keten.accounts.login.oidc.KetenOIDCBackend"]
    yield _IdP
    server.shutdown()


def _sign_in(idp: type[_IdP], *, sub: str, email: str, verified: bool = True, iss: str = ISSUER) -> Client:
    client = Client()
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    idp.nonce = query["nonce"][0]
    idp.claims = {"iss": iss, "sub": sub, "email": email, "email_verified": verified}
    client.get("/oidc/callback/", {"code": "auth-code", "state": query["state"][0]})
    return client


def _signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def _refusal_text(client: Client) -> str:
    return client.get("/inloggen/").content.decode()


@pytest.fixture
def anna(organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="anna", email="anna@gemeente.example")


@pytest.fixture
def bram(organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="bram", email="bram@gemeente.example")


def test_first_sign_in_links_issuer_and_subject(idp, anna):
    from keten.accounts.models import OidcIdentity

    client = _sign_in(idp, sub="sub-anna", email="ANNA@gemeente.example")
    assert _signed_in_as(client) == anna.pk
    identity = OidcIdentity.objects.get(user=anna)
    assert (identity.issuer, identity.subject) == (ISSUER, "sub-anna")
    event = AuditEvent.objects.get(object_type="oidc_identity", action="create")
    assert event.actor_id == anna.pk
    assert "anna@gemeente.example" not in json.dumps(event.details).lower()


def test_an_unverified_address_never_links(idp, anna):
    from keten.accounts.models import OidcIdentity

    client = _sign_in(idp, sub="sub-anna", email=anna.email, verified=False)
    assert _signed_in_as(client) is None
    assert not OidcIdentity.objects.exists()
    assert "bevestigd" in _refusal_text(client)


def test_a_changed_address_in_keten_does_not_break_or_move_the_link(idp, anna):
    _sign_in(idp, sub="sub-anna", email=anna.email)
    User.objects.filter(pk=anna.pk).update(email="anna.nieuw@gemeente.example")
    client = _sign_in(idp, sub="sub-anna", email="anna@gemeente.example")
    assert _signed_in_as(client) == anna.pk


def test_the_subject_wins_over_an_address_that_now_points_at_someone_else(idp, anna, bram):
    """A beheerder changes Bram's address to Anna's old one: Anna's sign-in must not become Bram."""
    _sign_in(idp, sub="sub-anna", email=anna.email)
    User.objects.filter(pk=anna.pk).update(email="anna.oud@gemeente.example")
    User.objects.filter(pk=bram.pk).update(email=anna.email)
    client = _sign_in(idp, sub="sub-anna", email=anna.email)
    assert _signed_in_as(client) is None
    assert "ander account" in _refusal_text(client)
    refused = AuditEvent.objects.filter(action="login_failed", details__step="oidc").latest("id")
    assert refused.details["reason"] == "subject_linked_to_other_account"


def test_another_subject_with_a_linked_accounts_address_is_refused(idp, anna):
    """Someone else at the identity provider who gets Anna's address cannot sign in as Anna."""
    _sign_in(idp, sub="sub-anna", email=anna.email)
    client = _sign_in(idp, sub="sub-indringer", email=anna.email)
    assert _signed_in_as(client) is None
    assert "al gekoppeld" in _refusal_text(client)
    refused = AuditEvent.objects.filter(action="login_failed", details__step="oidc").latest("id")
    assert refused.details["reason"] == "account_linked_to_other_subject"
    assert refused.object_id == str(anna.pk)


def test_a_linked_but_deactivated_account_cannot_sign_in(idp, anna):
    _sign_in(idp, sub="sub-anna", email=anna.email)
    User.objects.filter(pk=anna.pk).update(is_active=False)
    client = _sign_in(idp, sub="sub-anna", email=anna.email)
    assert _signed_in_as(client) is None


def test_the_same_subject_at_another_issuer_is_another_identity(idp, anna):
    _sign_in(idp, sub="sub-anna", email=anna.email)
    client = _sign_in(idp, sub="sub-anna", email=anna.email, iss="https://andere-idp.example")
    # Anna's account is linked at the first provider only; the second one finds it by address once.
    assert _signed_in_as(client) == anna.pk
