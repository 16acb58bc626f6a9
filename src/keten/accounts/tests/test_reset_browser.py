"""Four eyes on a reset and the own-password page in Chromium, with an axe-core check of every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from tests.browser.conftest import UI, browse, browser, ui  # noqa: F401 (fixtures)

from keten.accounts.models import ResetRequest, User
from keten.testing.auth import login_verified
from keten.testing.otp import links_in_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page_ui: UI, user: User, live_server: Any) -> None:
    client = login_verified(Client(), user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page_ui.context.add_cookies([cookie])  # type: ignore[list-item]


def test_a_reset_is_requested_by_one_beheerder_and_approved_by_another(
    browse: Callable[[], UI],  # noqa: F811 (the fixture imported above)
    partner_beheerder: User,
    partner_beheerder_2: User,
    worker: User,
    live_server: Any,
) -> None:
    first = browse()
    _sign_in(first, partner_beheerder, live_server)
    first.goto(f"/account/beheer/medewerkers/{worker.pk}/")
    first.submit(first.page.get_by_role("link", name="Account herstellen (wachtwoord en app)"))
    first.submit(first.page.get_by_role("button", name="Herstel aanvragen"))  # empty: error shown
    assert "Controleer de volgende punten" in first.page.content()
    first.page.get_by_label("Reden").fill("Telefoon gestolen, medewerker belde zelf")
    first.submit(first.page.get_by_role("button", name="Herstel aanvragen"))
    assert "andere functioneel beheerder" in first.page.content()
    assert not links_in_outbox()
    problems = first.verify()
    assert not problems, problems

    second = browse()
    _sign_in(second, partner_beheerder_2, live_server)
    second.goto("/account/beheer/")
    second.submit(second.page.get_by_role("link", name="Bekijk de herstelverzoeken"))
    second.submit(second.page.get_by_role("link", name=str(worker)))
    assert worker.email in second.page.content()
    second.submit(second.page.get_by_role("button", name="Goedkeuren en link versturen"))
    assert "goedgekeurd" in second.page.content()
    assert ResetRequest.objects.get(user=worker).status == ResetRequest.Status.APPROVED
    assert links_in_outbox(to=worker.email)
    problems = second.verify()
    assert not problems, problems


def test_own_password_page_shows_errors_next_to_the_fields(
    ui: UI,  # noqa: F811 (the fixture imported above)
    worker: User,
    live_server: Any,
) -> None:
    _sign_in(ui, worker, live_server)
    ui.goto("/")
    ui.submit(ui.page.get_by_role("link", name="Mijn account"))
    ui.submit(ui.page.get_by_role("link", name="Wachtwoord wijzigen"))
    ui.page.get_by_label("Huidig wachtwoord").fill("verkeerd-wachtwoord")
    ui.page.get_by_label("Code uit uw authenticator-app").fill("123456")
    ui.page.get_by_label("Nieuw wachtwoord", exact=True).fill("paarse-olifant-danst-traag-42")
    ui.page.get_by_label("Nieuw wachtwoord nog een keer").fill("paarse-olifant-danst-traag-42")
    ui.submit(ui.page.get_by_role("button", name="Wachtwoord wijzigen"))
    assert "Uw huidige wachtwoord klopt niet." in ui.page.content()
    assert User.objects.get(pk=worker.pk).check_password("correct-horse-battery-staple")
    problems = ui.verify()
    assert not problems, problems
