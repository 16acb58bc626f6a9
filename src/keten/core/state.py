"""A digest of what an edit form showed, for records without a version column.

The form carries the digest of the values it was filled with; the service compares it with the
digest of the row it locked. Someone else's change in between gives a ConflictError instead of
silently overwriting it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from keten.core.errors import ConflictError


def state_token(values: Mapping[str, Any]) -> str:
    blob = json.dumps(dict(values), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def check_state(values: Mapping[str, Any], expected: str | None) -> None:
    """ConflictError when ``expected`` (from the form) is given and no longer matches ``values``."""
    if expected and state_token(values) != expected:
        raise ConflictError
