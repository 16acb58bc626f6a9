"""The pages people use most, as each demo role sees them, at a phone's and a laptop's width.

The world is the demo municipality (``seed --profile demo``). Every demo role signs in through the
real login pages and opens its start page; the professional also opens a dossier's workspace, a
meldcode traject, a verwijsindex match, an overleg meeting and the sociale kaart. Each page, at
375 px and at 1,280 px wide: axe-core finds no serious or critical violation (``ui.goto``), nothing
scrolls sideways, and a screenshot is kept (under ``var/screenshots/`` in CI).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from keten.accounts.models import User
from keten.seeding.demo import seed_demo
from keten.testing.auth import login_verified
from tests.browser.conftest import DESKTOP_WIDTH, PHONE_WIDTH, UI
from tests.browser.helpers import PASSWORD, login

pytestmark = pytest.mark.browser

ROLES = (
    "demo-professional",
    "demo-aandachtsfunctionaris",
    "demo-teamleider",
    "demo-veiligthuis",
    "demo-beleid",
    "demo-beheerder",
    "demo-privacy",
    "demo-superuser",
)


@pytest.fixture
def demo(transactional_db: None) -> dict[str, User]:
    seed_demo(progress=False)
    people = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    for user in people.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return people


def _first_link(user: User, page: str, pattern: str) -> str:
    """The first link matching ``pattern`` that ``page`` shows ``user``: a page this user may open."""
    html = login_verified(Client(), user).get(page).content.decode()
    found = re.search(rf'href="({pattern})"', html)
    assert found, f"{page} shows {user.username} no link like {pattern}"
    return found.group(1)


def _at_both_widths(ui: UI, path: str, name: str) -> None:
    for width in (DESKTOP_WIDTH, PHONE_WIDTH):
        ui.page.set_viewport_size({"width": width, "height": 900 if width == DESKTOP_WIDTH else 812})
        response = ui.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        ui.assert_no_horizontal_overflow()
        ui.screenshot(f"{name}-{width}")


def test_every_roles_start_page_at_two_widths(browse: Callable[..., UI], demo: dict[str, User]) -> None:
    for username in ROLES:
        ui = browse()
        login(ui, demo[username])
        _at_both_widths(ui, "/", f"start-{username.removeprefix('demo-')}")
        ui.context.clear_cookies()


def test_the_professionals_work_pages_at_two_widths(browse: Callable[..., UI], demo: dict[str, User]) -> None:
    professional = demo["demo-professional"]
    dossier = _first_link(professional, "/dossiers/", r"/dossiers/D-[0-9A-Za-z]+/")
    pages = {
        "workspace": dossier,
        "workspace-tijdlijn": dossier + "tijdlijn/",
        "meldcode-traject": _first_link(professional, dossier + "meldcode/", r"/meldcode/M-[0-9A-Za-z]+/"),
        "verwijsindex-match": _first_link(professional, "/verwijsindex/", r"/verwijsindex/matches/\d+/"),
        "overleg-meeting": _first_link(professional, "/overleg/", r"/overleg/bijeenkomsten/\d+/"),
        "sociale-kaart": "/sociale-kaart/?q=wijkteam",
        "sociale-kaart-organisatie": _first_link(
            professional, "/sociale-kaart/?q=wijkteam", r"/sociale-kaart/organisaties/\d+/"
        ),
    }
    ui = browse()
    login(ui, professional)
    for name, path in pages.items():
        _at_both_widths(ui, path, name)
