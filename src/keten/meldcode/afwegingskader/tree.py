"""The afwegingskader of the Meldcode (since 2019) as data plus one evaluation function.

Five afwegingen, each answered yes or no, in a fixed order. Every answer either leads to the next
afweging or to an outcome; three outcomes carry a meldnorm (the professional norm to report to
Veilig Thuis). The tree is data (``AFWEGINGEN``); :func:`evaluate` walks it for a set of answers and
tells which afweging comes next, which outcome applies and which answers are not allowed because
the tree does not reach them.

The tree (yes → / no →):

1. vermoeden                 yes → 2            no → close (AFSLUITEN)
2. acute/structurele onveiligheid
                             yes → report (MELDEN, norm 1); 3–5 are then answered together with
                                   Veilig Thuis and may still be recorded
                             no  → 3
3. zelf hulp bieden/organiseren
                             yes → 4            no → report (MELDEN, norm 2)
4. aanvaarden van hulp       yes → help (HULP), 5 at the evaluation
                             no  → report (MELDEN, norm 2: help cannot be organised)
5. gewenst resultaat         yes → close the help with follow-up agreements (HULP_AFSLUITEN)
                             no  → (re)report (HERMELDEN, norm 3)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Outcome(StrEnum):
    """Where the tree ends up for a set of answers."""

    ONVOLLEDIG = "onvolledig"  # the next afweging still has to be answered
    AFSLUITEN = "afsluiten"  # no suspicion left: close the meldcode and record it
    MELDEN = "melden"  # report to Veilig Thuis
    HULP = "hulp"  # give or organise help; afweging 5 at the evaluation
    HULP_AFSLUITEN = "hulp_afsluiten"  # help worked: close it with follow-up agreements
    HERMELDEN = "hermelden"  # help did not make it safe: (re)report


class Meldnorm(StrEnum):
    ONVEILIGHEID = "onveiligheid"
    GEEN_HULP_MOGELIJK = "geen_hulp_mogelijk"
    HULP_NIET_AANVAARD = "hulp_niet_aanvaard"
    ONVEILIGHEID_STOPT_NIET = "onveiligheid_stopt_niet"


MELDNORM_TEXT: dict[Meldnorm, Promise] = {
    Meldnorm.ONVEILIGHEID: _(
        "Meldnorm 1: er is acute of structurele onveiligheid. Melden bij Veilig Thuis is dan altijd de norm."
    ),
    Meldnorm.GEEN_HULP_MOGELIJK: _(
        "Meldnorm 2: u kunt zelf niet genoeg hulp bieden of organiseren om het geweld te stoppen. "
        "Meld bij Veilig Thuis."
    ),
    Meldnorm.HULP_NIET_AANVAARD: _(
        "Meldnorm 2: de betrokkenen nemen de hulp niet aan of werken er niet aan mee, dus u kunt geen "
        "effectieve hulp organiseren. Meld bij Veilig Thuis."
    ),
    Meldnorm.ONVEILIGHEID_STOPT_NIET: _(
        "Meldnorm 3: de onveiligheid stopt niet of komt terug ondanks de hulp. Meld (opnieuw) bij Veilig Thuis."
    ),
}

NEXT_STEP_TEXT: dict[Outcome, Promise] = {
    Outcome.ONVOLLEDIG: _("Beantwoord de volgende afweging."),
    Outcome.AFSLUITEN: _("Er is geen vermoeden meer. Sluit het traject af en leg vast waarom."),
    Outcome.MELDEN: _(
        "Doe een melding bij Veilig Thuis (0800-2000). Bespreek dat vooraf met de betrokkenen, "
        "tenzij dat de veiligheid in gevaar brengt."
    ),
    Outcome.HULP: _(
        "Bied of organiseer hulp. Leg de afspraken en een evaluatiedatum vast; beantwoord afweging 5 bij de evaluatie."
    ),
    Outcome.HULP_AFSLUITEN: _(
        "De hulp heeft het gewenste resultaat. Sluit af met afspraken over wie de veiligheid blijft volgen."
    ),
    Outcome.HERMELDEN: _("De hulp brengt niet de nodige veiligheid. Meld (opnieuw) bij Veilig Thuis."),
}


@dataclass(frozen=True)
class Branch:
    """Where one answer leads: to another afweging, or to an outcome (with a meldnorm)."""

    next: int | None = None
    outcome: Outcome | None = None
    meldnorm: Meldnorm | None = None


@dataclass(frozen=True)
class Afweging:
    number: int
    name: Promise
    question: Promise
    yes: Branch
    no: Branch


AFWEGINGEN: dict[int, Afweging] = {
    1: Afweging(
        1,
        _("Vermoeden"),
        _(
            "Heeft u op basis van de eerdere stappen (nog steeds) een vermoeden van huiselijk geweld "
            "of kindermishandeling?"
        ),
        yes=Branch(next=2),
        no=Branch(outcome=Outcome.AFSLUITEN),
    ),
    2: Afweging(
        2,
        _("Acute of structurele onveiligheid"),
        _("Is er volgens u sprake van acute en/of structurele onveiligheid?"),
        yes=Branch(next=3, outcome=Outcome.MELDEN, meldnorm=Meldnorm.ONVEILIGHEID),
        no=Branch(next=3),
    ),
    3: Afweging(
        3,
        _("Zelf hulp bieden of organiseren"),
        _("Kunt u effectieve hulp bieden of organiseren om (toekomstig) geweld of mishandeling te voorkomen?"),
        yes=Branch(next=4),
        no=Branch(outcome=Outcome.MELDEN, meldnorm=Meldnorm.GEEN_HULP_MOGELIJK),
    ),
    4: Afweging(
        4,
        _("Aanvaarden van hulp"),
        _("Aanvaarden de betrokkenen de hulp en zetten zij zich er voor in?"),
        yes=Branch(next=5, outcome=Outcome.HULP),
        no=Branch(outcome=Outcome.MELDEN, meldnorm=Meldnorm.HULP_NIET_AANVAARD),
    ),
    5: Afweging(
        5,
        _("Gewenst resultaat"),
        _(
            "Leidt de hulp binnen de afgesproken tijd tot het nodige resultaat voor de veiligheid en het "
            "welzijn (herstel) van alle betrokkenen?"
        ),
        yes=Branch(outcome=Outcome.HULP_AFSLUITEN),
        no=Branch(outcome=Outcome.HERMELDEN, meldnorm=Meldnorm.ONVEILIGHEID_STOPT_NIET),
    ),
}


@dataclass(frozen=True)
class Evaluation:
    """The state of the tree for a set of answers."""

    outcome: Outcome
    meldnorm: Meldnorm | None
    #: The afweging to answer next (None when the tree is finished).
    next_question: int | None
    #: The afwegingen the answers walked through, in order.
    path: tuple[int, ...]
    #: Answered afwegingen the tree does not reach with these answers.
    unreachable: tuple[int, ...] = field(default=())
    #: True when afwegingen 3–5 are answered together with Veilig Thuis (after meldnorm 1).
    with_veilig_thuis: bool = False

    @property
    def requires_melding(self) -> bool:
        return self.meldnorm is not None

    @property
    def next_step(self) -> Promise:
        return NEXT_STEP_TEXT[self.outcome]

    @property
    def meldnorm_text(self) -> Promise | None:
        return MELDNORM_TEXT[self.meldnorm] if self.meldnorm else None


def evaluate(answers: Mapping[int, bool]) -> Evaluation:
    """Walk the tree from afweging 1 with the given answers (afweging number → yes/no).

    The first meldnorm met along the path stays: once afweging 2 says "acute or structural
    unsafety", later answers (given together with Veilig Thuis) do not take the duty to report away.
    """
    unknown = sorted(set(answers) - set(AFWEGINGEN))
    if unknown:
        raise ValueError(f"unknown afweging(en): {unknown}")
    path: list[int] = []
    outcome = Outcome.ONVOLLEDIG
    meldnorm: Meldnorm | None = None
    current: int | None = 1
    while current is not None and current in answers:
        path.append(current)
        branch = AFWEGINGEN[current].yes if answers[current] else AFWEGINGEN[current].no
        if meldnorm is None:
            meldnorm = branch.meldnorm
        if branch.outcome is not None:
            outcome = branch.outcome
        current = branch.next
    with_vt = meldnorm is Meldnorm.ONVEILIGHEID
    if with_vt and outcome is Outcome.HULP:
        # Help was found together with Veilig Thuis, but the melding itself is still the norm.
        outcome = Outcome.MELDEN
    return Evaluation(
        outcome=outcome,
        meldnorm=meldnorm,
        next_question=current,
        path=tuple(path),
        unreachable=tuple(sorted(n for n in answers if n not in path)),
        with_veilig_thuis=with_vt,
    )


class Decision(StrEnum):
    """What the professional decides at the end of the afwegingen."""

    AFSLUITEN = "afsluiten"
    HULP = "hulp"
    MELDEN = "melden"
    MELDEN_EN_HULP = "melden_en_hulp"


def allowed_decisions(evaluation: Evaluation) -> frozenset[Decision]:
    """Decisions that agree with the tree. A melding is a right, so reporting is never refused."""
    if evaluation.outcome is Outcome.ONVOLLEDIG:
        # The tree is not finished, but where a meldnorm is already met a melding can be made now.
        return frozenset({Decision.MELDEN, Decision.MELDEN_EN_HULP}) if evaluation.requires_melding else frozenset()
    if evaluation.outcome is Outcome.AFSLUITEN:
        return frozenset({Decision.AFSLUITEN})
    if evaluation.outcome is Outcome.HULP:
        return frozenset({Decision.HULP, Decision.MELDEN, Decision.MELDEN_EN_HULP})
    if evaluation.outcome is Outcome.HULP_AFSLUITEN:
        return frozenset({Decision.AFSLUITEN, Decision.HULP, Decision.MELDEN, Decision.MELDEN_EN_HULP})
    return frozenset({Decision.MELDEN, Decision.MELDEN_EN_HULP})
