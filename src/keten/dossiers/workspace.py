"""The dossier workspace's header: what every dossier page shows above its section.

The family's name, the dossier's number, status and regievoerder, the facts the sections add (for
example the open meldcode step, :func:`keten.dossiers.sections.header_facts`) and the open deadlines
(:mod:`keten.dossiers.deadlines`), of which the header shows the next one. One fixed set of queries,
whatever the size of the dossier and the number of dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass

from keten.core.actor import Actor
from keten.dossiers import deadlines
from keten.dossiers.deadlines import Deadline
from keten.dossiers.models import Dossier
from keten.dossiers.sections import HeaderFact, header_facts
from keten.dossiers.selectors import DossierPage


@dataclass(frozen=True)
class Header:
    dossier: Dossier
    on_team: bool
    facts: list[HeaderFact]
    deadlines: list[Deadline]

    @property
    def next_deadline(self) -> Deadline | None:
        return self.deadlines[0] if self.deadlines else None

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.deadlines if d.is_overdue)


def header_for(actor: Actor, page: DossierPage) -> Header:
    """The header of ``page``'s dossier (already read through the selector, which audited it)."""
    dossier = page.dossier
    return Header(
        dossier=dossier,
        on_team=page.on_team,
        facts=header_facts(actor, dossier),
        deadlines=deadlines.for_dossier(actor, dossier),
    )
