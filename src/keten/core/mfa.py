"""Has this request's user passed a second factor?

Either Keten's own TOTP/backup code (django-otp), or, only when the municipality says its identity
provider enforces a second factor (``KETEN_OIDC_TRUSTS_MFA``), a single sign-on through OIDC.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY

OIDC_BACKEND = "keten.accounts.login.oidc.KetenOIDCBackend"


def second_factor_done(request: Any) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_verified", lambda: False)():
        return True
    session = getattr(request, "session", None)
    return bool(
        settings.KETEN_OIDC_ENABLED
        and settings.KETEN_OIDC_TRUSTS_MFA
        and session is not None
        and session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND
    )
