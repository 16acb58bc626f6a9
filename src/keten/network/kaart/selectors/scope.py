"""Which municipality a reader of the sociale kaart sees, and when an entry counts as outdated."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Municipality
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows

_CBS_CODE = re.compile(r"^(?:GM)?([0-9]{1,4})$", re.ASCII)


def kaart_municipality_id(actor: Actor) -> int:
    """The municipality of the actor's acting membership; NotFoundError for who may not see the sociale kaart."""
    if actor.user is None or actor.membership is None or not allows("network.view", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def api_municipality_id(actor: Actor) -> int:
    """The municipality an authenticated API caller reads; NotFoundError when it may not read the network.

    A professional reads the municipality of their acting membership; a system client needs the
    ``network:read`` scope and reads the municipality of its own organisation.
    """
    if not allows("network.read", actor):
        raise NotFoundError
    if actor.api_client is not None:
        return actor.api_client.organisation.municipality_id
    if actor.membership is None:
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def municipality_by_code(code: str) -> Municipality:
    """A municipality by its CBS code ("GM0363" or "0363"); NotFoundError when there is none."""
    match = _CBS_CODE.match(code.strip().upper())
    municipality = None
    if match is not None:
        municipality = Municipality.objects.filter(cbs_code=f"GM{match.group(1).zfill(4)}").first()
    if municipality is None:
        raise NotFoundError(_("Deze gemeente is niet bekend."))
    return municipality


def stale_before() -> datetime:
    """Entries confirmed before this moment are outdated."""
    return timezone.now() - timedelta(days=round(settings.KETEN_NETWORK_STALE_MONTHS * 30.44))
