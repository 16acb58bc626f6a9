"""OIDC single sign-on with the municipality's identity provider (mozilla-django-oidc).

Only professionals who already exist in Keten (matched on a verified e-mail address) can sign in this way; Keten never
creates accounts from the identity provider. Unless ``KETEN_OIDC_TRUSTS_MFA`` is set (the provider
enforces its own second factor), Keten still asks for its own TOTP code after the OIDC sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from keten.accounts.models import User


class KetenOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = claims.get("email")
        # Only an address the identity provider vouches for identifies a professional.
        if not email or claims.get("email_verified") is not True:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:  # type: ignore[override]
        return None


class _EnabledOnly:
    """OIDC endpoints exist only when single sign-on is switched on."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.KETEN_OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


class KetenOIDCRequestView(_EnabledOnly, OIDCAuthenticationRequestView):
    pass


class KetenOIDCCallbackView(_EnabledOnly, OIDCAuthenticationCallbackView):
    pass
