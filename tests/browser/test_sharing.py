"""Informatie delen in the browser: the deelhulp, recording a disclosure and the teacher's time-limited view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.dossiers.models import Dossier, DossierNote
from keten.sharing import services
from keten.sharing.models import AccessGrant, Disclosure, LegalBasis
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.browser.conftest import UI
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def wijkteam(transactional_db: None) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM)


@pytest.fixture
def school(wijkteam: Organisation) -> Organisation:
    return OrganisationFactory(name="Basisschool De Linde", type=OrganisationType.ONDERWIJS)


@pytest.fixture
def worker(wijkteam: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, wijkteam, username="sanne", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def teacher(school: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, school, username="juf", first_name="Fatima", last_name="El Amrani")


@pytest.fixture
def dossier(worker: User) -> Dossier:
    dossier = make_dossier(worker, family_name="Gezin Bakker")
    DossierNote.objects.create(dossier=dossier, author=worker, text="Vertrouwelijk gesprek met moeder")
    return dossier


def _convenant(wijkteam: Organisation, school: Organisation) -> None:
    manager = make_user(Role.BELEIDSMEDEWERKER, wijkteam, username="beleid")
    services.convenant_create(
        actor=actor_for_user(manager),
        data=services.ConvenantData(
            title="Convenant Zorg voor de Jeugd",
            party_ids=[wijkteam.pk, school.pk],
            purposes=["Samen de zorg voor kinderen afstemmen"],
            start_date=timezone.localdate() - timedelta(days=30),
            flows=[
                services.FlowData(
                    from_types=[OrganisationType.WIJKTEAM],
                    to_types=[OrganisationType.ONDERWIJS],
                    purpose="Afstemmen van de hulp met school",
                    categories=["personalia", "hulpverlening", "signalen"],
                    legal_basis=LegalBasis.PUBLIEKE_TAAK,
                )
            ],
        ),
    )


def test_worker_shares_with_school_and_teacher_sees_only_the_shared_part(
    browse: Callable[[], UI],
    worker: User,
    teacher: User,
    wijkteam: Organisation,
    school: Organisation,
    dossier: Dossier,
) -> None:
    ui = browse()
    page = ui.page
    login(ui, worker)
    child = dossier.family.persons.get()

    # From the dossier's Delen section to the deelhulp.
    ui.goto(f"/dossiers/{dossier.reference}/delen/")
    delen = page.locator("section", has=page.get_by_role("heading", name="Delen", exact=True))
    expect(delen).to_contain_text("Er is nog niets gedeeld")
    ui.submit(delen.get_by_role("link", name="Deelhulp: mag ik informatie delen?"))
    assert ui.path() == f"/delen/{dossier.reference}/deelhulp/"

    # No consent, no convenant: do not share yet, consult first.
    page.get_by_label("Aan welke organisatie wilt u iets vertellen?").select_option(label="Basisschool De Linde")
    page.get_by_label("Waarom wilt u dit delen?").fill("De school helpt de zorgen over het kind te volgen")
    page.get_by_label(child.full_name).check()
    for category in ("personalia", "hulpverlening"):
        page.locator(f"#id_categories input[value='{category}']").check()
        page.locator(f"#id_needed input[value='{category}']").check()
    ui.submit(page.get_by_role("button", name="Advies bekijken"))
    advies = page.locator("#advies")
    expect(advies).to_contain_text("Deel nog niets")
    expect(advies).to_contain_text("Overleg eerst")
    expect(page.locator("#lookups")).to_contain_text("geen geldige toestemming")

    # With a convenant that covers the school and these data: share, and inform the parents.
    _convenant(wijkteam, school)
    ui.submit(page.get_by_role("button", name="Advies bekijken"))
    expect(advies).to_contain_text("U mag deze informatie delen.")
    expect(advies).to_contain_text("Informeer de ouders")
    expect(page.locator("#lookups")).to_contain_text("Convenant Zorg voor de Jeugd")

    # Record the disclosure: the teacher may look for 14 days.
    page.get_by_label("Aan welke professional?").select_option(label="Fatima El Amrani — Basisschool De Linde")
    page.get_by_label("Waarom deelt u zonder toestemming?").fill("Het convenant staat dit delen met school toe")
    page.get_by_label("Hoeveel dagen mag de professional").fill("14")
    ui.submit(page.get_by_role("button", name="Advies volgen en verstrekking vastleggen"))
    assert ui.path() == f"/dossiers/{dossier.reference}/"
    ui.swap(page.get_by_role("navigation", name="Dossieronderdelen").get_by_role("link", name="Delen"))
    assert ui.path() == f"/dossiers/{dossier.reference}/delen/"
    disclosure = Disclosure.objects.get()
    assert disclosure.legal_basis == LegalBasis.CONVENANT
    assert disclosure.advice["advice"] == "delen"
    grant = AccessGrant.objects.get()
    assert grant.user_id == teacher.pk
    assert (grant.expires_at - grant.starts_at).days == 14
    delen = page.locator("section", has=page.get_by_role("heading", name="Delen", exact=True))
    expect(delen).to_contain_text("Basisschool De Linde")
    expect(delen).to_contain_text("Convenant")
    # The whole disclosure log of the dossier, with its running access.
    ui.submit(delen.get_by_role("link", name="Het hele verstrekkingenlog bekijken (1 verstrekking)"))
    expect(page.locator("#log-range")).to_contain_text("Verstrekking 1 tot en met 1 van 1.")
    expect(page.locator("main")).to_contain_text(disclosure.reference)
    expect(page.get_by_role("button", name=f"Inzage beëindigen {disclosure.reference}")).to_be_visible()
    ui.goto(f"/dossiers/{dossier.reference}/")

    # The teacher sees exactly the shared part, and nothing more.
    juf = browse()
    login(juf, teacher)
    juf.goto("/delen/met-mij-gedeeld/")
    juf.submit(juf.page.get_by_role("link", name="Gedeeld door Wijkteam Noord"))
    assert juf.path() == f"/delen/toegang/{grant.pk}/"
    main = juf.page.locator("main")
    expect(main).to_contain_text(child.full_name)
    expect(main).to_contain_text("Lopende hulp")
    expect(main).to_contain_text("Sanne de Vries")
    for hidden in ("Vertrouwelijk gesprek", "Gezin Bakker", "999", "Notities", "Signalen", dossier.reference):
        expect(main).not_to_contain_text(hidden)
    assert juf.goto(f"/dossiers/{dossier.reference}/").status == 404
    assert juf.goto(f"/delen/{dossier.reference}/verstrekkingen/").status == 404

    # After the period the teacher sees nothing.
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert juf.goto(f"/delen/toegang/{grant.pk}/").status == 404
    juf.goto("/delen/met-mij-gedeeld/")
    expect(juf.page.locator("main")).to_contain_text("Er is op dit moment niets met u gedeeld.")


def test_consent_convenant_and_overview_pages_are_accessible(
    browse: Callable[[], UI], worker: User, wijkteam: Organisation, school: Organisation, dossier: Dossier
) -> None:
    # The worker records consent; a wrong role shows the Dutch error next to the field.
    ui = browse()
    page = ui.page
    login(ui, worker)
    ui.goto(f"/delen/{dossier.reference}/toestemming/nieuw/")
    child = dossier.family.persons.get()
    page.get_by_label("Wie geeft toestemming?").select_option(label=child.full_name)
    page.get_by_label("In welke rol?").select_option(value="volwassene")
    page.get_by_label("Over wie gaat de toestemming?").select_option(label=child.full_name)
    page.get_by_label("Voor welk doel?").fill("Afstemmen van de hulp met school")
    page.get_by_label("Basisschool De Linde").check()
    ui.submit(page.get_by_role("button", name="Toestemming vastleggen"))
    expect(page.locator("#id_giver_role_error")).to_contain_text("kan in deze rol geen toestemming geven")

    # The beleidsmedewerker: a flow without a legal basis is refused, then the convenant is saved.
    manager = make_user(Role.BELEIDSMEDEWERKER, wijkteam, username="beleid")
    beleid = browse()
    login(beleid, manager)
    beleid.goto("/delen/convenanten/nieuw/")
    form = beleid.page
    form.get_by_label("Titel").fill("Convenant Zorg voor de Jeugd")
    form.get_by_label("Wijkteam Noord").check()
    form.get_by_label("Basisschool De Linde").check()
    form.get_by_label("Doelen van de samenwerking").fill("Samen de zorg afstemmen")
    form.get_by_label("Ingangsdatum").fill(timezone.localdate().isoformat())
    form.locator("#id_flow1_from_types").select_option("wijkteam")
    form.locator("#id_flow1_to_types").select_option("onderwijs")
    form.locator("#id_flow1_purpose").fill("Afstemmen van de hulp")
    form.locator("#id_flow1_categories").select_option("hulpverlening")
    beleid.submit(form.get_by_role("button", name="Opslaan"))
    expect(form.locator("#id_flow1_legal_basis_error")).to_contain_text("heeft geen grondslag")
    form.locator("#id_flow1_legal_basis").select_option("publieke_taak")
    beleid.submit(form.get_by_role("button", name="Opslaan"))
    assert beleid.path() == "/delen/convenanten/"
    beleid.goto("/sociale-kaart/afspraken/")
    expect(form.locator("main")).to_contain_text("Convenant Zorg voor de Jeugd")
    beleid.goto("/delen/cijfers/")

    officer = make_user(Role.AANDACHTSFUNCTIONARIS, wijkteam, username="af")
    af = browse()
    login(af, officer)
    af.goto("/delen/verstrekkingen/?periode=30")
