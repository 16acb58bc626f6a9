"""The environment shared by every process of the benchmark: seeding, serving, session set-up.

The same secret key, field-encryption salt and pseudonym key must be used for seeding and for
serving, otherwise the server cannot decrypt what the seed wrote. These values are for the local
benchmark database only.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/keten_bench"

BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop"
BENCH_FIELD_SALT = "bench-only-field-salt"
BENCH_PSEUDONYM_KEY = "bench-only-pseudonym-key-0123456789abcdef"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "keten.conf.production",
            "DATABASE_URL": database_url(),
            "KETEN_SECRET_KEY": BENCH_SECRET_KEY,
            "KETEN_FIELD_ENCRYPTION_SALT": BENCH_FIELD_SALT,
            "KETEN_PSEUDONYM_KEY": BENCH_PSEUDONYM_KEY,
            "KETEN_ALLOWED_HOSTS": "127.0.0.1",
            "KETEN_BASE_URL": "https://127.0.0.1",
            "KETEN_STATIC_ROOT": str(VAR / "static"),
            "KETEN_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env
