from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from keten.core.paths import pk_path


@pytest.mark.parametrize("name", ["overleg:agreement", "overleg:item", "overleg:registration", "overleg:meeting"])
def test_pk_path_gives_what_reverse_gives(name: str) -> None:
    path = pk_path(name)
    for pk in (1, 42, 918273645, 10**12):
        assert path(pk) == reverse(name, args=[pk])


def test_pk_path_refuses_a_pattern_without_one_key() -> None:
    pk_path.cache_clear()
    with pytest.raises(NoReverseMatch):
        pk_path("overleg:index")
