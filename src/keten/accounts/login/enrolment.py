"""Enrolling an authenticator app: a fresh key, its QR code, checking the first code, saving the device.

Used by the set-up link (a person without a working second factor) and by the replacement of an app
(a verified person who gave a current code). Both keep the new key server-side in the session until
the person proves with a code that their app has it.
"""

from __future__ import annotations

import base64
import time
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from two_factor.utils import get_otpauth_url

from keten.accounts.models import User

NUMBER_OF_BACKUP_CODES = 10
KEY_BYTES = 20
_SESSION_KEY = "keten_enrol_key"
STEP, DIGITS = 30, 6


def pending_key(session: SessionBase, *, purpose: str) -> str:
    """The hex key offered to the person for ``purpose`` (made once, kept until enrolment ends)."""
    stored = session.get(_SESSION_KEY)
    if isinstance(stored, dict) and stored.get("purpose") == purpose and stored.get("key"):
        return str(stored["key"])
    key: str = random_hex(KEY_BYTES)
    session[_SESSION_KEY] = {"purpose": purpose, "key": key}
    return key


def forget_key(session: SessionBase) -> None:
    session.pop(_SESSION_KEY, None)


def base32_secret(hex_key: str) -> str:
    """The key as an authenticator app takes it by hand: base32 in groups of four."""
    plain = base64.b32encode(bytes.fromhex(hex_key)).decode("ascii").rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def qr_data_uri(*, hex_key: str, account: str) -> str:
    """An SVG QR code of the otpauth URL, as a data URI (allowed by the CSP's ``img-src data:``)."""
    secret = base64.b32encode(bytes.fromhex(hex_key)).decode("ascii").rstrip("=")
    issuer = getattr(settings, "OTP_TOTP_ISSUER", "Keten")
    url = get_otpauth_url(accountname=account, secret=secret, issuer=str(issuer), digits=DIGITS)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def matching_step(hex_key: str, code: str) -> int | None:
    """The time step at which ``code`` is valid for ``hex_key`` (one step of drift), else None."""
    code = (code or "").replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = TOTP(bytes.fromhex(hex_key), step=STEP, digits=DIGITS)
    totp.time = time.time()
    for drift in (0, -1, 1):
        totp.drift = drift
        if totp.token() == int(code):
            return int(totp.t())
    return None


def enrolment_context(session: SessionBase, *, purpose: str, account: str) -> dict[str, Any]:
    key = pending_key(session, purpose=purpose)
    return {"qr_url": qr_data_uri(hex_key=key, account=account), "secret_key": base32_secret(key)}


def device_install(*, user: User, hex_key: str, last_t: int) -> tuple[TOTPDevice, list[str]]:
    """Replace every app and backup code of ``user`` by this key and ten new backup codes (in a transaction)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # cascades to the old backup codes
    device = TOTPDevice.objects.create(
        user=user, name="default", key=hex_key, step=STEP, digits=DIGITS, confirmed=True, last_t=last_t
    )
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(NUMBER_OF_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return device, codes


def devices_remove(*, user: User) -> int:
    """Remove every app and backup code of ``user``; returns how many devices there were."""
    count = int(TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count())
    StaticDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    return count


def has_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
