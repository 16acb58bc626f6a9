"""Checks of the input of the beheer use cases: each returns the cleaned value or raises a DomainError
with a Dutch message and the name of the field."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from keten.accounts.models import Role, Wijk
from keten.core.errors import DomainError


def clean_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Vul %(label)s in.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise DomainError(
            _("%(label)s is maximaal %(n)d tekens.") % {"label": label.capitalize(), "n": max_length}, field=field
        )
    return value


def clean_email(value: str, *, field: str = "email", required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise DomainError(_("Vul het e-mailadres in."), field=field)
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise DomainError(_("Vul een geldig e-mailadres in."), field=field) from exc
    if len(value) > 254:
        raise DomainError(_("Het e-mailadres is te lang."), field=field)
    return value


def clean_phone(value: str, *, field: str = "phone") -> str:
    value = (value or "").strip()
    if len(value) > 40:
        raise DomainError(_("Het telefoonnummer is maximaal 40 tekens."), field=field)
    if value and not all(c.isdigit() or c in " +-()" for c in value):
        raise DomainError(
            _("Een telefoonnummer bestaat uit cijfers, spaties en de tekens + - ( )."),
            field=field,
        )
    return value


def wijken_of(municipality_id: int, wijk_ids: Iterable[int], *, field: str = "wijken") -> list[Wijk]:
    ids = set(wijk_ids)
    wijken = list(Wijk.objects.filter(pk__in=ids, municipality_id=municipality_id))
    if len(wijken) != len(ids):
        raise DomainError(_("Kies alleen wijken van uw eigen gemeente."), field=field)
    return wijken


def clean_role(value: str, *, field: str = "role") -> str:
    if value not in Role.values:
        raise DomainError(_("Kies een geldige rol."), field=field)
    return value
