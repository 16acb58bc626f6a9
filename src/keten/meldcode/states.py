"""The allowed status transitions of a meldcode-traject, in one table.

Within ``open`` the professional moves freely between the five steps (they overlap in practice);
the decision moves the traject to help, a melding, both, or closed. A closed traject takes no new
entries: a new worry starts a new traject.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from keten.core.errors import DomainError
from keten.meldcode.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.OPEN: frozenset({Status.HULP, Status.GEMELD, Status.GEMELD_EN_HULP, Status.AFGESLOTEN}),
    # Afweging 5 at the evaluation: close the help, or (re)report.
    Status.HULP: frozenset({Status.GEMELD, Status.GEMELD_EN_HULP, Status.AFGESLOTEN}),
    # After the feedback of Veilig Thuis: help goes on locally, or the traject ends.
    Status.GEMELD: frozenset({Status.GEMELD_EN_HULP, Status.HULP, Status.AFGESLOTEN}),
    Status.GEMELD_EN_HULP: frozenset({Status.HULP, Status.AFGESLOTEN}),
    Status.AFGESLOTEN: frozenset(),
}


def check_transition(current: str, new: str) -> None:
    """DomainError when a traject may not go from ``current`` to ``new``."""
    if current == Status.AFGESLOTEN:
        raise DomainError(
            _("Dit traject is afgesloten en kan niet meer worden aangevuld. Start zo nodig een nieuw traject.")
        )
    if new not in TRANSITIONS[current]:
        raise DomainError(
            _("Een traject met status ‘%(current)s’ kan niet naar ‘%(new)s’.")
            % {"current": Status(current).label, "new": Status(new).label}
        )
