"""A breadth-first crawler over Keten's own pages, as one signed-in person sees them.

It follows every internal ``<a href>`` of every HTML page it reaches and records, for each link, the
page that showed it. What it collects:

* dead links: a link whose target answers 403, 404 (or any other 4xx) for the same person, or sends
  the signed-in person to the login page;
* pages that answer 500 (any 5xx);
* HTML pages without a ``<title>`` or whose ``<html lang>`` is not Dutch.

Links that end the session, change the language or start a single sign-on, static files and external
addresses (``mailto:``, ``tel:``, ``webcal:``, another host) are not requested. Downloads (PDF, CSV,
XLSX, iCal) and API answers are requested (their status counts) but not parsed.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve, reverse

# Paths never requested: they change the language or start a login elsewhere.
SKIP_PREFIXES = ("/oidc/", "/i18n/")


def _skip_paths() -> set[str]:
    return {reverse("accounts:logout"), reverse("set_language"), reverse("two_factor:login"), reverse("otp_verify")}


@dataclass(frozen=True)
class Problem:
    kind: str  # "dead link", "error page" (5xx), "sends to login", "no title", "not Dutch"
    url: str
    status: int
    shown_on: str

    def __str__(self) -> str:
        if self.kind == "dead link":
            return f"{self.url} answers {self.status}, linked from {self.shown_on}"
        return f"{self.kind}: {self.url} ({self.status}), reached from {self.shown_on}"


@dataclass
class Crawl:
    pages: int = 0  # HTML pages fetched and parsed
    requests: int = 0  # every request, downloads included
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    per_route: dict[str, int] = field(default_factory=dict)
    unchecked: int = 0  # links found but not requested (over a route's share or the budget)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self.lang = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "html":
            self.lang = values.get("lang") or ""
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _internal(href: str, base: str) -> str | None:
    """The path (with query, without fragment) of an internal link, or None for what is not followed."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:  # mailto:, tel:, webcal:, https://…, //host/…
        return None
    url, _fragment = urldefrag(urljoin(base, href))
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL) or path.startswith(SKIP_PREFIXES):
        return None
    return url


def _route(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "?"
    return match.view_name


def crawl(client: Client, *, start: str = "/", budget: int = 600, per_link: int = 4, per_download: int = 1) -> Crawl:
    """Crawl from ``start`` as the client's user, at most ``budget`` requests.

    A dead link comes from a template that links one kind of page to another, so the share is per
    pair (URL name of the page that shows the link, URL name of its target): at most ``per_link``
    targets of each pair are requested (``per_download`` when the target answers with a file). Every
    link is recorded with the first page that showed it; targets are requested breadth-first.
    """
    skip = _skip_paths()
    login = reverse("two_factor:login")
    result = Crawl()
    began = time.monotonic()
    seen: set[str] = {start}
    downloads: set[str] = set()
    shares: dict[tuple[str, str], int] = {}
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    while queue and result.requests < budget:
        url, source = queue.popleft()
        route = _route(url)
        pair = (_route(source) if source != "(start)" else source, route)
        if shares.get(pair, 0) >= (per_download if route in downloads else per_link):
            result.unchecked += 1
            continue
        shares[pair] = shares.get(pair, 0) + 1
        result.per_route[route] = result.per_route.get(route, 0) + 1
        response = client.get(url)
        result.requests += 1
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            target = _internal(response["Location"], url)
            if target is not None and urlsplit(target).path in (login, reverse("otp_verify")):
                result.problems.append(Problem("sends to login", url, status, source))
            elif target is not None and target not in seen and urlsplit(target).path not in skip:
                seen.add(target)
                queue.appendleft((target, source))
            continue
        if status >= 500:
            result.problems.append(Problem("error page", url, status, source))
            continue
        if status >= 400:
            result.problems.append(Problem("dead link", url, status, source))
            continue
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            downloads.add(route)
            if response.streaming:  # read to the end: the test client then closes it as a server would
                b"".join(response.streaming_content)  # type: ignore[arg-type]
            continue
        page = _Page()
        page.feed(response.content.decode(response.charset or "utf-8"))
        result.pages += 1
        if not page.title.strip():
            result.problems.append(Problem("no title", url, status, source))
        if not page.lang.startswith("nl"):
            result.problems.append(Problem("not Dutch", url, status, source))
        for href in page.links:
            target = _internal(href, url)
            if target is None or target in seen or urlsplit(target).path in skip:
                continue
            seen.add(target)
            queue.append((target, url))
    result.unchecked += len(queue)
    result.seconds = time.monotonic() - began
    return result
