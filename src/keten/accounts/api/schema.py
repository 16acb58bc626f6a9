"""OpenAPI descriptions of Keten's authentication schemes (drf-spectacular extensions)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "keten.accounts.api.authentication.ApiClientTokenAuthentication"
    name = "systemToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token of a partner organisation's system: `Token <token>`.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "keten.accounts.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Browser session after password and two-factor login.",
        }
