"""The main menu of every signed-in page, written once per combination of language, visible items
and badge counts instead of being rendered from the template on every request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class MenuItem:
    #: Key in the context's ``nav`` dict that shows the item; empty: always shown.
    flag: str
    url_name: str
    label: Callable[[], str]
    #: Key of the badge count (see :func:`main_menu`), and the badge's accessible label.
    badge: str = ""
    badge_label: Callable[[int], str] | None = None


MENU: tuple[MenuItem, ...] = (
    MenuItem("", "shell:dashboard", lambda: gettext("Overzicht")),
    MenuItem("dossiers", "dossiers:list", lambda: gettext("Dossiers")),
    MenuItem(
        "consultaties",
        "meldcode:inbox",
        lambda: gettext("Consultaties"),
        "open_consultations",
        lambda n: ngettext("%(n)s open vraag", "%(n)s open vragen", n) % {"n": n},
    ),
    MenuItem(
        "verwijsindex",
        "verwijsindex:overview",
        lambda: gettext("Verwijsindex"),
        "open_vi_matches",
        lambda n: ngettext("%(n)s match zonder contact", "%(n)s matches zonder contact", n) % {"n": n},
    ),
    MenuItem("overleg", "overleg:index", lambda: gettext("Overleg")),
    MenuItem("sociale_kaart", "network:search", lambda: gettext("Sociale kaart")),
    MenuItem("sociale_kaart", "routekaart:index", lambda: gettext("Routekaart")),
    MenuItem("netwerkanalyse", "network:gaps", lambda: gettext("Netwerkanalyse")),
    MenuItem("audit", "shell:audit_log", lambda: gettext("Auditlog")),
    MenuItem("noodtoegang_beoordelen", "dossiers:break_glass_queue", lambda: gettext("Noodtoegang beoordelen")),
    MenuItem("beheer", "accounts:beheer", lambda: gettext("Beheer")),
    MenuItem(
        "",
        "notifications:list",
        lambda: gettext("Meldingen"),
        "unread_notifications",
        lambda n: ngettext("%(n)s ongelezen", "%(n)s ongelezen", n) % {"n": n},
    ),
)


def main_menu(language: str, nav: dict[str, object], badges: dict[str, int]) -> SafeString:
    """The ``<li>`` items of the main menu for these menu rights and badge counts."""
    shown = tuple(not item.flag or bool(nav.get(item.flag)) for item in MENU)
    counts = tuple(badges.get(item.badge, 0) if item.badge else 0 for item in MENU)
    return _menu_html(language, shown, counts)


@functools.lru_cache(maxsize=1024)
def _menu_html(language: str, shown: tuple[bool, ...], counts: tuple[int, ...]) -> SafeString:
    """Pure function of its arguments (the active language is ``language``), so it can be cached."""
    rows = []
    for item, visible, count in zip(MENU, shown, counts, strict=True):
        if not visible:
            continue
        badge = (
            format_html(
                ' <span class="utrecht-number-badge" aria-label="{}">{}</span>',
                item.badge_label(count) if item.badge_label else "",
                count,
            )
            if count
            else ""
        )
        rows.append((reverse(item.url_name), item.label(), badge))
    return format_html_join(
        "\n",
        '<li class="utrecht-nav-list__item"><a class="utrecht-link utrecht-nav-list__link" href="{}">{}{}</a></li>',
        rows,
    )
