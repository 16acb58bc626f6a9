"""Production overlay: secrets are mandatory, everything over HTTPS."""

from keten.conf.base import *  # noqa: F403
from keten.conf.base import ENV
from keten.conf.env import ConfigurationError

if not ENV.secret_key or len(ENV.secret_key) < 50:
    raise ConfigurationError("KETEN_SECRET_KEY must be set to a random string of at least 50 characters")
if not ENV.field_encryption_salt:
    raise ConfigurationError("KETEN_FIELD_ENCRYPTION_SALT must be set")
if not ENV.pseudonym_key or len(ENV.pseudonym_key) < 32:
    raise ConfigurationError("KETEN_PSEUDONYM_KEY must be set to at least 32 characters")
if ENV.vi_webhook_allow_http:
    raise ConfigurationError(
        "KETEN_VI_WEBHOOK_ALLOW_HTTP is for development and tests only: production sends webhooks to public "
        "https addresses only"
    )
if not ENV.base_url.startswith("https://"):
    raise ConfigurationError("KETEN_BASE_URL must be the https:// address where people reach Keten")

DEBUG = False
KETEN_VI_WEBHOOK_ALLOW_HTTP = False
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-keten-session"
CSRF_COOKIE_NAME = "__Host-keten-csrf"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
