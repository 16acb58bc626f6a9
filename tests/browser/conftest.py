"""Browser fixtures: one headless Debian Chromium per session, a fresh context per test.

Every page a test navigates to must be checked with axe-core (``ui.check()``, done by the
navigation helpers); the fixture fails the test when a navigation went unchecked, when a static
file failed to load, when the page raised a JavaScript error or when the Content Security Policy
blocked something.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Frame, Locator, Page, Response, sync_playwright

from tests.browser.axe import assert_accessible

CHROMIUM = os.environ.get("KETEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPOSITORY = Path(__file__).resolve().parents[2]


def _screenshot_dir() -> str:
    """Where ``ui.screenshot(name)`` keeps its pictures: ``KETEN_BROWSER_SCREENSHOTS`` when set;
    in CI (``CI`` set) otherwise ``var/screenshots/``, kept with the CI artefacts; else nowhere."""
    configured = os.environ.get("KETEN_BROWSER_SCREENSHOTS", "")
    if configured:
        return configured
    if os.environ.get("CI"):
        return str(REPOSITORY / "var" / "screenshots")
    return ""


SCREENSHOT_DIR = _screenshot_dir()
TIMEOUT_MS = 10_000
#: Viewport widths the frame is tested at: a small phone and a laptop.
PHONE_WIDTH = 375
DESKTOP_WIDTH = 1280

# The widest elements that stick out past the right edge of the viewport, for a failure message.
# An element inside a box that clips or scrolls horizontally does not count: that box holds it.
_OVERFLOW = r"""
() => {
  const limit = window.innerWidth;
  const clipped = (element) => {
    for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden" || overflow === "clip") return true;
    }
    return false;
  };
  const describe = (element) => {
    let name = element.tagName.toLowerCase();
    if (element.id) name += "#" + element.id;
    const classes = [...element.classList].slice(0, 3);
    if (classes.length) name += "." + classes.join(".");
    const text = (element.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return text ? `${name} "${text}"` : name;
  };
  const offenders = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 1 || clipped(element)) continue;
    offenders.push({ element: describe(element), right: Math.round(box.right), width: Math.round(box.width) });
  }
  offenders.sort((a, b) => b.right - a.right || b.width - a.width);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: limit,
    offenders: offenders.slice(0, 8),
  };
}
"""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


_shared: dict[str, Any] = {}


def _launch() -> Browser:
    """One Chromium per test process, even when another test module imports these fixtures.

    Playwright's sync API allows a single running instance per thread, so every copy of the
    ``browser`` fixture shares this one.
    """
    if "browser" not in _shared:
        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    return _shared["browser"]  # type: ignore[no-any-return]


def _shutdown() -> None:
    browser = _shared.pop("browser", None)
    playwright = _shared.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        # On a developer machine without Chromium the browser tests are skipped; CI must run them.
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must run the browser tests")
        pytest.skip(f"Chromium not found at {CHROMIUM} (install Debian's chromium to run the browser tests)")
    yield _launch()
    _shutdown()


class UI:
    """One browser context (one signed-in person) on the live server, with the page checks."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.page: Page = context.new_page()
        self.pending_url = ""  # a page shown since the last accessibility check
        self.last_url = ""
        self.unchecked: list[str] = []
        self.problems: list[str] = []
        # A new document (full load) or a URL change within one (HTMX pushing a search URL).
        self.page.on("domcontentloaded", lambda page: self._shown(page.url))
        self.page.on("framenavigated", self._on_navigated)
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("console", self._on_console)

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame and frame.url != self.last_url:
            self._shown(frame.url)

    def _shown(self, url: str) -> None:
        if url == "about:blank":
            return
        if self.pending_url and self.pending_url != url:
            self.unchecked.append(self.pending_url)
        self.pending_url = self.last_url = url

    def _on_response(self, response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.problems.append(f"static file {response.url} answered {response.status}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP: {message.text}")

    def url(self, path: str) -> str:
        return self.base_url + path

    def check(self) -> None:
        """Run axe-core on the page as it is now; fail on serious or critical violations."""
        self.page.wait_for_load_state("load")
        assert_accessible(self.page)
        self.pending_url = ""

    def goto(self, path: str) -> Response:
        response = self.page.goto(self.url(path))
        assert response is not None
        self.check()
        return response

    def submit(self, button: Locator) -> None:
        """Click something that loads a new page, wait for it and check it."""
        with self.page.expect_navigation():
            button.click()
        self.check()

    def swap(self, trigger: Locator) -> None:
        """Click something that makes HTMX replace part of the page, wait for it and check the page."""
        self.page.evaluate(
            """() => {
              window.__ketenSettled = new Promise((resolve) =>
                document.body.addEventListener("htmx:afterSettle", () => resolve(true), { once: true }));
            }"""
        )
        trigger.click()
        self.page.evaluate("() => window.__ketenSettled")
        self.check()

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def assert_no_horizontal_overflow(self) -> None:
        """The page is no wider than the viewport (nobody has to scroll sideways); on failure, name
        the elements that stick out furthest."""
        found = self.page.evaluate(_OVERFLOW)
        if found["scrollWidth"] > found["innerWidth"]:
            lines = [
                f"{self.path()} scrolls sideways at {found['innerWidth']} px: the page is "
                f"{found['scrollWidth']} px wide; widest elements past the edge:"
            ]
            lines += [
                f"  {o['element']} (right edge {o['right']} px, {o['width']} px wide)" for o in found["offenders"]
            ]
            raise AssertionError("\n".join(lines))

    def screenshot(self, name: str) -> None:
        if SCREENSHOT_DIR:
            Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)

    def verify(self) -> list[str]:
        errors = list(self.problems)
        unchecked = self.unchecked + ([self.pending_url] if self.pending_url else [])
        errors += [f"page visited without an accessibility check: {url}" for url in unchecked]
        return errors


Browse = Callable[..., UI]


@pytest.fixture
def browse(browser: Browser, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Browse]:
    """Factory of UIs (browser contexts); several may be open at once, e.g. two professionals.

    ``browse()`` opens a desktop window (1280 x 900); ``browse(width=375)`` a phone-sized one
    (with touch, as a phone has), any width for a tablet."""
    uis: list[UI] = []

    def _new(*, width: int = DESKTOP_WIDTH, height: int | None = None) -> UI:
        phone = width < 768
        context = browser.new_context(
            locale="nl-NL",
            viewport={"width": width, "height": height or (812 if phone else 900)},
            has_touch=phone,
        )
        context.set_default_timeout(TIMEOUT_MS)
        ui = UI(context, live_server.url)
        uis.append(ui)
        return ui

    yield _new
    errors: list[str] = []
    for ui in uis:
        errors += ui.verify()
        ui.context.close()
    report = getattr(request.node, "rep_call", None)
    if errors and report is not None and report.passed:
        pytest.fail("\n".join(errors))


@pytest.fixture
def ui(browse: Browse) -> UI:
    return browse()


@pytest.fixture
def narrow_ui(browse: Browse) -> UI:
    """A phone-sized window (375 px wide)."""
    return browse(width=PHONE_WIDTH)
