"""Every path through the deelhulp."""

from __future__ import annotations

from typing import Any

import pytest

from keten.sharing.deelhulp import (
    CONFLICT_QUESTIONS,
    RULES_VERSION,
    Advice,
    Answers,
    Basis,
    Consent,
    InvalidAnswersError,
    Recipient,
    advise,
)

ALL_YES = {key: ok for key, _q, ok in CONFLICT_QUESTIONS}
CATS = frozenset({"signalen", "gezinssituatie"})


def answers(**overrides: Any) -> Answers:
    values: dict[str, Any] = {
        "recipient": Recipient.KETENPARTNER,
        "purpose": "Hulp afstemmen met de school",
        "categories": CATS,
        "needed": CATS,
    }
    values.update(overrides)
    return Answers(**values)


def test_school_without_consent_or_convenant_means_consult_first() -> None:
    result = advise(answers())
    assert result.advice is Advice.OVERLEGGEN
    assert result.basis is None
    assert "aandachtsfunctionaris" in str(result.text)


def test_convenant_that_covers_it_means_share_and_inform_the_parents() -> None:
    result = advise(answers(convenant_covers=True))
    assert result.advice is Advice.DELEN
    assert result.basis is Basis.CONVENANT
    assert "Informeer de ouders" in str(result.also[0])
    assert result.rules_version == RULES_VERSION


def test_valid_consent_is_the_basis() -> None:
    result = advise(answers(consent=Consent.GELDIG))
    assert (result.advice, result.basis) == (Advice.DELEN, Basis.TOESTEMMING)


def test_withdrawn_consent_does_not_count() -> None:
    result = advise(answers(consent=Consent.INGETROKKEN))
    assert result.advice is Advice.OVERLEGGEN
    assert any("ingetrokken" in str(r) for r in result.reasons)
    # ...but a convenant still can.
    assert advise(answers(consent=Consent.INGETROKKEN, convenant_covers=True)).basis is Basis.CONVENANT


def test_meldrecht_veilig_thuis_without_consent() -> None:
    result = advise(answers(recipient=Recipient.VEILIG_THUIS, about_violence=True))
    assert (result.advice, result.basis) == (Advice.DELEN, Basis.MELDRECHT_VEILIG_THUIS)
    assert "5.2.6" in str(result.basis_text)
    # Veilig Thuis for something that is not about violence: no meldrecht.
    assert advise(answers(recipient=Recipient.VEILIG_THUIS)).advice is Advice.OVERLEGGEN


def test_verwijsindex_holds_only_involvement() -> None:
    result = advise(answers(recipient=Recipient.VERWIJSINDEX, categories=frozenset({"betrokkenheid", "signalen"})))
    assert result.basis is Basis.MELDRECHT_VERWIJSINDEX
    assert result.advice is Advice.MINDER_DELEN
    assert result.leave_out == frozenset({"signalen"})
    only = advise(
        answers(
            recipient=Recipient.VERWIJSINDEX,
            categories=frozenset({"betrokkenheid", "contactgegevens"}),
            needed=frozenset({"betrokkenheid", "contactgegevens"}),
        )
    )
    assert only.advice is Advice.DELEN


def test_colleague_in_own_organisation() -> None:
    assert advise(answers(recipient=Recipient.COLLEGA)).basis is Basis.BEHANDELRELATIE


def test_conflict_van_plichten_all_five_point_to_sharing() -> None:
    result = advise(answers(conflict=ALL_YES))
    assert (result.advice, result.basis) == (Advice.DELEN, Basis.CONFLICT_VAN_PLICHTEN)
    assert any("aandachtsfunctionaris" in str(x) for x in result.also)


@pytest.mark.parametrize("key", [key for key, _q, _ok in CONFLICT_QUESTIONS])
def test_conflict_van_plichten_one_answer_against_means_do_not_share(key: str) -> None:
    conflict = dict(ALL_YES)
    conflict[key] = not conflict[key]
    result = advise(answers(conflict=conflict))
    assert result.advice is Advice.NIET_DELEN
    assert result.basis is None


def test_conflict_van_plichten_half_answered_means_consult() -> None:
    partial = dict(list(ALL_YES.items())[:3])
    assert advise(answers(conflict=partial)).advice is Advice.OVERLEGGEN


def test_share_less_when_not_all_categories_are_needed_or_less_is_enough() -> None:
    result = advise(answers(consent=Consent.GELDIG, needed=frozenset({"signalen"})))
    assert result.advice is Advice.MINDER_DELEN
    assert result.leave_out == frozenset({"gezinssituatie"})
    assert advise(answers(consent=Consent.GELDIG, less_is_enough=True)).advice is Advice.MINDER_DELEN


def test_informing_the_client() -> None:
    no_reason = advise(answers(consent=Consent.GELDIG, inform_client=False))
    assert "Niet informeren mag alleen" in str(no_reason.also[0])
    with_reason = advise(answers(consent=Consent.GELDIG, inform_client=False, not_informing_reason="veiligheid_kind"))
    assert "niet vooraf" in str(with_reason.also[0])
    assert "Leg de verstrekking vast" in str(with_reason.also[-1])


def test_bad_answers() -> None:
    with pytest.raises(InvalidAnswersError, match="doel"):
        advise(answers(purpose=" "))
    with pytest.raises(InvalidAnswersError, match="gegevens"):
        advise(answers(categories=frozenset()))
