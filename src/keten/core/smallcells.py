"""Small-cell suppression for every figures page, export and API answer of municipal counts.

A count below :data:`SMALL_CELL` could point to one family, so it is hidden (``None`` in the API,
:data:`HIDDEN_MARK` on pages and in CSV files) — zero included, because a hidden zero next to a
hidden three would otherwise tell the three apart. That alone is not enough: when a table also
shows the total its cells add up to, one hidden cell follows by subtraction (total 8, shown 6, so
the hidden one is 2). :func:`suppress` therefore also hides a *complementary* cell: in every group
of cells that add up to a shown total where exactly one cell is hidden, the next-smallest shown cell
of that group is hidden too (a part before its total), and this repeats until no group has exactly
one hidden cell — hiding a cell in a column can leave a single hidden cell in a row, and so on.

A group lists the shown cells of one sum: its parts, then the total they add up to (a row of a table
with its row total, a column with the totals row, the steps of a process with the number of open
cases). Name a group only when the parts really add up to the shown total, or nearly always do
(the dossiers per organisation type can count a dossier twice, but mostly do not); parts that are
never shown protect a group by themselves and need no group.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

#: Counts below this are never shown.
SMALL_CELL = 5
#: How a hidden count is shown on pages and in CSV files. Deliberately not "< 5": a complementary
#: cell can be larger, and one mark for both does not tell which hidden cell is the small one.
HIDDEN_MARK = "x"

K = TypeVar("K", bound=Hashable)


def hide_small(n: int) -> int | None:
    """``n``, or None when it is below :data:`SMALL_CELL` (a single count that is part of no sum)."""
    return n if n >= SMALL_CELL else None


def suppress(counts: Mapping[K, int], groups: Iterable[Sequence[K]] = ()) -> dict[K, int | None]:
    """Every count, or None where hidden: small counts, plus complements so none can be derived."""
    hidden = {key for key, n in counts.items() if n < SMALL_CELL}
    group_list = [list(dict.fromkeys(group)) for group in groups]
    changed = True
    while changed:
        changed = False
        for group in group_list:
            if sum(key in hidden for key in group) != 1:
                continue
            shown = [(counts[key], index, key) for index, key in enumerate(group) if key not in hidden]
            if not shown:
                continue
            _value, _index, key = min(shown, key=lambda item: (item[0], item[1]))
            hidden.add(key)
            changed = True
    return {key: (None if key in hidden else n) for key, n in counts.items()}
