"""Webhook addresses: only public addresses, checked at registration and at every delivery.

No real network: a fake resolver answers for the host names (``socket.getaddrinfo``), and every
outgoing connection goes through a guard (``socket.create_connection``) that records where it went
and lets it reach only the local test servers.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

import keten
from keten.accounts.models import User
from keten.verwijsindex import webhooks
from keten.verwijsindex.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from keten.verwijsindex.tests.test_webhooks import HOOKS, SECRET, _match, _subscribe

HOST = "hooks.partner.example"
PUBLIC = "93.184.215.14"
GENERIC = {"niet bereikbaar", "ongeldig antwoord", "time-out"}

INTERNAL = [
    "127.0.0.1",  # loopback
    "10.1.2.3",  # private ranges
    "172.16.5.4",
    "192.168.1.10",
    "169.254.169.254",  # link-local: the cloud metadata service
    "100.64.0.1",  # carrier-grade NAT
    "100.100.100.200",  # a cloud metadata address inside CGNAT
    "192.0.0.192",  # IETF protocol assignments (a cloud metadata address)
    "224.0.0.1",  # multicast
    "0.0.0.0",  # unspecified  # noqa: S104
    "240.0.0.1",  # reserved
    "255.255.255.255",  # broadcast
    "198.18.0.1",  # benchmarking
    "::1",
    "::",
    "::ffff:127.0.0.1",  # IPv4-mapped IPv6
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "fd00:ec2::254",  # unique local: a cloud metadata address
    "fe80::1",  # link-local
    "ff02::1",  # multicast
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2001:db8::1",  # documentation
]


class FakeDNS:
    """Answers ``getaddrinfo`` from a table; literal addresses answer themselves."""

    def __init__(self) -> None:
        self.names: dict[str, list[str]] = {}
        self.asked: list[str] = []

    def getaddrinfo(self, host: Any, port: Any, family: int = 0, type: int = 0, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.asked.append(name)
        try:
            addresses = [str(ipaddress.ip_address(name.strip("[]")))]
        except ValueError:
            addresses = self.names.get(name.rstrip(".").lower(), [])
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out = []
        for address in addresses:
            if ":" in address:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return out


class Connections:
    """Every outgoing connection: recorded; it reaches a local test server only through ``routes``."""

    def __init__(self, real: Callable[..., socket.socket]) -> None:
        self.real = real
        self.made: list[tuple[str, int]] = []
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}

    def create_connection(self, address: tuple[Any, ...], *args: Any, **kwargs: Any) -> socket.socket:
        host, port = str(address[0]), int(address[1])
        self.made.append((host, port))
        if (host, port) in self.routes:
            return self.real(self.routes[(host, port)], *args, **kwargs)
        if host == "127.0.0.1":
            return self.real((host, port), *args, **kwargs)
        raise ConnectionRefusedError("no network in tests")


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    fake.names[HOST] = [PUBLIC]
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> Connections:
    guard = Connections(socket.create_connection)
    monkeypatch.setattr(socket, "create_connection", guard.create_connection)
    return guard


@pytest.fixture(autouse=True)
def _no_escape_hatch() -> Iterator[None]:
    with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=False, KETEN_VI_WEBHOOK_TIMEOUT_SECONDS=2):
        yield


@pytest.fixture
def school_token(teacher: User) -> dict[str, str]:
    from keten.verwijsindex.tests.test_api import token

    return token(teacher.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"], "vi-addr-sch1")


@pytest.fixture
def jgz_token(jgz_nurse: User) -> dict[str, str]:
    from keten.verwijsindex.tests.test_api import token

    return token(jgz_nurse.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"], "vi-addr-jgz1")


def _register(auth: dict[str, str], url: str) -> Any:
    return Client().post(HOOKS, {"url": url, "secret": SECRET}, content_type="application/json", **auth)


def _pending_delivery(teacher: User, jgz_nurse: User, school: dict[str, str], jgz: dict[str, str]) -> WebhookDelivery:
    _match(teacher, jgz_nurse, school, jgz)  # no commit here: the delivery waits
    return WebhookDelivery.objects.get()


# --- registration --------------------------------------------------------------------------------


@pytest.mark.parametrize("address", INTERNAL)
def test_registration_refuses_a_name_that_resolves_to_an_internal_address(
    dns: FakeDNS, connections: Connections, school_token: dict[str, str], address: str
) -> None:
    dns.names[HOST] = [address]
    response = _register(school_token, f"https://{HOST}/keten")
    assert response.status_code == 400, address
    assert list(response.json()["errors"]) == ["url"]
    assert not WebhookSubscription.objects.exists()
    assert connections.made == []


def test_every_address_of_the_name_must_be_public(dns: FakeDNS, school_token: dict[str, str]) -> None:
    dns.names[HOST] = [PUBLIC, "10.0.0.5"]
    assert _register(school_token, f"https://{HOST}/keten").status_code == 400
    dns.names[HOST] = ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::ffff:192.168.0.1"]
    assert _register(school_token, f"https://{HOST}/keten").status_code == 400
    assert not WebhookSubscription.objects.exists()


def test_an_unknown_name_answers_like_an_internal_one(dns: FakeDNS, school_token: dict[str, str]) -> None:
    dns.names["intern.partner.example"] = ["10.0.0.5"]
    unknown = _register(school_token, "https://onbekend.partner.example/keten").json()
    internal = _register(school_token, "https://intern.partner.example/keten").json()
    assert unknown["errors"] == internal["errors"]
    assert unknown["detail"] == internal["detail"]


def test_a_public_name_is_accepted(dns: FakeDNS, connections: Connections, school_token: dict[str, str]) -> None:
    dns.names[HOST] = [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    assert _register(school_token, f"https://{HOST}/keten").status_code == 201
    assert HOST in dns.asked
    assert connections.made == []  # registration resolves, it does not connect


# --- delivery ------------------------------------------------------------------------------------


def test_re_binding_to_an_internal_address_after_registration_is_refused_at_delivery(
    dns: FakeDNS,
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    sub_id = _subscribe(school_token, f"https://{HOST}/keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    dns.names[HOST] = ["127.0.0.1"]  # the name now points inside
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    assert connections.made == []  # nothing was connected to
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error == "niet bereikbaar"
    [logged] = Client().get(f"{HOOKS}{sub_id}/deliveries/", **school_token).json()
    assert logged["log"] == [
        {
            "attempted_at": logged["log"][0]["attempted_at"],
            "status_code": None,
            "duration_ms": None,
            "error": "niet bereikbaar",
        }
    ]


def test_a_subscription_of_the_escape_hatch_is_refused_at_delivery(
    dns: FakeDNS,
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=True):
        _subscribe(school_token, "http://127.0.0.1:9/keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    webhooks.deliver(delivery.pk)
    assert connections.made == []
    assert WebhookAttempt.objects.get().error == "niet bereikbaar"


# --- a TLS receiver with its own certificate authority ---------------------------------------------


def _certificates(tmp_path: Path, name: str) -> tuple[Path, Path, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Keten test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "leaf.pem", tmp_path / "leaf.key"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file, ca.public_bytes(serialization.Encoding.PEM)


class TLSReceiver:
    """An https endpoint on 127.0.0.1 with a certificate for ``name``; records SNI and requests."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        cert_file, key_file, self.ca_pem = _certificates(tmp_path, name)
        self.calls: list[dict[str, Any]] = []
        self.server_names: list[str | None] = []
        self.answers: list[tuple[int, dict[str, str]]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append({"path": self.path, "headers": dict(self.headers), "body": body})
                code, headers = receiver.answers.pop(0) if receiver.answers else (204, {})
                self.send_response(code)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        context.sni_callback = lambda sock, server_name, ctx: receiver.server_names.append(server_name)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tls(
    tmp_path: Path, dns: FakeDNS, connections: Connections, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], TLSReceiver]]:
    started: list[TLSReceiver] = []

    def start(name: str = HOST) -> TLSReceiver:
        folder = tmp_path / f"tls{len(started)}"
        folder.mkdir()
        receiver = TLSReceiver(folder, name)
        started.append(receiver)
        # The public address of the name leads to this receiver; Keten trusts the test authority.
        connections.routes[(PUBLIC, 443)] = ("127.0.0.1", receiver.port)
        from keten.verwijsindex.webhooks import transport as webhook_transport

        def context() -> ssl.SSLContext:
            return ssl.create_default_context(cadata=receiver.ca_pem.decode())

        monkeypatch.setattr(webhook_transport, "_tls_context", context)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


def test_delivery_connects_to_the_checked_address_with_the_host_name_for_sni_and_the_host_header(
    tls: Callable[[str], TLSReceiver],
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    receiver = tls(HOST)
    _subscribe(school_token, f"https://{HOST}/keten?bron=keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.DELIVERED
    assert connections.made == [(PUBLIC, 443)]  # the address that was checked, not a new look-up
    [call] = receiver.calls
    headers = {k.lower(): v for k, v in call["headers"].items()}
    assert headers["host"] == HOST
    assert call["path"] == "/keten?bron=keten"
    assert receiver.server_names == [HOST]
    expected = webhooks.sign(SECRET, headers["x-keten-timestamp"], call["body"])
    assert headers["x-keten-signature"] == expected
    assert WebhookAttempt.objects.get().status_code == 204


def test_a_certificate_for_another_name_is_refused(
    tls: Callable[[str], TLSReceiver],
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    receiver = tls("iemand-anders.example")
    _subscribe(school_token, f"https://{HOST}/keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    assert receiver.calls == []
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, "niet bereikbaar")


def test_a_redirect_is_not_followed(
    tls: Callable[[str], TLSReceiver],
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    receiver = tls(HOST)
    receiver.answers = [(307, {"Location": "http://127.0.0.1:9/intern"})]
    _subscribe(school_token, f"https://{HOST}/keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    assert len(receiver.calls) == 1
    assert connections.made == [(PUBLIC, 443)]
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (307, "")


# --- what the subscriber reads about failures ------------------------------------------------------


class RawServer:
    """A TCP server on 127.0.0.1 that answers every connection with fixed bytes (or not at all)."""

    def __init__(self, answer: bytes | None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = int(self.sock.getsockname()[1])
        self.answer = answer
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            if self.answer is not None:
                conn.recv(65536)
                conn.sendall(self.answer)
                conn.close()
            else:
                self.stop.wait(3)  # says nothing until the client gives up
                conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize(
    ("answer", "error"),
    [(b"SSH-2.0-OpenSSH_9.6\r\n", "ongeldig antwoord"), (None, "time-out"), (b"", "ongeldig antwoord")],
)
def test_failures_are_recorded_generically_without_exception_text_or_timing(
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    answer: bytes | None,
    error: str,
) -> None:
    server = RawServer(answer)
    try:
        with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=True, KETEN_VI_WEBHOOK_TIMEOUT_SECONDS=1):
            sub_id = _subscribe(school_token, f"http://127.0.0.1:{server.port}/keten")
            delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
            webhooks.deliver(delivery.pk)
    finally:
        server.close()
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, error)
    [logged] = Client().get(f"{HOOKS}{sub_id}/deliveries/", **school_token).json()
    [row] = logged["log"]
    assert row["error"] in GENERIC
    assert row["duration_ms"] is None
    assert str(server.port) not in str(logged)


def test_a_closed_port_is_recorded_as_unreachable(
    connections: Connections,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = int(closed.getsockname()[1])
    closed.close()
    with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=True):
        _subscribe(school_token, f"http://127.0.0.1:{port}/keten")
        delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
        webhooks.deliver(delivery.pk)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, "niet bereikbaar")


# --- the escape hatch is for development and tests only ---------------------------------------------


def test_production_settings_refuse_the_escape_hatch() -> None:
    source = Path(keten.__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": str(source),
        "KETEN_SECRET_KEY": "s" * 60,
        "KETEN_FIELD_ENCRYPTION_SALT": "zout",
        "KETEN_PSEUDONYM_KEY": "p" * 40,
        "KETEN_BASE_URL": "https://keten.example.org",
        "KETEN_VI_WEBHOOK_ALLOW_HTTP": "true",
    }
    code = "import keten.conf.production as p; print(p.KETEN_VI_WEBHOOK_ALLOW_HTTP)"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert refused.returncode != 0
    assert "KETEN_VI_WEBHOOK_ALLOW_HTTP" in refused.stderr
    env["KETEN_VI_WEBHOOK_ALLOW_HTTP"] = "false"
    allowed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.strip() == "False"


def test_earlier_attempts_keep_only_the_generic_word(
    teacher: User, jgz_nurse: User, school_token: dict[str, str], jgz_token: dict[str, str], dns: FakeDNS
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("keten.verwijsindex.migrations.0003_webhook_attempt_generic_errors")
    _subscribe(school_token, f"https://{HOST}/keten")
    delivery = _pending_delivery(teacher, jgz_nurse, school_token, jgz_token)
    old = {
        "URLError: [Errno 111] Connection refused": "niet bereikbaar",
        "URLError: <urlopen error [Errno -2] Name or service not known>": "niet bereikbaar",
        "TimeoutError": "time-out",
        "URLError: timed out": "time-out",
        "BadStatusLine": "ongeldig antwoord",
        "RemoteDisconnected": "ongeldig antwoord",
        "": "",
        "time-out": "time-out",
    }
    rows = {WebhookAttempt.objects.create(delivery=delivery, error=text).pk: word for text, word in old.items()}
    migration.forget_exception_texts(apps, None)
    assert dict(WebhookAttempt.objects.values_list("pk", "error")) == rows
