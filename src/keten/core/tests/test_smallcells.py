"""Small-cell suppression shared by every figures page: primary and complementary."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from keten.core.smallcells import SMALL_CELL, hide_small, suppress


def test_counts_under_the_threshold_are_hidden() -> None:
    assert SMALL_CELL == 5
    assert [hide_small(n) for n in (0, 1, 4, 5, 17)] == [None, None, None, 5, 17]
    assert suppress({"a": 7, "b": 3, "c": 0}) == {"a": 7, "b": None, "c": None}


def test_one_hidden_cell_in_a_group_hides_the_next_smallest() -> None:
    counts = {"noord": 7, "zuid": 6, "west": 2, "total": 15}
    # 15 - 7 - 6 would give away west's 2: zuid (the next smallest) goes as well.
    assert suppress(counts, [["noord", "zuid", "west", "total"]]) == {
        "noord": 7,
        "zuid": None,
        "west": None,
        "total": 15,
    }


def test_a_group_with_two_hidden_cells_needs_nothing_more() -> None:
    counts = {"a": 7, "b": 3, "c": 2, "total": 12}
    assert suppress(counts, [["a", "b", "c", "total"]]) == {"a": 7, "b": None, "c": None, "total": 12}


def test_a_single_part_and_its_total_are_hidden_together() -> None:
    assert suppress({"only": 3, "total": 3}, [["only", "total"]]) == {"only": None, "total": None}
    assert suppress({"a": 9, "b": 1, "total": 10}, [["a", "b", "total"]]) == {"a": None, "b": None, "total": 10}


def test_ties_hide_a_part_before_the_total() -> None:
    assert suppress({"a": 5, "b": 0, "total": 5}, [["a", "b", "total"]]) == {"a": None, "b": None, "total": 5}


def test_complements_spread_through_rows_and_columns_until_no_group_has_one_hidden_cell() -> None:
    counts = {"x11": 10, "x12": 3, "r1": 13, "x21": 8, "x22": 9, "r2": 17, "c1": 18, "c2": 12, "all": 30}
    groups = [
        ["x11", "x12", "r1"],
        ["x21", "x22", "r2"],
        ["x11", "x21", "c1"],
        ["x12", "x22", "c2"],
        ["r1", "r2", "all"],
        ["c1", "c2", "all"],
    ]
    result = suppress(counts, groups)
    assert {k for k, v in result.items() if v is None} == {"x11", "x12", "x21", "x22"}
    assert result["all"] == 30


@given(rows=st.lists(st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=4), min_size=2, max_size=4))
def test_no_group_ever_ends_with_exactly_one_hidden_cell(rows: list[list[int]]) -> None:
    width = min(len(r) for r in rows)
    counts: dict[tuple[str, int, int], int] = {}
    groups = []
    for i, row in enumerate(rows):
        for j in range(width):
            counts[("cell", i, j)] = row[j]
        counts[("row", i, 0)] = sum(row[:width])
        groups.append([("cell", i, j) for j in range(width)] + [("row", i, 0)])
    for j in range(width):
        counts[("col", 0, j)] = sum(r[j] for r in rows)
        groups.append([("cell", i, j) for i in range(len(rows))] + [("col", 0, j)])
    result = suppress(counts, groups)
    for group in groups:
        assert sum(result[k] is None for k in group) != 1
    for key, value in result.items():
        assert value is None or (value == counts[key] and value >= SMALL_CELL)
    for key in itertools.chain.from_iterable(groups):
        if counts[key] < SMALL_CELL:
            assert result[key] is None
