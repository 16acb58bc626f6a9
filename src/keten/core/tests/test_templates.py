"""Checks that hold for every page template of the project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


def _templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*.html") if "block title" in p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_page_title_is_plain_text(path: Path) -> None:
    """A <title> holds words only: no markup, no line breaks and no nested blocks from a bad edit."""
    for body in TITLE_BLOCK.findall(path.read_text(encoding="utf-8")):
        assert "<" not in body, f"markup in the title block of {path.name}"
        assert "\n" not in body, f"a line break in the title block of {path.name}"
        assert re.search(r"{%\s*block\s", body) is None


def test_templates_found() -> None:
    assert len(_templates()) > 20
