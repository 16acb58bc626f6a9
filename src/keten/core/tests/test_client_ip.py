"""The client address: taken from X-Forwarded-For only when the connection comes from a configured proxy.

The audit log, the login lockout (django-axes) and the API throttles all use the same function.
"""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from keten.core.clientip import client_ip
from keten.core.models import AuditEvent
from keten.core.tests.test_auth import _login_password

PROXIES = ["10.0.0.0/8", "2001:db8:1::/48"]


def _request(remote: str, forwarded: str | None = None) -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_spoofed_forwarded_for_from_a_non_proxy_does_not_change_the_address(settings) -> None:
    settings.KETEN_TRUSTED_PROXIES = PROXIES
    request = _request("198.51.100.20", "203.0.113.9")
    assert client_ip(request) == "198.51.100.20"  # type: ignore[arg-type]
    assert get_client_ip_address(request) == "198.51.100.20"  # type: ignore[arg-type]


def test_without_configured_proxies_the_header_is_ignored(settings) -> None:
    settings.KETEN_TRUSTED_PROXIES = []
    assert client_ip(_request("10.0.0.2", "203.0.113.9")) == "10.0.0.2"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # One proxy: the entry it appended is the client.
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # The client put its own (spoofed) entry in front; the proxy appended the real one.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies in a row: skip every trusted hop from the right.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        # A malformed entry written by a trusted hop: stop at the last proxy.
        ("10.0.0.2", "203.0.113.9, not-an-ip", "10.0.0.2"),
        # Only proxies: the left-most of them.
        ("10.0.0.2", "10.9.9.9", "10.9.9.9"),
        # IPv6 proxy and client.
        ("2001:db8:1::5", "2001:db8:2::7", "2001:db8:2::7"),
        # An IPv4-mapped IPv6 connection from a proxy counts as that proxy.
        ("::ffff:10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # No header: the connection.
        ("10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(settings, remote, forwarded, expected) -> None:
    settings.KETEN_TRUSTED_PROXIES = PROXIES
    request = _request(remote, forwarded)
    assert client_ip(request) == expected  # type: ignore[arg-type]
    assert get_client_ip_address(request) == expected  # type: ignore[arg-type]


@pytest.mark.django_db
def test_audit_and_lockout_record_the_same_address(settings, professional) -> None:
    settings.KETEN_TRUSTED_PROXIES = PROXIES
    client = Client(REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.9")
    _login_password(client, "prof", "wrong-password")
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "198.51.100.20"
    assert AuditEvent.objects.get(action="login_failed").ip == "198.51.100.20"
    through_proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    _login_password(through_proxy, "prof", "wrong-password")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20", "203.0.113.9"}
    assert AuditEvent.objects.filter(action="login_failed").latest("id").ip == "203.0.113.9"


def test_the_setting_lists_networks_and_refuses_a_hop_count(monkeypatch) -> None:
    from keten.conf.env import ConfigurationError, Env

    monkeypatch.setenv("KETEN_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7 ,2001:db8::/32")
    assert Env().trusted_proxies == ["10.0.0.0/8", "192.0.2.7", "2001:db8::/32"]
    for wrong in ("1", "10.0.0.0/8,proxy.example.org", "300.1.1.1"):
        monkeypatch.setenv("KETEN_TRUSTED_PROXIES", wrong)
        with pytest.raises(ConfigurationError):
            Env()
    monkeypatch.setenv("KETEN_LOGIN_ADDRESS_FAILURE_LIMIT", "50")
    monkeypatch.delenv("KETEN_TRUSTED_PROXIES")
    assert Env().login_address_failure_limit == 50
