"""Development and demo overlay: local SQLite, mail to the console, tasks run at once."""

from keten.conf.base import *  # noqa: F403
from keten.conf.base import ENV

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key or "dev-only-insecure-secret-key-change-me-0123456789abcdef"
SALT_KEY = ENV.field_encryption_salt or ["dev-only-field-salt"]
KETEN_PSEUDONYM_KEY = ENV.pseudonym_key or "dev-only-pseudonym-key"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
