"""The look of a deployment: the NL Design System theme, its fonts, and the gemeente in the header.

A theme is a set of NL Design System design tokens (a CSS file of custom properties scoped to a
class, e.g. ``.voorbeeld-theme``), chosen in configuration (``KETEN_THEME_STYLESHEETS``,
``KETEN_THEME_CLASS``), with the fonts it names served from Keten's own origin
(``KETEN_THEME_FONTS``). Every path is a static path, found by the staticfiles finders (for example
``vendor/…`` from ``node_modules``) or present in ``STATIC_ROOT`` after ``collectstatic``.

The system check :func:`check_theme` stops start-up (``manage.py check``, ``runserver``,
``migrate``) when one of those files is missing, so Keten never serves a page without its styles.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import CheckMessage, Error
from django.http import HttpRequest

#: ``url(...)`` in a stylesheet, with or without quotes.
_CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<ref>[^'")]+)(?P=quote)\s*\)""")
#: A class name Keten can put in ``<body class="…">`` (no spaces, quotes or markup).
_CSS_CLASS = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")


@dataclass(frozen=True)
class Theme:
    stylesheets: tuple[str, ...]
    fonts: tuple[str, ...]
    css_class: str
    gemeente_naam: str
    gemeente_logo: str


def current() -> Theme:
    return Theme(
        stylesheets=tuple(settings.KETEN_THEME_STYLESHEETS),
        fonts=tuple(settings.KETEN_THEME_FONTS),
        css_class=settings.KETEN_THEME_CLASS,
        gemeente_naam=settings.KETEN_GEMEENTE_NAAM,
        gemeente_logo=settings.KETEN_GEMEENTE_LOGO,
    )


def theme(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: ``theme`` for the page frame (``base.html``, ``_theme_head.html``)."""
    return {"theme": current()}


def static_file(path: str) -> Path | None:
    """The file behind a static path: found by the finders, else in ``STATIC_ROOT``; ``None`` if neither."""
    clean = path.lstrip("/")
    if not clean or ".." in clean.split("/"):
        return None
    found = finders.find(clean)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / clean
        if candidate.is_file():
            return candidate
    return None


def _references(stylesheet: str, text: str) -> Iterable[tuple[str, str]]:
    """(reference as written, static path it points to) for every ``url()`` in a stylesheet.

    Inline data and fragments are skipped; a reference to another server is returned with an empty
    path (the CSP allows fonts, images and styles from Keten's own origin only)."""
    for match in _CSS_URL.finditer(text):
        ref = match.group("ref").strip()
        if not ref or ref.startswith(("data:", "#")):
            continue
        if ref.startswith(("http:", "https:", "//")):
            yield ref, ""
            continue
        target = ref.split("#", 1)[0].split("?", 1)[0]
        if target.startswith("/"):
            static_url = settings.STATIC_URL or "/static/"
            if target.startswith(static_url):  # elsewhere on this origin: not a static file to check
                yield ref, target.removeprefix(static_url)
            continue
        yield ref, posixpath.normpath(posixpath.join(posixpath.dirname(stylesheet), target))


def _check_stylesheets(setting: str, paths: Sequence[str], missing_id: str) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for path in paths:
        found = static_file(path)
        if found is None:
            errors.append(
                Error(
                    f"{setting} names the stylesheet {path!r}, which is not a static file "
                    "(not found by the staticfiles finders nor in STATIC_ROOT).",
                    hint="Install the package that holds it (npm ci) or run collectstatic, or correct "
                    f"{setting} (comma-separated static paths, e.g. 'vendor/<package>/dist/theme.css').",
                    id=missing_id,
                )
            )
            continue
        text = found.read_text(encoding="utf-8", errors="replace")
        for ref, target in _references(path, text):
            if not target:
                errors.append(
                    Error(
                        f"The stylesheet {path!r} (from {setting}) loads {ref!r} from another server; "
                        "the Content Security Policy only allows Keten's own origin, so it would not load.",
                        hint="Install the file (for example a font from an @fontsource package) and refer to it "
                        "by a relative path.",
                        id="keten.E005",
                    )
                )
            elif static_file(target) is None:
                errors.append(
                    Error(
                        f"The stylesheet {path!r} (from {setting}) refers to {ref!r}, but the static file "
                        f"{target!r} cannot be found.",
                        hint="Install the complete package (npm ci) or run collectstatic.",
                        id="keten.E004",
                    )
                )
    return errors


def check_theme(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every file of the configured theme exists: stylesheets, the files they load, fonts, logo."""
    configured = current()
    errors: list[CheckMessage] = []
    if not configured.stylesheets:
        errors.append(
            Error(
                "KETEN_THEME_STYLESHEETS is empty: pages would have no design tokens.",
                hint="Leave it unset for the voorbeeld theme, or name the theme's CSS file.",
                id="keten.E001",
            )
        )
    errors += _check_stylesheets("KETEN_THEME_STYLESHEETS", configured.stylesheets, "keten.E001")
    errors += _check_stylesheets("KETEN_THEME_FONTS", configured.fonts, "keten.E003")
    if not _CSS_CLASS.fullmatch(configured.css_class):
        errors.append(
            Error(
                f"KETEN_THEME_CLASS must be one CSS class name (the class the theme's tokens are scoped to, "
                f"e.g. 'voorbeeld-theme'), got {configured.css_class!r}.",
                id="keten.E006",
            )
        )
    if configured.gemeente_logo and static_file(configured.gemeente_logo) is None:
        errors.append(
            Error(
                f"KETEN_GEMEENTE_LOGO names {configured.gemeente_logo!r}, which is not a static file "
                "(not found by the staticfiles finders nor in STATIC_ROOT).",
                hint="Put the logo in a static directory (or run collectstatic) and give its static path, "
                "e.g. 'gemeente/logo.svg'.",
                id="keten.E002",
            )
        )
    return errors
