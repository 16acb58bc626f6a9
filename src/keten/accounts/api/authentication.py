"""API authentication: organisation-scoped system tokens, and browser sessions that passed 2FA."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from keten.accounts.models import ApiClient
from keten.core.crypto import hash_token
from keten.core.mfa import second_factor_done


class ApiClientTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <token>`` for a partner organisation's system."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige tokenkop."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Ongeldig token.")) from exc
        client = (
            ApiClient.objects.select_related("organisation")
            .filter(token_hash=hash_token(token), is_active=True, organisation__is_active=True)
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("Ongeldig token."))
        return (client, client)

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """A browser session counts only once its second factor was verified."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        if not second_factor_done(request._request):
            return None
        return result
