"""Login lockout per username *and* per source address (django-axes with Keten's handler)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keten.accounts.models import Role
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
OFFICE = "198.51.100.20"


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(
        "/inloggen/",
        {"keten_login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


def _page_text(response) -> str:
    """The visible text of a page, without the per-request tokens."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.KETEN_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.KETEN_TRUSTED_PROXIES = []
    return settings


@pytest.fixture
def victims(organisation):
    return [make_user(Role.PROFESSIONAL, organisation, username=f"collega{i}") for i in range(8)]


def test_password_spraying_from_one_address_over_many_usernames_is_locked(limits, victims) -> None:
    client = Client(REMOTE_ADDR=OFFICE)
    # One guessed password against many accounts: no single username reaches its own limit.
    for user in victims[:6]:
        response = _login(client, user.username, "Zomer2024!")
        assert response.status_code in (200, 429)
    # The address is now locked: even the right password for a fresh account is refused.
    locked = _login(client, victims[7].username)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "netwerkadres" in body
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    # From another address the same account signs in as usual (the username is not locked).
    elsewhere = _login(Client(REMOTE_ADDR="203.0.113.50"), victims[7].username)
    assert elsewhere.status_code == 200
    assert "code van 6 cijfers" in elsewhere.content.decode()


def test_an_address_lock_does_not_reveal_whether_a_username_exists(limits, victims) -> None:
    client = Client(REMOTE_ADDR=OFFICE)
    for i in range(6):
        _login(client, f"niemand{i}", "Zomer2024!")
    known = _login(client, victims[0].username, "fout-wachtwoord")
    unknown = _login(client, "bestaat-niet", "fout-wachtwoord")
    assert known.status_code == unknown.status_code == 429
    assert known["Retry-After"] == unknown["Retry-After"]
    assert _page_text(known) == _page_text(unknown)
    assert victims[0].username not in known.content.decode()


def test_a_wrong_password_from_many_addresses_still_locks_the_username(limits, professional) -> None:
    for i in range(3):
        _login(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), "prof", "wrong-password")
    locked = _login(Client(REMOTE_ADDR="203.0.113.99"), "prof")
    assert locked.status_code == 429
    assert "Account tijdelijk geblokkeerd" in locked.content.decode()


def test_unknown_usernames_lock_like_known_ones(limits, professional) -> None:
    """The per-username lock holds for any typed name, so a lock says nothing about existence."""
    for i in range(3):
        _login(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), "bestaat-niet", "wrong-password")
        _login(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), "prof", "wrong-password")
    unknown = _login(Client(REMOTE_ADDR="203.0.113.99"), "bestaat-niet", "wrong-password")
    known = _login(Client(REMOTE_ADDR="203.0.113.99"), "prof", "wrong-password")
    assert known.status_code == unknown.status_code == 429
    assert _page_text(known) == _page_text(unknown)


def test_a_successful_login_does_not_reset_the_address_count(limits, victims, professional) -> None:
    """A sprayer with an account of their own cannot clear the address count by signing in."""
    client = Client(REMOTE_ADDR=OFFICE)
    for user in victims[:5]:
        _login(client, user.username, "Zomer2024!")
    own = Client(REMOTE_ADDR=OFFICE)
    assert _login(own, "prof").status_code == 200  # the password step passes: counters are not reset
    assert _login(client, victims[5].username, "Zomer2024!").status_code == 429
    assert _login(Client(REMOTE_ADDR=OFFICE), victims[6].username).status_code == 429


def test_office_typos_below_the_address_limit_lock_nobody_else(limits, victims) -> None:
    """Offices share one outgoing address: a few colleagues' typos do not lock the building."""
    client = Client(REMOTE_ADDR=OFFICE)
    for user in victims[:5]:
        _login(client, user.username, "typefout")
    assert _login(Client(REMOTE_ADDR=OFFICE), victims[6].username).status_code == 200
