"""Test overlay: fast hashing, in-memory mail, tasks run immediately."""

from pathlib import Path

from keten.conf.base import *  # noqa: F403
from keten.conf.base import ENV, STATIC_ROOT

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
SALT_KEY = ["test-field-salt"]
KETEN_PSEUDONYM_KEY = "test-pseudonym-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEBUG = False
ALLOWED_HOSTS = ["*"]
_ = ENV

# WhiteNoise warns about a missing STATIC_ROOT on every request; tests serve files from the finders.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
