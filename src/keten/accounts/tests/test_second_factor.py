"""The second factor cannot be replaced without passing it (issue 13, hole 1).

A session that signed in (password step, or single sign-on without trusted MFA) but did not pass the
second factor reaches only the code step and logout. A user without a device sets one up only
through a set-up link. A verified user may replace their app, after giving a current code again.
"""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import Role
from keten.core.models import AuditEvent
from keten.testing.factories import make_user
from keten.testing.otp import code_for, code_for_key, secret_on_page

pytestmark = pytest.mark.django_db

SETUP = "/tweestaps/instellen/"


def _old_wizard_enrol(client: Client) -> None:
    """What the hole allowed: walk the set-up wizard and confirm a new key of one's own."""
    client.get(SETUP)
    client.post(SETUP, {"keten_setup_view-current_step": "welcome"})
    key = client.session.get("django_two_factor-qr_secret_key")
    if key:
        raw = base64.b32decode(key.upper() + "=" * (-len(key) % 8))
        client.post(SETUP, {"keten_setup_view-current_step": "generator", "generator-token": f"{totp(raw):06d}"})


def test_a_session_without_the_second_factor_cannot_enrol_a_new_device(professional):
    client = Client()
    client.force_login(professional)  # the password step (or SSO) done, the code not given
    original = TOTPDevice.objects.get(user=professional)
    _old_wizard_enrol(client)
    assert list(TOTPDevice.objects.filter(user=professional)) == [original]
    assert not AuditEvent.objects.filter(action="mfa_enrol").exists()
    response = client.get(reverse("shell:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


def test_a_session_without_the_second_factor_reaches_only_the_code_step_and_logout(professional):
    client = Client()
    client.force_login(professional)
    for path in (SETUP, "/tweestaps/klaar/", "/account/", "/account/wachtwoord/", "/account/beheer/"):
        for response in (client.get(path), client.post(path, {})):
            assert response.status_code == 302, path
            assert response["Location"].startswith(reverse("otp_verify")), path
    assert client.get(reverse("otp_verify")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_user_without_a_device_cannot_enrol_after_signing_in(organisation):
    user = make_user(Role.PROFESSIONAL, organisation, username="zonder")
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.force_login(user)
    _old_wizard_enrol(client)
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.get(reverse("shell:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:no_second_factor"))
    page = client.get(reverse("accounts:no_second_factor"))
    assert page.status_code == 200
    assert "instellink" in page.content.decode()
    assert client.get(SETUP).status_code == 302


def test_a_verified_user_replaces_the_app_only_with_a_current_code(client_for, professional, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows down guessing after a wrong code
    client = client_for(professional)
    old = TOTPDevice.objects.get(user=professional)
    other_session = client_for(professional)
    page = client.get(SETUP)
    assert page.status_code == 200
    new_key = secret_on_page(page.content.decode())

    refused = client.post(SETUP, {"current_code": "12345", "code": code_for_key(new_key)})
    assert refused.status_code == 422
    assert list(TOTPDevice.objects.filter(user=professional)) == [old]

    done = client.post(SETUP, {"current_code": code_for(old), "code": code_for_key(new_key)})
    assert done.status_code == 302
    assert done["Location"] == "/tweestaps/klaar/"
    [device] = TOTPDevice.objects.filter(user=professional)
    assert device.bin_key == new_key
    assert device.pk != old.pk
    codes = client.get("/tweestaps/klaar/").content.decode()
    assert codes.count('<code class="utrecht-code">') == 10
    assert AuditEvent.objects.filter(action="mfa_enrol", actor=professional).exists()
    # This session goes on; the other sessions of the person end.
    assert client.get(reverse("shell:dashboard")).status_code == 200
    assert other_session.get(reverse("shell:dashboard")).status_code == 302


def test_a_backup_code_counts_as_the_current_factor(client_for, professional):
    backup = StaticDevice.objects.create(user=professional, name="backup", confirmed=True)
    backup.token_set.create(token="reserve1")
    client = client_for(professional)
    new_key = secret_on_page(client.get(SETUP).content.decode())
    assert client.post(SETUP, {"current_code": "reserve1", "code": code_for_key(new_key)}).status_code == 302
    assert TOTPDevice.objects.get(user=professional).bin_key == new_key


def test_the_qr_code_is_part_of_the_page(client_for, professional):
    text = client_for(professional).get(SETUP).content.decode()
    assert 'src="data:image/svg+xml;base64,' in text
    assert 'alt="QR-code' in text
