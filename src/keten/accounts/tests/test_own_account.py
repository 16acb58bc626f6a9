"""People change their own password: the current password and a current second-factor code (issue 13, hole 2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import User
from keten.core.models import AuditEvent
from keten.testing.otp import code_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "paarse-olifant-danst-traag-42"
URL = "/account/wachtwoord/"


def test_the_user_menu_links_to_the_account_page(client_for, professional):
    client = client_for(professional)
    dashboard = client.get(reverse("shell:dashboard")).content.decode()
    assert f'href="{reverse("accounts:home")}"' in dashboard
    page = client.get(reverse("accounts:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="{URL}"' in text
    assert 'href="/tweestaps/instellen/"' in text


def _data(device: TOTPDevice, **overrides: str) -> dict[str, str]:
    values = {
        "current_password": PASSWORD,
        "code": code_for(device),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    values.update(overrides)
    return values


def test_change_own_password_with_password_and_code(client_for, professional):
    client = client_for(professional)
    other = client_for(professional)
    device = TOTPDevice.objects.get(user=professional)
    assert client.get(URL).status_code == 200
    response = client.post(URL, _data(device))
    assert response.status_code == 302
    person = User.objects.get(pk=professional.pk)
    assert person.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(object_type="user", action="update", actor=professional)
    assert event.details == {"changed": ["password"], "by": "self"}
    # This session stays signed in; every other session ends.
    assert client.get(reverse("shell:dashboard")).status_code == 200
    assert other.get(reverse("shell:dashboard")).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"current_password": "verkeerd-wachtwoord"}, "current_password", "Uw huidige wachtwoord klopt niet"),
        ({"code": "000000"}, "code", "code klopt niet"),
        ({"password2": "iets-anders-dan-eerst-99"}, "password2", "niet hetzelfde"),
        ({"password1": "kort", "password2": "kort"}, "password1", "te kort"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(client_for, professional, overrides, field, message, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = client_for(professional)
    device = TOTPDevice.objects.get(user=professional)
    if overrides.get("code") == code_for(device):  # pragma: no cover - one chance in a million
        return
    response = client.post(URL, _data(device, **overrides))
    assert response.status_code == 422
    text = response.content.decode()
    assert message in text
    assert f'id="id_{field}"' in text
    assert User.objects.get(pk=professional.pk).check_password(PASSWORD)


def test_the_page_needs_a_verified_session(professional):
    client = Client()
    client.force_login(professional)
    response = client.post(URL, {"current_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=professional.pk).check_password(PASSWORD)
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("two_factor:login"))
