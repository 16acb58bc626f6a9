"""The shared list mechanism: parsing never fails, filters are validated, sorting is whitelisted with a
stable tie-breaker, paging clamps, and the template context keeps the other parameters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from keten.core import audit
from keten.core.listing import Filter, ListSpec, Page, Search, Sort, list_context, paginate
from keten.core.models import AuditAction, AuditEvent

SPEC = ListSpec(
    sorts=(
        Sort("tijd", "Tijdstip", ("occurred_at",)),
        Sort("actie", "Actie", ("action", "-object_type")),
    ),
    default_sort="-tijd",
    filters=(
        Filter("actie", "Actie", AuditAction.choices, lookup="action"),
        Filter("soort", "Soort", (("a", "A"), ("b", "B")), q=lambda v: Q(object_type=f"soort-{v}")),
    ),
    page_size=3,
)


def _params(qs: str) -> QueryDict:
    return QueryDict(qs)


def test_defaults_without_parameters() -> None:
    listing = SPEC.parse(_params(""))
    assert (listing.sort_key, listing.descending, listing.page) == ("tijd", True, 1)
    assert listing.values == {}
    assert listing.errors == {}
    assert not listing.is_filtered
    assert listing.ordering() == ["-occurred_at", "-pk"]


def test_a_valid_filter_is_kept_and_applied() -> None:
    listing = SPEC.parse(_params("actie=view&soort=b"))
    assert listing.values == {"actie": "view", "soort": "b"}
    assert listing.is_filtered
    sql = str(listing.filter(AuditEvent.objects.all()).query)
    assert "action" in sql
    assert "soort-b" in sql


@pytest.mark.parametrize("value", ["bestaat-niet", "VIEW ", "'; drop table", "x" * 500])
def test_a_bad_filter_value_is_dropped_with_a_dutch_message(value: str) -> None:
    listing = SPEC.parse({"actie": value, "soort": "a"})
    assert "actie" not in listing.values
    assert listing.values == {"soort": "a"}  # the other filter still applies
    assert listing.errors["actie"] == "Kies een van de mogelijkheden; er is niet gefilterd op actie."


def test_an_empty_filter_value_means_all() -> None:
    listing = SPEC.parse(_params("actie="))
    assert listing.values == {}
    assert listing.errors == {}


@pytest.mark.parametrize(
    ("raw", "key", "descending", "ordering"),
    [
        ("actie", "actie", False, ["action", "-object_type", "pk"]),
        ("-actie", "actie", True, ["-action", "object_type", "-pk"]),
        ("tijd", "tijd", False, ["occurred_at", "pk"]),
        ("password", "tijd", True, ["-occurred_at", "-pk"]),  # not whitelisted: the default
        ("-", "tijd", True, ["-occurred_at", "-pk"]),
        ("actie__secret", "tijd", True, ["-occurred_at", "-pk"]),
    ],
)
def test_sorting_is_whitelisted_with_a_stable_tie_breaker(
    raw: str, key: str, descending: bool, ordering: list[str]
) -> None:
    listing = SPEC.parse({"sorteer": raw})
    assert (listing.sort_key, listing.descending) == (key, descending)
    assert listing.ordering() == ordering


@pytest.mark.parametrize(
    ("raw", "page"), [("", 1), ("1", 1), ("4", 4), ("0", 1), ("-3", 1), ("abc", 1), ("2.5", 1), ("9" * 40, 10**40 - 1)]
)
def test_a_page_number_that_is_no_number_is_page_one(raw: str, page: int) -> None:
    assert SPEC.parse({"pagina": raw}).page == page


@pytest.mark.parametrize(
    ("requested", "total", "number", "pages", "offset"),
    [(1, 0, 1, 1, 0), (5, 0, 1, 1, 0), (2, 7, 2, 3, 3), (3, 7, 3, 3, 6), (99, 7, 3, 3, 6), (10**40, 6, 2, 2, 3)],
)
def test_a_page_past_the_end_is_the_last_page(requested: int, total: int, number: int, pages: int, offset: int) -> None:
    window = SPEC.parse({"pagina": str(requested)}).window(total)
    assert (window.number, window.num_pages, window.offset, window.limit) == (number, pages, offset, 3)


def test_the_default_sort_must_be_a_sort_key() -> None:
    with pytest.raises(ValueError, match="default sort"):
        ListSpec(sorts=(Sort("a", "A", ("id",)),), default_sort="b")


def test_a_post_only_search_is_not_read_from_the_url() -> None:
    spec = ListSpec(
        sorts=(Sort("a", "A", ("id",)),), default_sort="a", search=Search("q", "Zoeken", post_only=True, max_length=5)
    )
    assert spec.parse({"q": "Jansen"}).search == ""
    assert spec.parse({}, search="  Jansen  ").search == "Janse"  # stripped and cut to the maximum


@pytest.mark.django_db
def test_paginate_filters_sorts_and_clamps_in_sql(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(7):
        audit.record(actor=None, action=AuditAction.VIEW if n % 2 else AuditAction.LOGIN, object_type=f"o{n}")
    listing = SPEC.parse({"actie": "view", "sorteer": "tijd", "pagina": "9"})
    with django_assert_num_queries(2):  # one COUNT, one SELECT
        page = paginate(AuditEvent.objects.all(), listing)
    assert (page.total, page.number, page.num_pages) == (3, 1, 1)
    assert [e.object_type for e in page.rows] == ["o1", "o3", "o5"]
    with django_assert_num_queries(2):
        second = paginate(AuditEvent.objects.all(), SPEC.parse({"pagina": "2"}))
    assert [e.object_type for e in second.rows] == ["o3", "o2", "o1"]  # newest first, second page
    assert (second.start_index, second.end_index) == (4, 6)


def test_sort_links_keep_the_filters_and_restart_at_page_one() -> None:
    listing = SPEC.parse(_params("actie=view&pagina=2"))
    ctx = list_context(listing, Page.of([], 10, listing.window(10)), url="/lijst/", target_id="rows")
    tijd = ctx.columns["tijd"]
    assert tijd.aria_sort == "descending"
    assert tijd.arrow == "▼"
    assert parse_qs(urlsplit(tijd.target.href).query) == {"actie": ["view"], "sorteer": ["tijd"]}
    actie = ctx.columns["actie"]
    assert actie.aria_sort == "none"
    assert parse_qs(urlsplit(actie.target.href).query) == {"actie": ["view"], "sorteer": ["actie"]}
    assert ctx.next is not None
    assert parse_qs(urlsplit(ctx.next.href).query) == {"actie": ["view"], "pagina": ["3"]}
    assert ctx.previous is not None
    assert ctx.previous.href == "/lijst/?actie=view"
    assert [link.number if link else None for link in ctx.page_links] == [1, 2, 3, 4]


def test_page_links_skip_far_pages() -> None:
    listing = SPEC.parse(_params("pagina=10"))
    ctx = list_context(listing, Page.of([], 60, listing.window(60)), url="/l/", target_id="rows")
    assert [link.number if link else None for link in ctx.page_links] == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert ctx.next is not None
    assert ctx.previous is not None


def test_a_clamped_page_is_what_the_links_start_from() -> None:
    listing = SPEC.parse(_params("pagina=99"))
    ctx = list_context(listing, Page.of([], 10, listing.window(10)), url="/l/", target_id="rows")
    assert ctx.next is None
    assert ctx.previous is not None
    assert ctx.previous.href == "/l/?pagina=3"


def test_a_post_only_search_travels_in_form_fields_never_in_hrefs() -> None:
    spec = ListSpec(
        sorts=(Sort("a", "A", ("id",)), Sort("b", "B", ("id",))),
        default_sort="a",
        search=Search("q", "Zoeken", post_only=True),
        page_size=2,
    )
    listing = spec.parse({"pagina": "1"}, search="Jansen")
    ctx = list_context(listing, Page.of([], 5, listing.window(5)), url="/l/", target_id="rows")
    assert ctx.post_only
    assert ctx.form_post
    assert "Jansen" not in ctx.columns["b"].target.href
    assert ("q", "Jansen") in ctx.columns["b"].target.fields
    assert ctx.post_state == [("q", "Jansen")]
    assert ctx.next is not None
    assert "Jansen" not in ctx.next.href
    html = render_to_string("keten/_pagination.html", {"listing": ctx}, request=RequestFactory().get("/l/"))
    assert 'method="post"' in html
    assert 'name="q" value="Jansen"' in html
    assert "Jansen" not in html.split("action=")[1][:20]


def test_templates_render_the_shared_shape() -> None:
    listing = SPEC.parse(_params("actie=nee&pagina=2"))
    ctx = list_context(listing, Page.of([], 10, listing.window(10)), url="/lijst/", target_id="rows")
    request = RequestFactory().get("/lijst/")
    bar = render_to_string("keten/_filter_bar.html", {"listing": ctx}, request=request)
    assert 'method="get"' in bar
    assert 'hx-push-url="true"' in bar
    assert 'aria-invalid="true" aria-describedby="filter-actie-error"' in bar
    assert "er is niet gefilterd op actie" in bar
    assert "Filter wissen" in bar
    header = render_to_string("keten/_sort_header.html", {"listing": ctx, "column": ctx.columns["tijd"]})
    assert 'aria-sort="descending"' in header
    assert "aflopend gesorteerd" in header
    assert 'aria-hidden="true">▼' in header
    plain = render_to_string("keten/_sort_header.html", {"label": "Gezin"})
    assert plain.strip() == '<th class="utrecht-table__header-cell" scope="col">Gezin</th>'
    paging = render_to_string("keten/_pagination.html", {"listing": ctx}, request=request)
    assert "10 resultaten" in paging
    assert "Pagina 2 van 4" in paging
    assert 'aria-current="page"' in paging
    assert "utrecht-pagination__relative-link--prev" in paging
    empty = render_to_string("keten/_empty_state.html", {"listing": ctx, "message": "Nog niets."})
    assert "Nog niets." in empty
