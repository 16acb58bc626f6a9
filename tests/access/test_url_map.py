"""The URL map in docs/urls.md is generated from the URL configuration, not written by hand."""

from __future__ import annotations

from pathlib import Path

from keten.testing.route_matrix.urlmap import DOC_PATH, routes, updated_document

ROOT = Path(__file__).resolve().parents[2]


def test_urls_md_holds_the_current_url_map() -> None:
    text = (ROOT / DOC_PATH).read_text(encoding="utf-8")
    assert text == updated_document(text), "docs/urls.md is out of date: run `make docs-tables`"


def test_every_route_declares_its_access() -> None:
    undeclared = [(url, view) for url, _name, view, access in routes() if access == "(library view)"]
    # Django's language switch and the OpenAPI schema are library views routed as they are.
    assert all("django.views.i18n" in view or "drf_spectacular" in view for _url, view in undeclared), undeclared
