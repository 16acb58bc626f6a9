from __future__ import annotations

from typing import Any

from keten.core.localcache import ProcessCache, clear_all


def test_builds_once_and_hands_out_copies() -> None:
    store = ProcessCache(maxsize=2)
    built: list[int] = []

    def build() -> dict[str, Any]:
        built.append(1)
        return {"entries": [1, 2]}

    first = store.get_or_set("a", build)
    first["entries"].append(3)  # a reader changing its copy
    second = store.get_or_set("a", build)
    assert second == {"entries": [1, 2]}
    assert len(built) == 1


def test_oldest_key_falls_out_and_clear_all_empties() -> None:
    store = ProcessCache(maxsize=2)
    for key in ("a", "b", "c"):
        store.get_or_set(key, lambda key=key: key)
    assert len(store) == 2
    assert store.get_or_set("a", lambda: "rebuilt") == "rebuilt"
    clear_all()
    assert len(store) == 0
