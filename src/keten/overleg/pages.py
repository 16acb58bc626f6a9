"""What the pages of every part of the overleg share: their gates and the acting professional.

The gates (see ``keten.overleg.rules``): the overleg pages at all (acting in a role), and the pages
that show or record cases (a case role); which case, meeting or agreement is asked of the object rules
with ``check`` once it is loaded. Pages load through the selectors and call the services through
``keten.core.pages``: bad input re-renders the page with Dutch messages next to the fields (422; a
concurrent change 409) and nothing is written; objects the actor may not see answer 404; every
successful write redirects (POST-redirect-GET) with a message.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from keten.core.actor import Actor, actor_from_request
from keten.core.pages import Outcome

USE = "overleg.use"
CASES = "overleg.work_on_cases"


def acting(request: HttpRequest) -> Actor:
    """The acting professional; the view's ``requires`` has asked the policy already (a role)."""
    actor = actor_from_request(request)
    assert actor.user is not None
    return actor


def conflict_message(outcome: Outcome[Any]) -> str:
    """The message above the form after a concurrent change (409); a refusal shows next to its field."""
    return outcome.error if outcome.conflict else ""


def safe_next(request: HttpRequest, default: str) -> str:
    """The overleg page to return to (the posted ``next``), if it is one; ``default`` otherwise."""
    target = request.POST.get("next", "")
    if target.startswith("/overleg/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
