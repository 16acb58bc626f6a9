"""Every path through the afwegingskader, and the decisions each outcome allows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keten.meldcode.afwegingskader.tree import Decision, Meldnorm, Outcome, allowed_decisions, evaluate

T, F = True, False

# (answers, outcome, meldnorm, next question)
PATHS = [
    ({}, Outcome.ONVOLLEDIG, None, 1),
    ({1: F}, Outcome.AFSLUITEN, None, None),
    ({1: T}, Outcome.ONVOLLEDIG, None, 2),
    # Acute or structural unsafety: report; 3–5 may follow together with Veilig Thuis.
    ({1: T, 2: T}, Outcome.MELDEN, Meldnorm.ONVEILIGHEID, 3),
    ({1: T, 2: T, 3: F}, Outcome.MELDEN, Meldnorm.ONVEILIGHEID, None),
    ({1: T, 2: T, 3: T}, Outcome.MELDEN, Meldnorm.ONVEILIGHEID, 4),
    ({1: T, 2: T, 3: T, 4: F}, Outcome.MELDEN, Meldnorm.ONVEILIGHEID, None),
    ({1: T, 2: T, 3: T, 4: T}, Outcome.MELDEN, Meldnorm.ONVEILIGHEID, 5),
    ({1: T, 2: T, 3: T, 4: T, 5: T}, Outcome.HULP_AFSLUITEN, Meldnorm.ONVEILIGHEID, None),
    ({1: T, 2: T, 3: T, 4: T, 5: F}, Outcome.HERMELDEN, Meldnorm.ONVEILIGHEID, None),
    # No acute or structural unsafety.
    ({1: T, 2: F}, Outcome.ONVOLLEDIG, None, 3),
    ({1: T, 2: F, 3: F}, Outcome.MELDEN, Meldnorm.GEEN_HULP_MOGELIJK, None),
    ({1: T, 2: F, 3: T}, Outcome.ONVOLLEDIG, None, 4),
    ({1: T, 2: F, 3: T, 4: F}, Outcome.MELDEN, Meldnorm.HULP_NIET_AANVAARD, None),
    ({1: T, 2: F, 3: T, 4: T}, Outcome.HULP, None, 5),
    ({1: T, 2: F, 3: T, 4: T, 5: T}, Outcome.HULP_AFSLUITEN, None, None),
    ({1: T, 2: F, 3: T, 4: T, 5: F}, Outcome.HERMELDEN, Meldnorm.ONVEILIGHEID_STOPT_NIET, None),
]


@pytest.mark.parametrize(("answers", "outcome", "meldnorm", "next_question"), PATHS)
def test_every_path(
    answers: dict[int, bool], outcome: Outcome, meldnorm: Meldnorm | None, next_question: int | None
) -> None:
    result = evaluate(answers)
    assert result.outcome is outcome
    assert result.meldnorm is meldnorm
    assert result.next_question == next_question
    assert result.path == tuple(sorted(answers))
    assert result.unreachable == ()
    assert result.requires_melding is (meldnorm is not None)
    assert str(result.next_step)
    if meldnorm is not None:
        assert "Meldnorm" in str(result.meldnorm_text)


def test_paths_cover_every_branch() -> None:
    """Each afweging is answered yes and no somewhere in the table above."""
    seen = {(n, a) for answers, *_ in PATHS for n, a in answers.items()}
    assert seen == {(n, a) for n in range(1, 6) for a in (True, False)}


def test_answers_the_tree_does_not_reach_are_reported() -> None:
    result = evaluate({1: F, 2: T, 3: T})
    assert result.outcome is Outcome.AFSLUITEN
    assert result.unreachable == (2, 3)
    assert evaluate({1: T, 2: F, 3: F, 4: T}).unreachable == (4,)
    # Skipping an afweging: 2 unanswered, so 3 is not on the path.
    skipped = evaluate({1: T, 3: T})
    assert skipped.next_question == 2
    assert skipped.unreachable == (3,)


def test_unknown_afweging_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown"):
        evaluate({6: True})


@pytest.mark.parametrize(
    ("answers", "allowed"),
    [
        ({}, set()),
        ({1: T}, set()),
        ({1: F}, {Decision.AFSLUITEN}),
        ({1: T, 2: T}, {Decision.MELDEN, Decision.MELDEN_EN_HULP}),
        ({1: T, 2: F, 3: F}, {Decision.MELDEN, Decision.MELDEN_EN_HULP}),
        ({1: T, 2: F, 3: T, 4: F}, {Decision.MELDEN, Decision.MELDEN_EN_HULP}),
        ({1: T, 2: F, 3: T, 4: T}, {Decision.HULP, Decision.MELDEN, Decision.MELDEN_EN_HULP}),
        ({1: T, 2: F, 3: T, 4: T, 5: T}, set(Decision)),
        ({1: T, 2: F, 3: T, 4: T, 5: F}, {Decision.MELDEN, Decision.MELDEN_EN_HULP}),
        ({1: T, 2: T, 3: T, 4: T}, {Decision.MELDEN, Decision.MELDEN_EN_HULP}),
    ],
)
def test_allowed_decisions(answers: dict[int, bool], allowed: set[Decision]) -> None:
    assert set(allowed_decisions(evaluate(answers))) == allowed


def test_a_meldnorm_never_allows_closing_or_help_alone() -> None:
    for n in range(6):
        for values in itertools.product([True, False], repeat=n):
            result = evaluate(dict(zip(range(1, n + 1), values, strict=True)))
            if result.requires_melding and result.outcome is not Outcome.HULP_AFSLUITEN:
                assert Decision.AFSLUITEN not in allowed_decisions(result)
                assert Decision.HULP not in allowed_decisions(result)


@given(st.dictionaries(st.integers(min_value=1, max_value=5), st.booleans()))
def test_evaluation_is_consistent(answers: dict[int, bool]) -> None:
    result = evaluate(answers)
    # The path starts at 1 and only holds answered afwegingen; the rest is unreachable.
    assert set(result.path) | set(result.unreachable) == set(answers)
    assert not set(result.path) & set(result.unreachable)
    if result.path:
        assert result.path[0] == 1
    assert result.next_question is None or result.next_question not in answers
