"""Account beheer in the browser: a reset needs a second beheerder (four eyes), a beheerder sees only
their own organisation's accounts, and everyone changes their own password with password + code."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from keten.accounts.models import Organisation, ResetRequest, Role, User
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, make_user
from keten.testing.otp import links_in_outbox
from tests.browser.conftest import UI
from tests.browser.helpers import PASSWORD, login, totp_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "groene-fiets-rijdt-snel-77"


@pytest.fixture
def organisation(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Oost")


@pytest.fixture
def worker(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="werker", first_name="Iris", last_name="Kok")


@pytest.fixture
def first_beheerder(organisation: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, username="beheer1", first_name="Ruud", last_name="Veen")


@pytest.fixture
def second_beheerder(organisation: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, username="beheer2", first_name="Mila", last_name="Post")


def test_a_reset_of_a_case_role_account_waits_for_a_second_beheerder(
    browse: Callable[[], UI], worker: User, first_beheerder: User, second_beheerder: User
) -> None:
    ui = browse()
    page = ui.page
    login(ui, first_beheerder)
    ui.goto(f"/account/beheer/medewerkers/{worker.pk}/herstellen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Account van Iris Kok herstellen")
    expect(page.get_by_role("status")).to_contain_text("een andere functioneel beheerder")

    # Without a reason nothing happens: a Dutch message beside the field.
    ui.submit(page.get_by_role("button", name="Herstel aanvragen"))
    expect(page.get_by_role("alert").first).to_be_visible()
    assert not ResetRequest.objects.exists()

    page.get_by_label("Reden").fill("Telefoon met de app is gestolen, gebeld en gecontroleerd.")
    ui.submit(page.get_by_role("button", name="Herstel aanvragen"))
    expect(page.get_by_role("status").filter(has_text="Het herstelverzoek is ingediend")).to_be_visible()
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists(), "nothing changes before approval"
    assert links_in_outbox(to=worker.email) == []

    # The requester cannot approve their own request.
    request = ResetRequest.objects.get()
    ui.goto(f"/account/beheer/herstelverzoeken/{request.pk}/")
    expect(page.get_by_role("button", name="Goedkeuren en link versturen")).to_have_count(0)
    expect(page.get_by_role("button", name="Verzoek intrekken")).to_be_visible()

    other = browse()
    login(other, second_beheerder)
    other.goto("/account/beheer/herstelverzoeken/")
    other.submit(other.page.get_by_role("link", name="Iris Kok"))
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Herstelverzoek voor Iris Kok")
    other.screenshot("reset-request-four-eyes")
    other.submit(other.page.get_by_role("button", name="Goedkeuren en link versturen"))
    expect(other.page.get_by_role("status").filter(has_text="goedgekeurd")).to_be_visible()

    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert len(links_in_outbox(to=worker.email)) == 1
    # Both steps are audited: the request by the first beheerder, the reset by the second.
    request_event = AuditEvent.objects.get(object_type="reset_request", action="create")
    assert request_event.actor_id == first_beheerder.pk
    reset_event = AuditEvent.objects.get(object_type="account_reset")
    assert reset_event.actor_id == second_beheerder.pk
    assert reset_event.object_id == str(worker.pk)


def test_a_beheerder_of_another_organisation_finds_no_account(
    ui: UI, worker: User, first_beheerder: User, transactional_db: None
) -> None:
    elsewhere = make_user(Role.FUNCTIONEEL_BEHEERDER, OrganisationFactory(name="Sportclub De Ren"), username="club")
    login(ui, elsewhere)
    assert ui.goto(f"/account/beheer/medewerkers/{worker.pk}/").status == 404
    assert ui.goto(f"/account/beheer/medewerkers/{worker.pk}/herstellen/").status == 404
    ui.goto("/account/beheer/medewerkers/")
    expect(ui.page.locator("main")).not_to_contain_text("Iris Kok")


def test_a_professional_changes_their_own_password_with_password_and_code(ui: UI, worker: User) -> None:
    page = ui.page
    login(ui, worker)
    ui.goto("/account/")
    ui.submit(page.get_by_role("link", name="Wachtwoord wijzigen"))
    assert ui.path() == "/account/wachtwoord/"

    key = TOTPDevice.objects.get(user=worker).bin_key
    # A wrong current password is refused and changes nothing (the code is not spent on it).
    page.get_by_label("Huidig wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code(key, at=time.time() + 30))
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
    ui.submit(page.get_by_role("button", name="Wachtwoord wijzigen"))
    expect(page.get_by_role("alert").first).to_be_visible()
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)

    page.get_by_label("Huidig wachtwoord").fill(PASSWORD)
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code(key, at=time.time() + 30))
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
    ui.submit(page.get_by_role("button", name="Wachtwoord wijzigen"))
    expect(page.get_by_role("status").filter(has_text="Uw wachtwoord is gewijzigd")).to_be_visible()
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
