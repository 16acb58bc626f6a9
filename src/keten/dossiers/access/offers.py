"""The offer to ask for access: the dossiers a duplicate check found stay on the server (in the
session), and the page gets only a random token that the access request form posts back."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence

from django.http import HttpRequest

OFFER_SESSION_KEY = "keten_access_offers"
OFFER_SECONDS = 30 * 60
OFFERS_KEPT = 10


def remember_offer(request: HttpRequest, dossier_ids: Sequence[int]) -> str:
    """Keep the dossiers a duplicate check found on the server; the page only gets a random token."""
    now = int(time.time())
    offers = {
        token: offer
        for token, offer in request.session.get(OFFER_SESSION_KEY, {}).items()
        if offer["at"] > now - OFFER_SECONDS
    }
    token = secrets.token_urlsafe(16)
    offers[token] = {"dossiers": [int(pk) for pk in dossier_ids], "at": now}
    request.session[OFFER_SESSION_KEY] = dict(sorted(offers.items(), key=lambda kv: kv[1]["at"])[-OFFERS_KEPT:])
    return token


def take_offer(request: HttpRequest, token: str) -> list[int]:
    offers = request.session.get(OFFER_SESSION_KEY, {})
    offer = offers.get(token)
    if offer is None or offer["at"] <= int(time.time()) - OFFER_SECONDS:
        return []
    return [int(pk) for pk in offer["dossiers"]]


def drop_offer(request: HttpRequest, token: str) -> None:
    offers = dict(request.session.get(OFFER_SESSION_KEY, {}))
    offers.pop(token, None)
    request.session[OFFER_SESSION_KEY] = offers
