"""Demo logins: fixed usernames, one password, a fixed TOTP key and fixed backup codes per account."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import User

#: The TOTP device of a demo account carries the standard name, so the login wizard asks for its
#: code like for any account. ``manage.py demo_totp`` recognises a demo account by its public key.
DEMO_DEVICE_NAME = "default"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 5
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def demo_totp_key(username: str) -> str:
    """The fixed TOTP secret (hex, 20 bytes) of a demo account: public, so demo data only."""
    return hashlib.sha1(f"keten-demo-totp:{username}".encode(), usedforsecurity=False).hexdigest()


def base32_key(hex_key: str) -> str:
    """The secret as an authenticator app expects it (base32, no padding)."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode("ascii").rstrip("=")


def demo_backup_codes(username: str) -> list[str]:
    codes = []
    for i in range(BACKUP_CODE_COUNT):
        digest = hashlib.sha256(f"keten-demo-backup:{username}:{i}".encode()).digest()
        codes.append("".join(_BACKUP_ALPHABET[b % len(_BACKUP_ALPHABET)] for b in digest[:8]))
    return codes


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str
    organisation: str
    password: str
    totp_base32: str
    backup_codes: list[str]


def give_demo_devices(user: User) -> tuple[TOTPDevice, list[str]]:
    """A confirmed TOTP device with the fixed, public key, and the fixed static backup codes."""
    device = TOTPDevice.objects.create(
        user=user, name=DEMO_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True
    )
    backup = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = demo_backup_codes(user.username)
    StaticToken.objects.bulk_create([StaticToken(device=backup, token=code) for code in codes])
    return device, codes


def is_demo_device(device: TOTPDevice) -> bool:
    """True only for a device whose key is the public demo key of its own account."""
    return bool(device.user_id) and device.key == demo_totp_key(device.user.username)
