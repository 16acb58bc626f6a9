"""BSN elfproef, blind indexes and pseudonyms."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from keten.core.crypto import (
    bsn_index,
    is_valid_bsn,
    mask_bsn,
    name_birth_index,
    new_pseudonym,
    normalise_bsn,
    validate_bsn,
)
from keten.testing.factories import TEST_BSNS


def _elfproef(digits: str) -> bool:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


@pytest.mark.parametrize("bsn", TEST_BSNS)
def test_published_test_bsns_pass(bsn):
    assert is_valid_bsn(bsn)
    validate_bsn(bsn)


@pytest.mark.parametrize("bad", ["999994668", "123456789", "12345", "abcdefghi", "9999946690", "000000000"])
def test_invalid_bsns_are_refused_with_dutch_message(bad):
    assert not is_valid_bsn(bad)
    with pytest.raises(ValidationError) as info:
        validate_bsn(bad)
    assert "BSN" in str(info.value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_is_valid_bsn_matches_the_elfproef(digits):
    assert is_valid_bsn(digits) == (_elfproef(digits) and digits != "000000000")


def test_eight_digit_bsn_gets_leading_zero():
    assert normalise_bsn("12345678") == "012345678"


def test_blind_index_is_keyed_and_stable(settings):
    first = bsn_index("999994669")
    assert first == bsn_index("9999 94669")
    assert "999994669" not in first
    settings.KETEN_PSEUDONYM_KEY = "another-key"
    assert bsn_index("999994669") != first


def test_name_birth_index_ignores_case_accents_and_spacing():
    dob = date(2015, 3, 4)
    assert name_birth_index("Zoë", "van  Dijk", dob) == name_birth_index("zoe", "Van Dijk", dob)
    assert name_birth_index("Zoë", "van Dijk", dob) != name_birth_index("Zoë", "van Dijk", date(2015, 3, 5))


def test_pseudonyms_are_random_and_prefixed():
    values = {new_pseudonym("G") for _ in range(200)}
    assert len(values) == 200
    assert all(v.startswith("G-") and len(v) == 12 for v in values)


def test_mask_shows_only_last_four():
    assert mask_bsn("999994669") == "•••••4669"
