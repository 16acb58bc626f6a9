"""Base settings: everything lives here; dev/test/production only overlay."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from keten.conf.env import BASE_DIR, ENV

PROJECT_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = ENV.secret_key
SECRET_KEY_FALLBACKS = ENV.secret_key_fallbacks
# Salt(s) for the per-field encryption of client data (django-fernet-encrypted-fields).
SALT_KEY = ENV.field_encryption_salt
# Key of the HMAC blind indexes (BSN and name + birth-date look-ups). Pseudonyms are random.
KETEN_PSEUDONYM_KEY = ENV.pseudonym_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "mozilla_django_oidc",
    "keten.core",
    "keten.accounts",
    "keten.dossiers",
    "keten.network",
    "keten.meldcode",
    "keten.verwijsindex",
    "keten.sharing",
    "keten.overleg",
    "keten.shell",
    "keten.seeding",
    "keten.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "keten.core.middleware.RequestIdMiddleware",
    "keten.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "keten.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "keten.core.middleware.IdleTimeoutMiddleware",
    "keten.core.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keten.urls"
WSGI_APPLICATION = "keten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keten.core.theme.theme",
                "keten.shell.context_processors.keten",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so the audit hash chain cannot fork.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "shell:dashboard"
LOGOUT_REDIRECT_URL = "two_factor:login"

# Two-factor: TOTP with backup codes; no phone/SMS gateways.
TWO_FACTOR_PATCH_ADMIN = False
TWO_FACTOR_REMEMBER_COOKIE_AGE = None
OTP_TOTP_ISSUER = "Keten"

# Lockout after repeated failed logins (django-axes, ADR 0013): per username after
# AXES_FAILURE_LIMIT failures and per source address after KETEN_LOGIN_ADDRESS_FAILURE_LIMIT
# failures (higher: offices share outgoing addresses), both within the cool-off time. The counts
# are rows in the database (axes' database handler), so every worker process sees them.
AXES_FAILURE_LIMIT = ENV.login_failure_limit
KETEN_LOGIN_ADDRESS_FAILURE_LIMIT = ENV.login_address_failure_limit
AXES_COOLOFF_TIME = ENV.login_cooloff_minutes / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "keten.accounts.login.lockout.KetenLockoutHandler"
AXES_LOCKOUT_CALLABLE = "keten.accounts.login.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "keten.core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions: idle timeout enforced by keten.core.middleware.IdleTimeoutMiddleware.
KETEN_SESSION_IDLE_SECONDS = ENV.session_idle_minutes * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
KETEN_BREAK_GLASS_SECONDS = ENV.break_glass_minutes * 60
# An entry of the sociale kaart not confirmed for this many months is shown as outdated.
KETEN_NETWORK_STALE_MONTHS = ENV.network_stale_months
#: Days without a recorded step before a meldcode-traject is flagged to its professional, and the
#: further days before it is flagged to the aandachtsfunctionaris (handelingsverlegenheid).
KETEN_MELDCODE_STALL_DAYS = ENV.meldcode_stall_days
KETEN_MELDCODE_ESCALATE_DAYS = ENV.meldcode_escalate_days
#: The step of the meldcode that holds the afwegingen (sources differ: 4 or 5).
KETEN_MELDCODE_AFWEGINGEN_STEP = ENV.meldcode_afwegingen_step
#: Working days Veilig Thuis has for its veiligheidsbeoordeling, after which feedback is due.
KETEN_MELDCODE_VT_FEEDBACK_WORKDAYS = 5
#: The meldcode model the trajecten follow (stored on every traject).
KETEN_MELDCODE_VERSION = "Basismodel meldcode 2019 (met afwegingskader)"
# Addresses or networks of Keten's own reverse proxies. Only a request whose connection comes from
# one of them has its client address taken from X-Forwarded-For (keten.core.clientip.client_ip, used
# by the audit log, the login lockout and the API throttles); empty: the connection's address.
KETEN_TRUSTED_PROXIES = ENV.trusted_proxies

# Content Security Policy (django-csp 4): only our own origin; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # Fonts come from our own origin only (the theme's fonts are served from node_modules).
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Uploads: refuse oversized bodies before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = ENV.max_upload_mb * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.static_root
STATICFILES_DIRS = [PROJECT_DIR / "static", ("vendor", BASE_DIR / "node_modules")]
MEDIA_ROOT = ENV.media_root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The look of this deployment (keten.core.theme): NL Design System design tokens and the class that
# applies them, the fonts they name, and the gemeente shown in the header of every page. All are
# static paths; the system check keten.E001-E006 refuses to start when one cannot be found.
KETEN_THEME_STYLESHEETS = ENV.theme_stylesheets
KETEN_THEME_FONTS = ENV.theme_fonts
KETEN_THEME_CLASS = ENV.theme_class
KETEN_GEMEENTE_NAAM = ENV.gemeente_naam
KETEN_GEMEENTE_LOGO = ENV.gemeente_logo

EMAIL_BACKEND = ENV.email_backend
EMAIL_HOST = ENV.email_host
EMAIL_PORT = ENV.email_port
EMAIL_USE_TLS = ENV.email_use_tls
DEFAULT_FROM_EMAIL = ENV.default_from_email
# Where people reach Keten: the start of the links in e-mails (set-up links), without a trailing slash.
KETEN_BASE_URL = ENV.base_url.rstrip("/")

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENV.tasks_immediate
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "keten.accounts.api.authentication.ApiClientTokenAuthentication",
        "keten.accounts.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["keten.core.access.PolicyPermission"],  # no policy on a view: refused
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "keten.core.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# Requests per client IP to the public (anonymous) API endpoints, e.g. "60/minute" or "1000/hour".
KETEN_API_ANON_RATE = ENV.api_anon_rate
# A stale sociale kaart entry gets at most one reminder per this many days (manage.py network_reminders).
KETEN_NETWORK_REMINDER_DAYS = ENV.network_reminder_days
# Verwijsindex match delivery to source systems (webhooks and the feed).
KETEN_VI_WEBHOOK_TIMEOUT_SECONDS = ENV.vi_webhook_timeout_seconds
KETEN_VI_WEBHOOK_MAX_ATTEMPTS = ENV.vi_webhook_max_attempts
KETEN_VI_WEBHOOK_ALLOW_HTTP = ENV.vi_webhook_allow_http
KETEN_VI_FEED_RETENTION_DAYS = ENV.vi_feed_retention_days
SPECTACULAR_SETTINGS = {
    "TITLE": "Keten API",
    "DESCRIPTION": "API of Keten, the platform for the local approach to child abuse.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# OIDC single sign-on with the municipality's identity provider (off unless configured).
KETEN_OIDC_ENABLED = ENV.oidc_enabled
KETEN_OIDC_TRUSTS_MFA = ENV.oidc_trusts_mfa
OIDC_RP_CLIENT_ID = ENV.oidc_client_id
OIDC_RP_CLIENT_SECRET = ENV.oidc_client_secret
OIDC_OP_AUTHORIZATION_ENDPOINT = ENV.oidc_authorization_endpoint
OIDC_OP_TOKEN_ENDPOINT = ENV.oidc_token_endpoint
OIDC_OP_USER_ENDPOINT = ENV.oidc_user_endpoint
OIDC_OP_JWKS_ENDPOINT = ENV.oidc_jwks_endpoint
OIDC_RP_SIGN_ALGO = ENV.oidc_sign_algo
OIDC_CREATE_USER = False
OIDC_RP_SCOPES = "openid email profile"
if KETEN_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("keten.accounts.login.oidc.KetenOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "keten.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {"axes": {"level": "WARNING"}},
}

FORM_RENDERER = "keten.core.forms.KetenFormRenderer"
CSRF_FAILURE_VIEW = "keten.core.views.csrf_failure"
LOGIN_REDIRECT_URL_FAILURE = "/inloggen/"
OIDC_USE_PKCE = True
