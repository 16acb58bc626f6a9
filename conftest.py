"""Shared pytest set-up: Playwright needs Django's sync ORM from its event loop thread."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
