"""Where each of the five steps of a traject stands, for its pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from keten.meldcode.afwegingskader import tree
from keten.meldcode.afwegingskader.selectors import afweging_answers
from keten.meldcode.models import Entry, EntryKind, Traject


@dataclass(frozen=True)
class StepProgress:
    number: int
    label: str
    done: bool
    missing: list[str]


def progress(traject: Traject, entries: list[Entry]) -> list[StepProgress]:
    """Per step: whether it has entries and what is still missing (in Dutch)."""
    kinds = {e.kind for e in entries if not getattr(e, "is_corrected", False)}
    answers = afweging_answers(entries)
    ev = tree.evaluate(answers)
    step1 = bool(kinds & {EntryKind.SIGNAAL, EntryKind.OBSERVATIE, EntryKind.KINDCHECK})
    step2 = bool(kinds & {EntryKind.CONSULTATIEADVIES, EntryKind.ADVIES_VEILIG_THUIS, EntryKind.DESKUNDIGE})
    step3 = bool(kinds & {EntryKind.GESPREK, EntryKind.GEEN_GESPREK})
    weging_done = ev.outcome is not tree.Outcome.ONVOLLEDIG
    decided = EntryKind.BESLUIT in kinds
    result: list[StepProgress] = []
    labels = {
        1: _("Signalen in kaart brengen"),
        2: _("Collegiale consultatie"),
        3: _("Gesprek met de betrokkenen"),
        4: _("Wegen"),
        5: _("Beslissen"),
    }
    missing: dict[int, list[str]] = {n: [] for n in range(1, 6)}
    if not step1:
        missing[1].append(_("Leg minstens één signaal of observatie vast."))
    if not step2:
        if EntryKind.CONSULTATIEVRAAG in kinds:
            missing[2].append(_("Het advies op de consultatievraag is nog niet gegeven."))
        else:
            missing[2].append(_("Vraag een collega, de aandachtsfunctionaris of Veilig Thuis om advies."))
    if not step3:
        missing[3].append(_("Leg het gesprek vast, of waarom het niet heeft plaatsgevonden."))
    afweging_step = traject.afwegingen_step
    if not weging_done:
        missing[afweging_step].append(_("Beantwoord de afwegingen van het afwegingskader."))
    if not decided:
        missing[5].append(_("Leg het besluit vast."))
    done_flags = {
        1: step1,
        2: step2,
        3: step3,
        4: weging_done if afweging_step == 4 else bool(kinds & {EntryKind.AFWEGING}) or weging_done,
        5: decided and (weging_done or afweging_step == 4),
    }
    for n in range(1, 6):
        result.append(StepProgress(n, str(labels[n]), done_flags[n] and not missing[n], missing[n]))
    return result
