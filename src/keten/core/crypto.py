"""BSN validation, keyed blind indexes and client pseudonyms.

Client data is encrypted at rest per field (django-fernet-encrypted-fields). Encrypted columns can't
be searched, so look-ups go through a keyed HMAC of the normalised value (a *blind index*): equal
inputs give equal digests, the digest reveals nothing without ``KETEN_PSEUDONYM_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.nl import bsn as stdnum_bsn

_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise_bsn(value: str) -> str:
    """Digits only; an 8-digit number gets its leading zero back."""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) == 8:
        digits = "0" + digits
    return digits


def is_valid_bsn(value: str) -> bool:
    return stdnum_bsn.is_valid(normalise_bsn(value)) and normalise_bsn(value) != "000000000"


def validate_bsn(value: str) -> None:
    """Django validator: 9 digits passing the elfproef."""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) not in (8, 9) or len(digits) != len(str(value).replace(" ", "").replace(".", "")):
        raise ValidationError(_("Een BSN bestaat uit 9 cijfers."), code="bsn_format")
    if not is_valid_bsn(digits):
        raise ValidationError(
            _("Dit BSN klopt niet: het voldoet niet aan de elfproef. Controleer het nummer."),
            code="bsn_checksum",
        )


def _key() -> bytes:
    key = settings.KETEN_PSEUDONYM_KEY
    if not key:
        raise RuntimeError("KETEN_PSEUDONYM_KEY is not configured")
    return key.encode("utf-8")


def blind_index(purpose: str, value: str) -> str:
    """Keyed HMAC-SHA256 of ``value`` for ``purpose`` (hex). Purpose separates the index spaces."""
    message = f"{purpose}\x1f{value}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def bsn_index(bsn: str) -> str:
    return blind_index("bsn", normalise_bsn(bsn))


def _normalise_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.lower().replace("-", " ").split())


def name_birth_index(first_name: str, last_name: str, date_of_birth: date) -> str:
    """Blind index on (first name, last name, date of birth) for the duplicate check."""
    key = f"{_normalise_name(first_name)}|{_normalise_name(last_name)}|{date_of_birth.isoformat()}"
    return blind_index("name_dob", key)


def new_pseudonym(prefix: str = "C", length: int = 10) -> str:
    """A random, meaningless identifier for a client or family (safe for logs and URLs)."""
    return prefix + "-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(length))


def mask_bsn(bsn: str) -> str:
    digits = normalise_bsn(bsn)
    return "•••••" + digits[-4:] if len(digits) == 9 else ""


def hash_token(token: str) -> str:
    """What Keten stores of a secret token (API token, set-up link, calendar feed): its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
