"""Lists that scale: one declarative description of a list page's filters, sort keys and paging.

A page declares a :class:`ListSpec` once (module level). The view reads the request with
:meth:`ListSpec.parse`, which never fails: a bad filter value is dropped with a Dutch message for
that filter (the list is shown unfiltered by it), an unknown sort key falls back to the default, a
page number that is no number becomes page 1. The selector applies the :class:`Listing` in SQL —
:meth:`Listing.filter`, :meth:`Listing.order` (whitelisted orderings plus ``pk`` as a stable
tie-breaker) and :func:`paginate` or :meth:`Listing.window` (a page past the end becomes the last
page) — so a page costs a fixed number of queries however many rows there are. The view then hands
:func:`list_context` to the shared templates ``keten/_filter_bar.html``, ``keten/_sort_header.html``,
``keten/_pagination.html`` and ``keten/_empty_state.html``.

Parameters in URLs: ``sorteer`` (``naam`` ascending, ``-naam`` descending), ``pagina`` and one per
filter. A free-text search (:class:`Search`) can be marked ``post_only``: the filter bar then POSTs,
and sort headers and paging become small forms, so a searched name never ends up in a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

T = TypeVar("T")

SORT_PARAM = "sorteer"
PAGE_PARAM = "pagina"
#: Page numbers shown on either side of the current page.
PAGE_LINKS_AROUND = 2


@dataclass(frozen=True)
class Filter:
    """A choice filter. ``lookup`` is the ORM lookup the value is matched with (default: the name);
    ``q`` builds the condition instead when a value needs more than one lookup."""

    name: str
    label: Any
    choices: Sequence[tuple[str, Any]]
    lookup: str = ""
    q: Callable[[str], Q] | None = None
    all_label: Any = None

    def condition(self, value: str) -> Q:
        if self.q is not None:
            return self.q(value)
        return Q(**{self.lookup or self.name: value})

    def allows(self, value: str) -> bool:
        return any(str(v) == value for v, _label in self.choices)


@dataclass(frozen=True)
class Sort:
    """A sortable column: its URL key, its header label and its ascending ORM ordering."""

    key: str
    label: Any
    ordering: tuple[str, ...]


@dataclass(frozen=True)
class Search:
    """A free-text search box. ``post_only``: the text is sent in a POST body, never in a URL."""

    name: str
    label: Any
    help_text: Any = ""
    max_length: int = 100
    post_only: bool = False


@dataclass(frozen=True)
class ListSpec:
    """What a list page allows: filters, sort keys (the first is the default unless ``default_sort``
    names one, ``-key`` for descending), page size and an optional search box."""

    sorts: tuple[Sort, ...]
    default_sort: str
    filters: tuple[Filter, ...] = ()
    page_size: int = 25
    search: Search | None = None
    tie_breaker: str = "pk"

    def __post_init__(self) -> None:
        if self.default_sort.lstrip("-") not in {s.key for s in self.sorts}:
            raise ValueError(f"default sort {self.default_sort!r} is not one of the sort keys")

    def sort(self, key: str) -> Sort | None:
        return next((s for s in self.sorts if s.key == key), None)

    def parse(self, params: Mapping[str, Any], *, search: str = "") -> Listing:
        """The list a request asks for; never raises. ``search`` is the free text when the page
        reads it itself (from a POST body)."""
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        for f in self.filters:
            raw = str(params.get(f.name) or "").strip()
            if not raw:
                continue
            if f.allows(raw):
                values[f.name] = raw
            else:
                errors[f.name] = _("Kies een van de mogelijkheden; er is niet gefilterd op %(label)s.") % {
                    "label": str(f.label).lower()
                }
        raw_sort = str(params.get(SORT_PARAM) or "").strip()
        sort_key, descending = raw_sort.lstrip("-"), raw_sort.startswith("-")
        if self.sort(sort_key) is None:
            sort_key, descending = self.default_sort.lstrip("-"), self.default_sort.startswith("-")
        try:
            page = int(str(params.get(PAGE_PARAM) or "1"))
        except ValueError:
            page = 1
        if self.search is not None and not search and not self.search.post_only:
            search = str(params.get(self.search.name) or "")
        max_length = self.search.max_length if self.search else 0
        return Listing(
            spec=self,
            values=values,
            errors=errors,
            sort_key=sort_key,
            descending=descending,
            page=max(page, 1),
            search=search.strip()[:max_length],
        )


@dataclass(frozen=True)
class Window:
    """Which slice of the rows a page shows, after clamping the requested page to the last one."""

    number: int
    num_pages: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Listing:
    """A parsed list request: the valid filter values, the errors of the bad ones, sort and page."""

    spec: ListSpec
    values: dict[str, str]
    errors: dict[str, str]
    sort_key: str
    descending: bool
    page: int
    search: str = ""

    @property
    def sort_param(self) -> str:
        return ("-" if self.descending else "") + self.sort_key

    @property
    def is_filtered(self) -> bool:
        return bool(self.values or self.search)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def condition(self) -> Q:
        """The valid filters as one condition (for counting matches beside other counts)."""
        result = Q()
        for f in self.spec.filters:
            if f.name in self.values:
                result &= f.condition(self.values[f.name])
        return result

    def filter(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        for f in self.spec.filters:
            if f.name in self.values:
                qs = qs.filter(f.condition(self.values[f.name]))
        return qs

    def ordering(self) -> list[str]:
        sort = self.spec.sort(self.sort_key)
        assert sort is not None  # parse() only keeps whitelisted keys
        fields = [*sort.ordering, self.spec.tie_breaker]
        if self.descending:
            return [f[1:] if f.startswith("-") else "-" + f for f in fields]
        return fields

    def order(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.order_by(*self.ordering())

    def href(self, url: str) -> str:
        """The address of this list state (filters, sort, page; never the search text)."""
        return _target(url, self, []).href

    def window(self, total: int) -> Window:
        size = self.spec.page_size
        pages = max(1, -(-total // size))
        number = min(self.page, pages)
        return Window(number=number, num_pages=pages, offset=(number - 1) * size, limit=size)


@dataclass
class Page(Generic[T]):
    """One page of rows with the total over all pages."""

    rows: list[T]
    total: int
    number: int
    num_pages: int
    page_size: int

    @classmethod
    def of(cls, rows: list[T], total: int, window: Window) -> Page[T]:
        return cls(rows=rows, total=total, number=window.number, num_pages=window.num_pages, page_size=window.limit)

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.number * self.page_size, self.total)


def paginate(qs: QuerySet[Any], listing: Listing, *, total: int | None = None) -> Page[Any]:
    """Filter, order and slice ``qs`` in SQL: one COUNT (unless ``total`` is known) and one SELECT."""
    qs = listing.filter(qs)
    if total is None:
        total = qs.count()
    window = listing.window(total)
    rows = list(listing.order(qs)[window.offset : window.offset + window.limit]) if total else []
    return Page.of(rows, total, window)


# --- what the templates get ------------------------------------------------------------------------


@dataclass
class Target:
    """A link (GET) or, for a POST-only search, the fields of a small form that leads to a state."""

    href: str
    fields: list[tuple[str, str]]


@dataclass
class Column:
    key: str
    label: str
    target: Target
    aria_sort: str  # "ascending", "descending" or "none"
    arrow: str
    hint: str


@dataclass
class FilterField:
    name: str
    label: str
    id: str
    options: list[tuple[str, str, bool]]
    error: str
    all_label: str


@dataclass
class PageLink:
    number: int
    target: Target
    current: bool


@dataclass
class ListContext:
    """Everything the shared list templates need, built by :func:`list_context`."""

    listing: Listing
    url: str
    target_id: str
    filters: list[FilterField]
    columns: dict[str, Column]
    page: Page[Any]
    previous: Target | None
    next: Target | None
    page_links: list[PageLink | None] = field(default_factory=list)  # None: a gap ("…")
    post_only: bool = False  # sort and page controls are forms: they carry search text
    form_post: bool = False  # the filter bar POSTs: its search text stays out of URLs
    search: Search | None = None
    clear: Target | None = None
    post_state: list[tuple[str, str]] = field(default_factory=list)
    keep: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return self.listing.is_filtered or bool(self.keep)

    @property
    def errors(self) -> dict[str, str]:
        return self.listing.errors


def _state(listing: Listing, **changes: Any) -> list[tuple[str, str]]:
    """The parameters of a list state, defaults left out; ``changes`` override (None drops one)."""
    params: dict[str, str] = dict(listing.values)
    if listing.sort_param != listing.spec.default_sort:
        params[SORT_PARAM] = listing.sort_param
    params[PAGE_PARAM] = str(listing.page)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    if params.get(PAGE_PARAM) == "1":
        del params[PAGE_PARAM]
    if params.get(SORT_PARAM) == listing.spec.default_sort:
        del params[SORT_PARAM]
    return list(params.items())


def _target(
    url: str, listing: Listing, post_fields: list[tuple[str, str]], keep: Sequence[tuple[str, str]] = (), **changes: Any
) -> Target:
    state = [*keep, *_state(listing, **changes)]
    if post_fields:
        return Target(href=url, fields=post_fields + state)
    return Target(href=f"{url}?{urlencode(state)}" if state else url, fields=state)


def _page_numbers(number: int, pages: int) -> list[int | None]:
    shown = sorted({1, pages, *range(max(1, number - PAGE_LINKS_AROUND), min(pages, number + PAGE_LINKS_AROUND) + 1)})
    result: list[int | None] = []
    for n in shown:
        if result and result[-1] is not None and n - int(result[-1] or 0) > 1:
            result.append(None)
        result.append(n)
    return result


def list_context(
    listing: Listing, page: Page[Any], *, url: str, target_id: str, keep: Sequence[tuple[str, str]] = ()
) -> ListContext:
    """The filter bar, sort headers and paging of ``page`` for the shared templates.

    ``url`` is the list page's address; ``target_id`` the id of the element HTMX replaces with the
    page's table part; ``keep``: (validated) parameters of the page's own filter form, which every
    sort and page link carries along.
    """
    keep = list(keep)
    spec = listing.spec
    post_only = bool(spec.search and spec.search.post_only)
    post_fields = [(spec.search.name, listing.search)] if spec.search and post_only and listing.search else []
    if page.number != listing.page:
        listing = Listing(**{**vars(listing), "page": page.number})
    columns = {}
    for sort in spec.sorts:
        current = sort.key == listing.sort_key
        next_sort = ("-" if current and not listing.descending else "") + sort.key
        label = str(sort.label)
        columns[sort.key] = Column(
            key=sort.key,
            label=label,
            target=_target(url, listing, post_fields, keep, **{SORT_PARAM: next_sort, PAGE_PARAM: None}),
            aria_sort=("descending" if listing.descending else "ascending") if current else "none",
            arrow=("▼" if listing.descending else "▲") if current else "↕",
            hint=(
                _("aflopend gesorteerd, klik om oplopend te sorteren")
                if current and listing.descending
                else _("oplopend gesorteerd, klik om aflopend te sorteren")
                if current
                else _("klik om hierop te sorteren")
            ),
        )
    filters = [
        FilterField(
            name=f.name,
            label=str(f.label),
            id=f"filter-{f.name}",
            options=[(str(v), str(lab), str(v) == listing.value(f.name)) for v, lab in f.choices],
            error=listing.errors.get(f.name, ""),
            all_label=str(f.all_label or _("Alle")),
        )
        for f in spec.filters
    ]

    def to(number: int) -> Target:
        return _target(url, listing, post_fields, keep, **{PAGE_PARAM: number})

    links: list[PageLink | None] = [
        None if n is None else PageLink(number=n, target=to(n), current=n == page.number)
        for n in _page_numbers(page.number, page.num_pages)
    ]
    return ListContext(
        listing=listing,
        url=url,
        target_id=target_id,
        filters=filters,
        columns=columns,
        page=page,
        previous=to(page.number - 1) if page.number > 1 else None,
        next=to(page.number + 1) if page.number < page.num_pages else None,
        page_links=links if page.num_pages > 1 else [],
        post_only=bool(post_fields),
        form_post=post_only,
        search=spec.search,
        clear=Target(href=url, fields=[]),
        # A POST-only list pages with one form: everything but the page number, which its buttons carry.
        post_state=post_fields + keep + _state(listing, **{PAGE_PARAM: None}) if post_fields else [],
        keep=keep,
    )
