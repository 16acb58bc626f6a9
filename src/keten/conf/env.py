"""The one typed reader of environment variables.

Every variable Keten reads is declared here, with its type and default, and documented in
``docs/configuration.md``. Settings modules import :data:`ENV` and never touch ``os.environ``.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent


#: The NL Design System theme (design tokens) when a deployment chooses none: the EUPL voorbeeld theme.
DEFAULT_THEME_STYLESHEETS = ("vendor/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css",)
#: The fonts the voorbeeld theme names (Noto Sans for text, Noto Serif bold for headings), served
#: from our own origin: latin subset, only the weights the theme uses.
DEFAULT_THEME_FONTS = (
    "vendor/@fontsource/noto-sans/latin-400.css",
    "vendor/@fontsource/noto-sans/latin-400-italic.css",
    "vendor/@fontsource/noto-sans/latin-700.css",
    "vendor/@fontsource/noto-serif/latin-700.css",
)


class ConfigurationError(RuntimeError):
    """Raised when an environment variable has a value Keten cannot use."""


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be a boolean (true/false), got {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from exc


def _list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def _networks(name: str) -> list[str]:
    """A list of IP addresses or networks (``10.0.0.0/8``, ``2001:db8::/32``, ``192.0.2.7``)."""
    values = _list(name, [])
    for value in values:
        if value.isdigit():
            raise ConfigurationError(
                f"{name} lists the addresses or networks of the trusted reverse proxies (e.g. 10.0.0.0/8), "
                f"not their number; got {value!r}"
            )
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError as exc:
            raise ConfigurationError(f"{name} must hold IP addresses or networks, got {value!r}") from exc
    return values


@dataclass(frozen=True)
class Env:
    """Typed view of the process environment."""

    secret_key: str = field(default_factory=lambda: _str("KETEN_SECRET_KEY", ""))
    secret_key_fallbacks: list[str] = field(default_factory=lambda: _list("KETEN_SECRET_KEY_FALLBACKS", []))
    field_encryption_salt: list[str] = field(default_factory=lambda: _list("KETEN_FIELD_ENCRYPTION_SALT", []))
    pseudonym_key: str = field(default_factory=lambda: _str("KETEN_PSEUDONYM_KEY", ""))
    debug: bool = field(default_factory=lambda: _bool("KETEN_DEBUG", False))
    allowed_hosts: list[str] = field(default_factory=lambda: _list("KETEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"]))
    csrf_trusted_origins: list[str] = field(default_factory=lambda: _list("KETEN_CSRF_TRUSTED_ORIGINS", []))
    database_url: str = field(
        default_factory=lambda: _str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'keten.sqlite3'}")
    )
    session_idle_minutes: int = field(default_factory=lambda: _int("KETEN_SESSION_IDLE_MINUTES", 30))
    login_failure_limit: int = field(default_factory=lambda: _int("KETEN_LOGIN_FAILURE_LIMIT", 5))
    login_cooloff_minutes: int = field(default_factory=lambda: _int("KETEN_LOGIN_COOLOFF_MINUTES", 30))
    login_address_failure_limit: int = field(default_factory=lambda: _int("KETEN_LOGIN_ADDRESS_FAILURE_LIMIT", 30))
    break_glass_minutes: int = field(default_factory=lambda: _int("KETEN_BREAK_GLASS_MINUTES", 60))
    network_stale_months: int = field(default_factory=lambda: _int("KETEN_NETWORK_STALE_MONTHS", 6))
    meldcode_stall_days: int = field(default_factory=lambda: _int("KETEN_MELDCODE_STALL_DAYS", 10))
    meldcode_escalate_days: int = field(default_factory=lambda: _int("KETEN_MELDCODE_ESCALATE_DAYS", 5))
    meldcode_afwegingen_step: int = field(default_factory=lambda: _int("KETEN_MELDCODE_AFWEGINGEN_STEP", 5))
    tasks_immediate: bool = field(default_factory=lambda: _bool("KETEN_TASKS_IMMEDIATE", False))
    email_backend: str = field(
        default_factory=lambda: _str("KETEN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    )
    email_host: str = field(default_factory=lambda: _str("KETEN_EMAIL_HOST", "localhost"))
    email_port: int = field(default_factory=lambda: _int("KETEN_EMAIL_PORT", 25))
    email_use_tls: bool = field(default_factory=lambda: _bool("KETEN_EMAIL_USE_TLS", False))
    default_from_email: str = field(default_factory=lambda: _str("KETEN_DEFAULT_FROM_EMAIL", "keten@localhost"))
    base_url: str = field(default_factory=lambda: _str("KETEN_BASE_URL", "http://127.0.0.1:8000"))
    oidc_enabled: bool = field(default_factory=lambda: _bool("KETEN_OIDC_ENABLED", False))
    oidc_client_id: str = field(default_factory=lambda: _str("KETEN_OIDC_CLIENT_ID", ""))
    oidc_client_secret: str = field(default_factory=lambda: _str("KETEN_OIDC_CLIENT_SECRET", ""))
    oidc_authorization_endpoint: str = field(default_factory=lambda: _str("KETEN_OIDC_AUTHORIZATION_ENDPOINT", ""))
    oidc_token_endpoint: str = field(default_factory=lambda: _str("KETEN_OIDC_TOKEN_ENDPOINT", ""))
    oidc_user_endpoint: str = field(default_factory=lambda: _str("KETEN_OIDC_USER_ENDPOINT", ""))
    oidc_jwks_endpoint: str = field(default_factory=lambda: _str("KETEN_OIDC_JWKS_ENDPOINT", ""))
    oidc_sign_algo: str = field(default_factory=lambda: _str("KETEN_OIDC_SIGN_ALGO", "RS256"))
    oidc_trusts_mfa: bool = field(default_factory=lambda: _bool("KETEN_OIDC_TRUSTS_MFA", False))
    static_root: str = field(default_factory=lambda: _str("KETEN_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
    media_root: str = field(default_factory=lambda: _str("KETEN_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
    max_upload_mb: int = field(default_factory=lambda: _int("KETEN_MAX_UPLOAD_MB", 10))
    trusted_proxies: list[str] = field(default_factory=lambda: _networks("KETEN_TRUSTED_PROXIES"))
    log_level: str = field(default_factory=lambda: _str("KETEN_LOG_LEVEL", "INFO"))
    network_reminder_days: int = field(default_factory=lambda: _int("KETEN_NETWORK_REMINDER_DAYS", 30))
    api_anon_rate: str = field(default_factory=lambda: _str("KETEN_API_ANON_RATE", "60/minute"))
    vi_webhook_timeout_seconds: int = field(default_factory=lambda: _int("KETEN_VI_WEBHOOK_TIMEOUT_SECONDS", 5))
    vi_webhook_max_attempts: int = field(default_factory=lambda: _int("KETEN_VI_WEBHOOK_MAX_ATTEMPTS", 8))
    vi_webhook_allow_http: bool = field(default_factory=lambda: _bool("KETEN_VI_WEBHOOK_ALLOW_HTTP", False))
    vi_feed_retention_days: int = field(default_factory=lambda: _int("KETEN_VI_FEED_RETENTION_DAYS", 90))
    theme_stylesheets: list[str] = field(
        default_factory=lambda: _list("KETEN_THEME_STYLESHEETS", list(DEFAULT_THEME_STYLESHEETS))
    )
    theme_fonts: list[str] = field(default_factory=lambda: _list("KETEN_THEME_FONTS", list(DEFAULT_THEME_FONTS)))
    theme_class: str = field(default_factory=lambda: _str("KETEN_THEME_CLASS", "voorbeeld-theme").strip())
    gemeente_naam: str = field(default_factory=lambda: _str("KETEN_GEMEENTE_NAAM", "").strip())
    gemeente_logo: str = field(default_factory=lambda: _str("KETEN_GEMEENTE_LOGO", "").strip())


ENV = Env()
