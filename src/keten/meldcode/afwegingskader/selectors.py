"""Where a traject stands in the afwegingskader: the answers that count, and the tree's evaluation of them."""

from __future__ import annotations

from keten.meldcode.afwegingskader import tree
from keten.meldcode.models import Entry, EntryKind, Traject
from keten.meldcode.record.selectors import timeline


def afweging_answers(entries: list[Entry]) -> dict[int, bool]:
    """The answers that count in the tree, replaying the afweging entries in order.

    Answering an afweging again replaces that answer and drops the answers after it (they were
    given on a path that no longer holds); a corrected afweging entry does not count at all.
    """
    answers: dict[int, bool] = {}
    for entry in entries:
        if entry.kind != EntryKind.AFWEGING or getattr(entry, "is_corrected", False):
            continue
        number = int(entry.data["number"])
        answers = {k: v for k, v in answers.items() if k < number}
        answers[number] = bool(entry.data["answer"])
    return answers


def evaluation(traject: Traject, entries: list[Entry] | None = None) -> tree.Evaluation:
    return tree.evaluate(afweging_answers(entries if entries is not None else timeline(traject)))
