"""Inzage and destruction in the browser: a parent's request is refused for a 16-year-old, recorded for a
younger child, the overview PDF made in the background and downloaded, the answer recorded; a destruction
request is decided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.dossiers.models import Dossier, Relation
from keten.sharing.inzage.services import RequestData, inzage_export_build, inzage_record, one_month_after
from keten.sharing.models import DestructionRequest, InzageExport, InzageRequest, RequesterRole
from keten.testing.factories import OrganisationFactory, make_dossier, make_person, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def wijkteam(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM)


@pytest.fixture
def worker(wijkteam: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, wijkteam, username="sanne", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def dossier(worker: User) -> Dossier:
    dossier = make_dossier(worker, family_name="Gezin Bakker")
    today = timezone.localdate()
    make_person(dossier.family, relation=Relation.OUDER, first_name="Mirjam", date_of_birth=date(1984, 5, 1))
    make_person(dossier.family, first_name="Daan", date_of_birth=date(today.year - 16, 1, 1))
    return dossier


def test_parent_asks_for_inzage_and_destruction(
    browse: Callable[[], UI], worker: User, dossier: Dossier, tmp_path: Path
) -> None:
    ui = browse()
    page = ui.page
    login(ui, worker)
    ui.goto(f"/delen/inzage/dossier/{dossier.reference}/")
    expect(page.get_by_text("Er zijn geen inzageverzoeken.")).to_be_visible()
    ui.submit(page.get_by_role("link", name="Inzageverzoek vastleggen"))

    # The mother asks about her 16-year-old son: refused, next to the field.
    page.get_by_label("Wie doet het verzoek?").select_option(label="Mirjam Jansen")
    page.get_by_label("Als").select_option(value="ouder_gezag")
    page.get_by_label("Over wie gaat het verzoek?").select_option(label="Daan Jansen")
    ui.submit(page.get_by_role("button", name="Vastleggen"))
    expect(page.get_by_role("alert")).to_contain_text("Vanaf 16 jaar doet de jongere het verzoek zelf")
    assert not InzageRequest.objects.exists()

    # About her younger child it is recorded, with the date it must be answered by.
    child = dossier.family.persons.filter(relation=Relation.KIND).order_by("pk").first()
    assert child is not None
    page.get_by_label("Over wie gaat het verzoek?").select_option(value=str(child.pk))
    ui.submit(page.get_by_role("button", name="Vastleggen"))
    due = one_month_after(timezone.localdate())
    expect(page.locator("#due-on")).to_contain_text(due.strftime("%d-%m-%Y"))

    # The overview is made by a task (run at once in tests); the status page then offers the download.
    ui.submit(page.get_by_role("button", name="Overzicht maken (PDF)"))
    expect(page.get_by_role("status")).to_contain_text("Het overzicht is klaar")
    with page.expect_download() as info:
        page.get_by_role("link", name="Overzicht downloaden (PDF)").click()
    target = tmp_path / "inzage.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    ui.submit(page.get_by_role("link", name="Terug naar het inzageverzoek"))

    page.get_by_label("Toelichting (niet verplicht)").fill("Afgegeven aan moeder in een gesprek.")
    ui.submit(page.get_by_role("button", name="Beantwoord"))
    item = InzageRequest.objects.get()
    assert item.answered_on == timezone.localdate()

    # Daan (16) asks himself for destruction; it is granted with the manual follow-up.
    ui.goto(f"/delen/inzage/dossier/{dossier.reference}/vernietiging/")
    page.get_by_label("Wie doet het verzoek?").select_option(label="Daan Jansen")
    page.get_by_label("Als").select_option(value="jongere")
    page.get_by_label("Over wie gaat het verzoek?").select_option(label="Daan Jansen")
    ui.submit(page.get_by_role("button", name="Vastleggen"))
    page.get_by_label("Toegewezen").check()
    page.get_by_label("Motivering").fill("Er is geen wettelijke plicht om dit te bewaren.")
    page.get_by_label("Wat wordt er vernietigd, waar en door wie?").fill("Sanne verwijdert de verslagen over Daan.")
    ui.submit(page.get_by_role("button", name="Beslissing vastleggen"))
    expect(page.locator("#decision")).to_contain_text("Toegewezen")
    ui.submit(page.get_by_role("button", name="Vernietiging is uitgevoerd"))
    destruction = DestructionRequest.objects.get()
    assert destruction.carried_out_on == timezone.localdate()
    ui.goto(f"/delen/inzage/dossier/{dossier.reference}/")
    expect(page.get_by_text("Beantwoord op")).to_be_visible()


def test_overview_page_follows_the_background_task(
    browse: Callable[[], UI], worker: User, dossier: Dossier, settings: Any
) -> None:
    """With a real task queue the click only queues the PDF; the status page updates itself when it is ready."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mother = dossier.family.persons.get(relation=Relation.OUDER)
    child = dossier.family.persons.filter(relation=Relation.KIND).order_by("pk").first()
    assert child is not None
    item = inzage_record(
        actor=actor_for_user(worker),
        dossier=dossier,
        data=RequestData(
            requester_id=mother.pk,
            requester_role=RequesterRole.OUDER_MET_GEZAG,
            about_id=child.pk,
            received_on=timezone.localdate(),
        ),
    )
    ui = browse()
    page = ui.page
    login(ui, worker)
    ui.goto(f"/delen/inzage/{item.pk}/")
    ui.submit(page.get_by_role("button", name="Overzicht maken (PDF)"))
    status = page.get_by_role("status")
    expect(status).to_contain_text("Het overzicht wordt gemaakt")
    export = InzageExport.objects.get()
    assert export.status == InzageExport.Status.QUEUED
    inzage_export_build(export.pk)  # what the worker does
    expect(status).to_contain_text("Het overzicht is klaar", timeout=15_000)
    ui.check()
    expect(page.get_by_role("link", name="Overzicht downloaden (PDF)")).to_be_visible()
