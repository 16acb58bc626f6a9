"""Shared steps of the browser tests: one-time codes and signing in through the real login pages."""

from __future__ import annotations

import base64
import time
from typing import TYPE_CHECKING

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import User

if TYPE_CHECKING:
    from tests.browser.conftest import UI

PASSWORD = "correct-horse-battery-staple"


def totp_code(key: bytes, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The six-digit code an authenticator app shows for ``key`` at time ``at`` (default: now)."""
    totp = TOTP(key, step=step, digits=digits)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():0{digits}d}"


def key_from_base32(secret: str) -> bytes:
    """The raw key behind the manual-entry key shown on the set-up page (spaces and case ignored)."""
    cleaned = "".join(secret.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def device_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return totp_code(device.bin_key, step=device.step, digits=device.digits)


def wrong_code(user: User) -> str:
    """A code that is valid at no time near now (the server allows one step of drift)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now = time.time()
    valid = {totp_code(device.bin_key, at=now + d * device.step) for d in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def submit_password(ui: UI, username: str, password: str = PASSWORD) -> None:
    page = ui.page
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    ui.submit(page.get_by_role("button", name="Volgende"))


def login(ui: UI, user: User) -> None:
    """Sign in with password and the current TOTP code; ends on the dashboard."""
    ui.goto("/inloggen/")
    submit_password(ui, user.username)
    ui.page.locator("input[name='token-otp_token']").fill(device_code(user))
    ui.submit(ui.page.get_by_role("button", name="Inloggen", exact=True))
    assert ui.path() == "/", f"login of {user.username} ended on {ui.page.url}"


def assert_theme_applied(ui: UI) -> None:
    """The NL Design System CSS (Utrecht components + voorbeeld theme) loaded and styles the page."""
    sheets = dict(ui.page.evaluate("() => [...document.styleSheets].map(s => [s.href || '', s.cssRules.length])"))
    for name in (
        "/static/vendor/%40utrecht/component-library-css/dist/index.css",
        "/static/vendor/%40nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",
        "/static/keten/keten.css",
    ):
        rules = sheets.get(ui.url(name), 0)
        assert rules > 0, f"stylesheet {name} did not load: {sheets}"
    style = ui.page.evaluate(
        """() => {
          const body = getComputedStyle(document.body);
          const button = document.querySelector(
            ".utrecht-button--primary-action, .utrecht-button-link--primary-action"
          );
          return {
            font: body.fontFamily,
            token: body.getPropertyValue("--basis-text-font-family-default").trim(),
            button: button ? getComputedStyle(button).backgroundColor : "",
          };
        }"""
    )
    assert style["token"], "the voorbeeld theme's design tokens are not applied"
    assert "Noto Sans" in style["font"], f"body text does not use the theme font: {style['font']}"
    assert style["button"] not in ("", "rgba(0, 0, 0, 0)", "rgb(239, 239, 239)"), style
