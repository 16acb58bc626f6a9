"""Helpers for files Keten exports (CSV, XLSX)."""

from __future__ import annotations

#: Cell starts a spreadsheet program would run as a formula (or that hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with a quote, so it stays text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
