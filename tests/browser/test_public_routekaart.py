"""Public routekaart in the browser: a citizen finds help by postcode, also without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from keten.accounts.models import Organisation, OrganisationType
from keten.network.models import OrganisationEntry, PostcodeRange
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory
from tests.browser.conftest import TIMEOUT_MS, UI

pytestmark = pytest.mark.browser


@pytest.fixture
def wijkteam(transactional_db: None) -> Organisation:
    municipality = MunicipalityFactory()
    noord = WijkFactory(municipality=municipality, name="Noord", code="N")
    PostcodeRange.objects.create(wijk=noord, start=3500, end=3519)
    organisation = OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM, municipality=municipality)
    organisation.wijken.add(noord)
    OrganisationEntry.objects.filter(organisation=organisation).update(
        is_public=True,
        visiting_address="Marktstraat 1",
        phone="030-1111111",
        opening_hours="Maandag tot en met vrijdag 9–17 uur",
        secure_email="veilig@wijkteam.example",
    )
    hidden = OrganisationFactory(name="Jeugdarts Noord", type=OrganisationType.JGZ, municipality=municipality)
    hidden.wijken.add(noord)
    return organisation


def _search_postcode(page: Page, postcode: str) -> None:
    page.get_by_label("Postcode").fill(postcode)


def _assert_result(page: Page) -> None:
    main = page.locator("main")
    expect(main.get_by_role("heading", name="Hulp in wijk Noord")).to_be_visible()
    expect(main.get_by_role("heading", name="Wijkteam Noord")).to_be_visible()
    expect(main.get_by_text("030-1111111")).to_be_visible()
    expect(main.get_by_role("link", name="0800-2000")).to_be_visible()
    expect(main.get_by_role("link", name="112")).to_be_visible()
    expect(main.get_by_text("Jeugdarts Noord")).to_have_count(0)
    expect(main.get_by_text("veilig@wijkteam.example")).to_have_count(0)


def test_citizen_finds_the_wijkteam_by_postcode(ui: UI, wijkteam: Organisation) -> None:
    ui.goto("/publiek/")
    expect(ui.page.get_by_role("heading", name="Zorgen over een kind? Hier kunt u terecht")).to_be_visible()
    expect(ui.page.get_by_role("link", name="Uitloggen")).to_have_count(0)
    _search_postcode(ui.page, "3505 AB")
    ui.submit(ui.page.get_by_role("button", name="Zoeken"))
    assert ui.path().startswith("/publiek/routekaart/?postcode=3505")
    _assert_result(ui.page)
    ui.screenshot("publiek-routekaart")
    # A malformed postcode gets a message next to the field.
    _search_postcode(ui.page, "12")
    ui.submit(ui.page.get_by_role("button", name="Zoeken"))
    expect(ui.page.locator("#postcode_error")).to_contain_text("Vul een geldige postcode in")
    expect(ui.page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    # The printed page leaves out the form.
    ui.page.emulate_media(media="print")
    expect(ui.page.get_by_role("button", name="Zoeken")).to_be_hidden()
    expect(ui.page.get_by_role("link", name="0800-2000").first).to_be_visible()


def test_citizen_without_javascript(browser: Browser, live_server: Any, wijkteam: Organisation) -> None:
    """The same flow with JavaScript switched off (axe needs JavaScript, so it runs in the test above)."""
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/publiek/")
        _search_postcode(page, "3505AB")
        with page.expect_navigation():
            page.get_by_role("button", name="Zoeken").click()
        _assert_result(page)
        page.get_by_label("Of kies uw wijk").select_option(label="Noord")
        with page.expect_navigation():
            page.get_by_role("button", name="Toon deze wijk").click()
        assert "wijk=" in page.url
        _assert_result(page)
    finally:
        context.close()
