"""One-time codes and set-up links in tests: what an authenticator app and a mailbox would give a person."""

from __future__ import annotations

import base64
import re
import time

from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

_LINK = re.compile(r"/account/instellen/([A-Za-z0-9_\-]+)/")
_SECRET = re.compile(r'data-testid="totp-secret">([A-Z2-7 ]+)<')


def code_for_key(key: bytes, *, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for ``key`` now (or at ``at``)."""
    totp = TOTP(key, step=30, digits=6)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice) -> str:
    return code_for_key(device.bin_key)


def key_from_base32(secret: str) -> bytes:
    cleaned = "".join(secret.split()).upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def secret_on_page(html: str) -> bytes:
    """The key behind the manual-entry secret that an enrolment page shows."""
    found = _SECRET.search(html)
    assert found, "the page shows the secret for manual entry"
    return key_from_base32(found.group(1))


def links_in_outbox(to: str | None = None) -> list[str]:
    """The set-up link tokens sent by e-mail (to ``to``, when given), oldest first."""
    tokens = []
    for message in mail.outbox:
        if to is not None and to not in message.to:
            continue
        tokens.extend(_LINK.findall(message.body))
    return tokens


def setup_link_path(token: str) -> str:
    return f"/account/instellen/{token}/"
