"""Who may import and export the sociale kaart, and for which municipality."""

from __future__ import annotations

from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows


def import_municipality_id(actor: Actor) -> int:
    """The municipality a functioneel beheerder of the gemeente organisation manages; else NotFoundError."""
    if actor.user is None or actor.membership is None or not allows("network.import", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def may_import(actor: Actor) -> bool:
    try:
        import_municipality_id(actor)
    except NotFoundError:
        return False
    return True
