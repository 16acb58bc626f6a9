"""Remembering the policy's answers while one page is read, and only then."""

from __future__ import annotations

from keten.core.memo import reading, remembered


def test_answers_are_asked_every_time_outside_a_page_and_once_per_key_inside_it() -> None:
    asked: list[str] = []

    def answer(key: str) -> bool:
        asked.append(key)
        return True

    assert remembered("a", lambda: answer("a"))
    assert remembered("a", lambda: answer("a"))
    assert asked == ["a", "a"]
    asked.clear()
    with reading():
        for _ in range(3):
            assert remembered("a", lambda: answer("a"))
            assert remembered("b", lambda: answer("b"))
        with reading():  # a nested block joins the outer one
            assert remembered("a", lambda: answer("a"))
    assert asked == ["a", "b"]
    asked.clear()
    with reading():  # a new page asks again
        remembered("a", lambda: answer("a"))
    remembered("a", lambda: answer("a"))
    assert asked == ["a", "a"]
