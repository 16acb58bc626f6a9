"""Model fields of Keten that the encryption library does not offer as needed."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from encrypted_fields.fields import EncryptedTextField


class EncryptedJSONTextField(EncryptedTextField):  # type: ignore[misc]  # the library ships no types
    """A JSON value encrypted as one whole (Fernet), keys and types included.

    ``encrypted_fields.EncryptedJSONField`` encrypts each leaf separately, turns every value into a
    string (``False`` comes back as ``"False"``) and leaves the keys readable; this field keeps the
    JSON types and hides the structure. It cannot be queried inside, by design.
    """

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
        return self.f.encrypt(text.encode("utf-8")).decode("utf-8")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return self.to_python(value)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, dict | list):
            return value
        text = super().to_python(value)
        if isinstance(text, str):
            try:
                return json.loads(text)
            except ValueError:
                return text
        return text
