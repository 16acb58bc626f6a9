"""Signing in: a first app through a set-up link, password + TOTP, and lockout after wrong passwords."""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from keten.accounts.login.setup_links import setup_link_issue
from keten.accounts.models import Role, SetupLink
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, make_user
from keten.testing.otp import links_in_outbox
from tests.browser.conftest import UI
from tests.browser.helpers import device_code, key_from_base32, submit_password, totp_code, wrong_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "paarse-olifant-danst-traag-42"


def assert_dutch_code_error(text: str) -> None:
    """The message for a wrong one-time code is Dutch and says what is wrong."""
    for english in ("Invalid token", "Please make sure", "Verification temporarily disabled"):
        assert english not in text, f"English error message shown to the user: {text!r}"
    assert "code" in text.lower(), text


def test_first_sign_in_through_a_setup_link_enrols_the_app_and_shows_backup_codes(ui: UI) -> None:
    organisation = OrganisationFactory(name="Wijkteam Zuid")
    user = make_user(Role.PROFESSIONAL, organisation, username="nieuw", first_name="Noor")
    TOTPDevice.objects.filter(user=user).delete()
    page = ui.page

    # Signing in without an app leads nowhere: a first app comes only through a set-up link.
    ui.goto("/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Keten")
    submit_password(ui, "nieuw")
    assert ui.path() == "/account/geen-tweestaps/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie ontbreekt")
    ui.submit(page.get_by_role("button", name="Uitloggen"))

    setup_link_issue(actor=None, user=user, purpose=SetupLink.Purpose.RESET)
    [token] = links_in_outbox(to=user.email)
    ui.goto(f"/account/instellen/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw account instellen")
    qr = page.get_by_role("img", name=re.compile("QR-code"))
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "QR code image did not load"
    secret = page.get_by_test_id("totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]{16,}", secret), secret
    key = key_from_base32(secret)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code(key))
    ui.screenshot("setup-link")
    ui.submit(page.get_by_role("button", name="Account instellen"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw account is ingesteld")
    codes = page.get_by_test_id("backup-codes").locator("li")
    expect(codes).to_have_count(10)
    shown = {c.strip() for c in codes.all_inner_texts()}
    assert len(shown) == 10
    assert shown == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action="mfa_enrol", actor=user).exists()

    ui.submit(page.get_by_role("link", name="Naar inloggen"))
    submit_password(ui, "nieuw", password=NEW_PASSWORD)
    # The code of the next time step: the one just used at enrolment is spent.
    page.locator("input[name='token-otp_token']").fill(totp_code(key, at=time.time() + 30))
    ui.submit(page.get_by_role("button", name="Inloggen", exact=True))
    assert ui.path() == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    expect(page.locator(".keten-today__welcome")).to_contain_text("Welkom, Noor.")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_contain_text("Mijn account")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_login_with_password_and_totp_refuses_a_wrong_code(ui: UI) -> None:
    user = make_user(Role.PROFESSIONAL, username="jjansen", first_name="Jet")
    page = ui.page

    ui.goto("/inloggen/")
    submit_password(ui, "jjansen")
    token = page.locator("input[name='token-otp_token']")
    expect(token).to_be_visible()
    expect(page.get_by_text("Vul de code van 6 cijfers in")).to_be_visible()

    token.fill(wrong_code(user))
    ui.submit(page.get_by_role("button", name="Inloggen", exact=True))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Controleer de volgende punten")
    assert_dutch_code_error(alert.inner_text())
    assert ui.path() == "/inloggen/"
    assert not AuditEvent.objects.filter(action="login", actor=user).exists()

    # django-otp throttles a device for one second after a failed code.
    page.wait_for_timeout(1100)
    token = page.locator("input[name='token-otp_token']")
    token.fill(device_code(user))
    ui.submit(page.get_by_role("button", name="Inloggen", exact=True))
    assert ui.path() == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Vandaag")
    expect(page.locator(".keten-today__welcome")).to_contain_text("Welkom, Jet.")
    ui.screenshot("dashboard-after-totp")


def test_repeated_wrong_passwords_lock_the_account(ui: UI) -> None:
    user = make_user(Role.PROFESSIONAL, username="vergeetachtig")
    page = ui.page
    limit = settings.AXES_FAILURE_LIMIT
    ui.goto("/inloggen/")
    for attempt in range(1, limit):
        submit_password(ui, "vergeetachtig", password=f"fout-wachtwoord-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("wachtwoord")
        expect(page.locator("input[name='token-otp_token']")).to_have_count(0)

    submit_password(ui, "vergeetachtig", password=f"fout-wachtwoord-{limit}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account tijdelijk geblokkeerd")
    expect(page.get_by_role("alert")).to_contain_text("Om uw account te beschermen kunt u de komende tijd niet")
    ui.screenshot("locked-out")

    # Locked means locked: even the right password does not lead to the code step.
    ui.goto("/inloggen/")
    submit_password(ui, "vergeetachtig")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account tijdelijk geblokkeerd")
    expect(page.locator("input[name='token-otp_token']")).to_have_count(0)
    assert not AuditEvent.objects.filter(action="login", actor=user).exists()
    assert AuditEvent.objects.filter(action="login_failed", actor=user).count() >= limit
