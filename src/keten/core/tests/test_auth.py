"""Login security: mandatory second factor, idle timeout, lockout, OIDC against a stub provider."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.db import OperationalError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import Role
from keten.core.models import AuditEvent
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def _login_password(client: Client, username: str, password: str = PASSWORD):
    return client.post(
        "/inloggen/",
        {"keten_login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_password_then_totp_logs_in_and_audits(professional, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down guessing after a wrong code
    client = Client()
    response = _login_password(client, "prof")
    assert response.status_code == 200
    assert "code van 6 cijfers" in response.content.decode()
    device = TOTPDevice.objects.get(user=professional)
    wrong = client.post("/inloggen/", {"keten_login_view-current_step": "token", "token-otp_token": "000000"})
    assert wrong.status_code == 200
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get("/").status_code == 302
    ok = client.post("/inloggen/", {"keten_login_view-current_step": "token", "token-otp_token": _code(device)})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="login", actor=professional).exists()


def test_user_without_device_reaches_nothing_and_is_told_to_get_a_setup_link(organisation):
    user = make_user(Role.BELEIDSMEDEWERKER, organisation, username="newbie")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user)
    # Enrolling after signing in is not possible (issue 13): a first app only through a set-up link.
    for path in ("/", "/dossiers/", "/audit/", "/meldingen/", "/tweestaps/instellen/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/geen-tweestaps/")


def test_signed_in_user_with_device_but_no_code_is_asked_for_code(professional, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = Client()
    client.force_login(professional)
    response = client.get("/dossiers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/code/")
    device = TOTPDevice.objects.get(user=professional)
    bad = client.post("/account/code/", {"code": "123"})
    assert bad.status_code == 422
    assert "klopt niet" in bad.content.decode()
    good = client.post("/account/code/", {"code": _code(device), "next": "/dossiers/"})
    assert good.status_code == 302
    assert good["Location"] == "/dossiers/"


def test_enrolment_through_a_setup_link_gives_backup_codes_and_audit(organisation, django_capture_on_commit_callbacks):
    from keten.accounts.login.setup_links import setup_link_issue
    from keten.accounts.models import SetupLink
    from keten.testing.otp import code_for_key, links_in_outbox, secret_on_page, setup_link_path

    user = make_user(Role.PROFESSIONAL, organisation, username="enrol")
    TOTPDevice.objects.filter(user=user).delete()
    with django_capture_on_commit_callbacks(execute=True):
        setup_link_issue(actor=None, user=user, purpose=SetupLink.Purpose.NEW_ACCOUNT)
    [token] = links_in_outbox(to=user.email)
    client = Client()
    key = secret_on_page(client.get(setup_link_path(token)).content.decode())
    password = "een-lang-nieuw-wachtwoord-7"
    page = client.post(
        setup_link_path(token), {"password1": password, "password2": password, "code": code_for_key(key)}
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    assert page.content.decode().count('<code class="utrecht-code">') == 10
    assert AuditEvent.objects.filter(action="mfa_enrol", actor=user).exists()
    # The codes are shown once: the link is spent.
    assert client.get(setup_link_path(token)).status_code == 404


def test_idle_session_ends(client_for, professional, settings):
    settings.KETEN_SESSION_IDLE_SECONDS = 60
    client = client_for(professional)
    assert client.get("/").status_code == 200
    session = client.session
    session["keten_last_seen"] = int(time.time()) - 61
    session.save()
    response = client.get("/dossiers/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
    assert client.get("/").status_code == 302
    api = client_for(professional)
    s = api.session
    s["keten_last_seen"] = int(time.time()) - 61
    s.save()
    expired = api.get("/api/v1/dossiers/")
    assert expired.status_code == 401
    assert expired.json()["code"] == "session_expired"


def test_lockout_after_repeated_failures(professional, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_password(client, "prof", "wrong-password")
    locked = _login_password(client, "prof")
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", actor=professional).count() >= settings.AXES_FAILURE_LIMIT


def test_unknown_username_failure_is_audited_without_the_name():
    _login_password(Client(), "not-a-user", "whatever")
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor_id is None
    assert "not-a-user" not in json.dumps(event.details) + event.actor_label + event.object_id


def test_logout_is_post_and_audited(client_for, professional):
    client = client_for(professional)
    assert client.get("/account/uitloggen/").status_code == 405
    response = client.post("/account/uitloggen/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=professional).exists()
    assert client.get("/").status_code == 302


def test_stopped_database_gives_clear_503(client_for, professional, monkeypatch):
    client = client_for(professional)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr("keten.dossiers.selectors.dossier_list_page", broken)
    response = client.get("/dossiers/")
    assert response.status_code == 503
    assert "database" in response.content.decode()
    monkeypatch.setattr("keten.dossiers.api.views.selectors.dossier_list", broken)
    api = client.get("/api/v1/dossiers/")
    assert api.status_code == 503
    assert api.json()["code"] == "service_unavailable"


def test_security_headers(client_for, professional):
    response = client_for(professional).get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


# --- OIDC single sign-on against a stub identity provider -------------------------------------

CLIENT_ID = "keten-test"
CLIENT_SECRET = "stub-idp-shared-secret-for-hs256-signing"


class _StubIdP(BaseHTTPRequestHandler):
    nonce = ""
    email = ""

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
        form = parse_qs(self.rfile.read(length).decode())
        assert form["grant_type"] == ["authorization_code"]
        id_token = jwt.encode(
            {
                "iss": "stub",
                "aud": CLIENT_ID,
                "sub": "42",
                "email": _StubIdP.email,
                "nonce": _StubIdP.nonce,
                "exp": int(time.time()) + 300,
                "iat": int(time.time()),
            },
            CLIENT_SECRET,
            algorithm="HS256",
        )
        self._json({"id_token": id_token, "access_token": "access", "token_type": "Bearer"})

    def do_GET(self) -> None:  # userinfo endpoint
        self._json({"sub": "42", "email": _StubIdP.email, "email_verified": True})


@pytest.fixture
def stub_idp(settings):
    server = HTTPServer(("127.0.0.1", 0), _StubIdP)
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
    yield _StubIdP
    server.shutdown()


def _sso(client: Client, idp: type[_StubIdP], email: str):
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    idp.nonce = query["nonce"][0]
    idp.email = email
    return client.get("/oidc/callback/", {"code": "auth-code", "state": query["state"][0]})


def test_oidc_is_off_by_default():
    assert Client().get("/oidc/authenticate/").status_code == 404


def test_oidc_login_still_asks_for_keten_code(stub_idp, professional):
    client = Client()
    response = _sso(client, stub_idp, professional.email)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=professional).exists()
    follow = client.get("/dossiers/")
    assert follow.status_code == 302
    assert follow["Location"].startswith("/account/code/")


def test_oidc_trusted_mfa_skips_keten_code(stub_idp, professional, settings):
    settings.KETEN_OIDC_TRUSTS_MFA = True
    client = Client()
    _sso(client, stub_idp, professional.email)
    assert client.get("/dossiers/").status_code == 200


def test_oidc_unknown_email_is_refused(stub_idp):
    client = Client()
    response = _sso(client, stub_idp, "stranger@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/"
    assert "_auth_user_id" not in client.session


def test_database_failure_while_loading_the_session_gives_503(client_for, professional, monkeypatch):
    client = client_for(professional)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    client.raise_request_exception = False
    page = client.get("/dossiers/")
    assert page.status_code == 503
    assert "database" in page.content.decode()
    api = client.get("/api/v1/dossiers/")
    assert api.status_code == 503
    assert api.json()["code"] == "service_unavailable"


def test_audit_ip_comes_from_trusted_proxy_header(client_for, professional, dossier, settings):
    settings.KETEN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    client = client_for(professional)
    client.get(
        f"/dossiers/{dossier.reference}/", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9", REMOTE_ADDR="10.0.0.2"
    )
    assert AuditEvent.objects.get(object_type="dossier").ip == "198.51.100.9"
    settings.KETEN_TRUSTED_PROXIES = []
    client.post("/account/uitloggen/", HTTP_X_FORWARDED_FOR="203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert AuditEvent.objects.get(action="logout").ip == "10.0.0.2"


def test_dutch_by_default_english_when_chosen(client_for, professional):
    client = client_for(professional)
    assert "Mijn open dossiers" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
