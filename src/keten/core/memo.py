"""Remembering answers of the policy while one page is read, so that each is asked of the database once.

A page that composes several apps (the start page, a dossier's timeline) asks the same questions
many times: is the actor on this dossier's case team, which dossiers may they see, are they the
regievoerder. Inside :func:`reading` a rule may keep its answer with :func:`remembered`; outside it
(every write, every service, every test that changes the case team between two questions) nothing
is kept and each question goes to the database as before. The block is opened by the read-only
views that need it, around the whole page build, and nothing is shared between requests or threads
(the answers live in a context variable of the block).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, Any] | None] = ContextVar("keten_memo", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """Keep the answers given by :func:`remembered` until the block ends (nested blocks join the outer one).

    Only for code that changes nothing the remembered answers depend on (case teams, grants,
    memberships): a read-only page.
    """
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def remembered(key: Hashable, answer: Callable[[], T]) -> T:
    """``answer()``, asked once per ``key`` inside :func:`reading` (every time outside it).

    The key names the rule and everything the answer depends on (the user, the object). Keep
    immutable answers only (a bool, a tuple, a frozenset): callers share the same object.
    """
    answers = _answers.get()
    if answers is None:
        return answer()
    if key not in answers:
        answers[key] = answer()
    return answers[key]  # type: ignore[no-any-return]


def active() -> bool:
    """Whether answers are kept now (inside :func:`reading`)."""
    return _answers.get() is not None


def recall(key: Hashable) -> Any:
    """The answer kept under ``key`` inside :func:`reading`, or None (outside it, or not asked yet)."""
    answers = _answers.get()
    return None if answers is None else answers.get(key)


def keep(key: Hashable, answer: Any) -> None:
    """Keep an answer found while answering another question (inside :func:`reading`; else nothing)."""
    answers = _answers.get()
    if answers is not None:
        answers.setdefault(key, answer)
