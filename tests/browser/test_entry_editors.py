"""A beheerder designates a colleague as editor of the sociale kaart entry; the colleague confirms it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def school(transactional_db: None) -> Organisation:
    return OrganisationFactory(
        name="Basisschool De Linde", type=OrganisationType.ONDERWIJS, municipality=MunicipalityFactory()
    )


@pytest.fixture
def beheerder(school: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, school, username="fb-linde", first_name="Bert", last_name="Beheer")


@pytest.fixture
def colleague(school: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, school, username="ib-linde", first_name="Ilse", last_name="Bakker")


def test_designated_editor_keeps_the_entry_up_to_date(
    browse: Callable[[], UI], school: Organisation, beheerder: User, colleague: User
) -> None:
    ui = browse()
    login(ui, beheerder)
    ui.goto(f"/sociale-kaart/organisaties/{school.pk}/")
    expect(ui.page.get_by_text("Deze gegevens zijn verouderd.")).to_be_visible()
    ui.submit(ui.page.get_by_role("link", name="Gegevens wijzigen"))
    editors = ui.page.locator("section", has=ui.page.get_by_role("heading", name="Wie mag deze gegevens bijwerken?"))
    expect(editors.get_by_text("Er zijn nog geen medewerkers aangewezen.")).to_be_visible()
    editors.get_by_label("Medewerker").select_option(label="Ilse Bakker (Professional)")
    ui.submit(editors.get_by_role("button", name="Medewerker aanwijzen"))
    expect(ui.page.get_by_text("De medewerker mag de gegevens nu bijwerken.")).to_be_visible()
    expect(editors.get_by_role("button", name="Ilse Bakker weghalen")).to_be_visible()

    other = browse()
    login(other, colleague)
    other.goto(f"/sociale-kaart/organisaties/{school.pk}/")
    other.submit(other.page.get_by_role("link", name="Gegevens wijzigen"))
    expect(other.page.get_by_role("heading", name="Wie mag deze gegevens bijwerken?")).to_have_count(0)
    other.page.get_by_label("Beschrijving").fill("Basisschool met een zorgteam en een intern begeleider.")
    other.submit(other.page.get_by_role("button", name="Opslaan"))
    other.submit(other.page.get_by_role("button", name="Gegevens bevestigen"))
    expect(other.page.get_by_text("De gegevens zijn bevestigd.")).to_be_visible()
    expect(other.page.get_by_text("Deze gegevens zijn verouderd.")).to_have_count(0)
    expect(other.page.get_by_text("Laatst bevestigd op")).to_be_visible()
