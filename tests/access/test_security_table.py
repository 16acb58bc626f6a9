"""The table "who may do what" in docs/security.md is the route matrix, not a text written by hand."""

from __future__ import annotations

from pathlib import Path

from keten.testing.route_matrix.docs import DOC_PATH, updated_document

ROOT = Path(__file__).resolve().parents[2]


def test_security_md_holds_the_current_route_matrix() -> None:
    text = (ROOT / DOC_PATH).read_text(encoding="utf-8")
    assert text == updated_document(text), "docs/security.md is out of date: run `make security-table`"
