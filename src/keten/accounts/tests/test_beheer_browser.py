"""Main beheer flow in Chromium, with an axe-core check of every page on the way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from tests.browser.conftest import UI, browse, browser, ui  # noqa: F401 (fixtures)

from keten.accounts.models import User
from keten.testing.auth import login_verified
from keten.testing.otp import links_in_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page_ui: UI, user: User, live_server: Any) -> None:
    client = login_verified(Client(), user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page_ui.context.add_cookies([cookie])  # type: ignore[list-item]


def test_beheerder_creates_organisation_and_professional(
    ui: UI,  # noqa: F811 (the fixture imported above)
    beheerder: User,
    wijk: Any,
    live_server: Any,
) -> None:
    _sign_in(ui, beheerder, live_server)
    ui.goto("/account/beheer/")
    ui.submit(ui.page.get_by_role("link", name="Nieuwe organisatie"))
    ui.page.get_by_label("Naam", exact=True).fill("Kinderopvang Het Nest")
    ui.page.get_by_label("Soort organisatie").select_option("kinderopvang")
    ui.page.get_by_label("Centrum").check()
    ui.submit(ui.page.get_by_role("button", name="Organisatie aanmaken"))
    assert "is aangemaakt" in ui.page.content()

    ui.submit(ui.page.get_by_role("link", name="Nieuw team"))
    ui.submit(ui.page.get_by_role("button", name="Team aanmaken"))  # empty: errors shown
    assert "Controleer de volgende punten" in ui.page.content()
    ui.page.get_by_label("Naam van het team").fill("Groep Rups")
    ui.submit(ui.page.get_by_role("button", name="Team aanmaken"))

    # The gemeente appoints the first beheerder of the new organisation; nobody sees a password.
    ui.goto("/account/beheer/medewerkers/nieuw/")
    ui.page.get_by_label("Gebruikersnaam").fill("k.klaassen")
    ui.page.get_by_label("Voornaam").fill("Kim")
    ui.page.get_by_label("Achternaam").fill("Klaassen")
    ui.page.get_by_label("E-mail").fill("k.klaassen@nest.example.org")
    ui.page.get_by_label("Organisatie").select_option(
        label="Kinderopvang Het Nest (alleen een eerste functioneel beheerder)"
    )
    ui.page.get_by_label("Rol", exact=True).select_option("functioneel_beheerder")
    ui.submit(ui.page.get_by_role("button", name="Medewerker aanmaken"))
    assert "instellink" in ui.page.content()
    assert ui.page.locator("#keten-secret").count() == 0
    person = User.objects.get(username="k.klaassen")
    assert not person.has_usable_password()
    assert links_in_outbox(to="k.klaassen@nest.example.org")
    problems = ui.verify()
    assert not problems, problems
