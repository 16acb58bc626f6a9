"""The routekaart for professionals: who may read it, what it shows, the PDF and its audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import actor_for_user
from keten.core.models import AuditEvent
from keten.network.models import Agreement, AgreementType, OrganisationEntry
from keten.network.routekaart import selectors as routekaart
from keten.network.routekaart.views import pdf_html
from keten.testing.factories import OrganisationFactory, WijkFactory, make_user

ClientFor = Callable[[User], Client]


def pdf_text(content: bytes) -> str:
    """The text of every page of a PDF, with runs of white space made single spaces."""
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.fixture
def wijkteam(municipality: Municipality, wijk_noord: Wijk) -> Organisation:
    organisation = OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM, municipality=municipality)
    organisation.wijken.add(wijk_noord)
    OrganisationEntry.objects.filter(organisation=organisation).update(
        phone="030-7654321",
        secure_email="wijkteam@zorgmail.example",
        opening_hours="ma-vr 9-17 uur",
        last_confirmed_at=timezone.now(),
    )
    return organisation


@pytest.fixture
def agreements(jgz: Organisation, wijkteam: Organisation, school: Organisation, wijk_noord: Wijk) -> list[Agreement]:
    today = timezone.localdate()
    local = Agreement.objects.create(
        municipality=jgz.municipality,
        type=AgreementType.TERUGKOPPELING,
        title="Terugkoppeling JGZ en wijkteam",
        promise="Terugkoppeling binnen 5 werkdagen",
        start_date=today - timedelta(days=30),
    )
    local.parties.set([jgz, wijkteam])
    local.wijken.set([wijk_noord])
    everywhere = Agreement.objects.create(
        municipality=jgz.municipality,
        type=AgreementType.BEREIKBAARHEID,
        title="Bereikbaarheid in de gemeente",
        promise="Teruggebeld op dezelfde werkdag",
        start_date=today - timedelta(days=30),
    )
    everywhere.parties.set([wijkteam, school])
    ended = Agreement.objects.create(
        municipality=jgz.municipality,
        type=AgreementType.ESCALATIE,
        title="Oude escalatieafspraak",
        promise="Opgeschaald binnen een uur",
        start_date=today - timedelta(days=400),
        end_date=today - timedelta(days=1),
    )
    ended.parties.set([jgz, wijkteam])
    return [local, everywhere, ended]


def test_anonymous_is_sent_to_login(client: Client, wijk_noord: Wijk) -> None:
    for url in ("/routekaart/", f"/routekaart/{wijk_noord.pk}/", f"/routekaart/{wijk_noord.pk}/pdf/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/inloggen/" in response["Location"]


@pytest.mark.parametrize("who", ["school_prof", "jgz_officer", "fb_gemeente", "beleid"])
def test_every_role_with_a_membership_may_read(
    client_for: ClientFor, request: pytest.FixtureRequest, wijk_noord: Wijk, wijk_zuid: Wijk, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    index = client.get("/routekaart/")
    assert index.status_code == 200
    assert f"/routekaart/{wijk_noord.pk}/" in index.content.decode()
    assert f"/routekaart/{wijk_zuid.pk}/" in index.content.decode()
    assert client.get(f"/routekaart/{wijk_noord.pk}/").status_code == 200


def test_user_without_membership_gets_404(client_for: ClientFor, school_prof: User, wijk_noord: Wijk) -> None:
    school_prof.memberships.update(is_active=False)
    client = client_for(school_prof)
    assert client.get("/routekaart/").status_code == 404
    assert client.get(f"/routekaart/{wijk_noord.pk}/").status_code == 404
    assert client.get(f"/routekaart/{wijk_noord.pk}/pdf/").status_code == 404


def test_other_municipality_and_unknown_wijk_give_404(
    client_for: ClientFor, school_prof: User, other_municipality: Municipality
) -> None:
    elsewhere = WijkFactory(municipality=other_municipality, name="Elders", code="E")
    client = client_for(school_prof)
    assert client.get(f"/routekaart/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/routekaart/{elsewhere.pk}/pdf/").status_code == 404
    assert client.get("/routekaart/999999/").status_code == 404
    assert "Elders" not in client.get("/routekaart/").content.decode()
    assert not AuditEvent.objects.filter(object_type="routekaart").exists()


def test_content_of_the_routekaart(
    client_for: ClientFor,
    school_prof: User,
    jgz_officer: User,
    wijkteam: Organisation,
    school: Organisation,
    agreements: list[Agreement],
    wijk_noord: Wijk,
) -> None:
    html = client_for(school_prof).get(f"/routekaart/{wijk_noord.pk}/").content.decode()
    assert "Routekaart wijk Noord" in html
    assert "Gegenereerd op" in html
    for step in ("Stap 1. Eerste zorg", "Stap 2.", "Stap 3.", "Stap 4."):
        assert step in html
    assert html.index("Stap 1.") < html.index("Stap 2.") < html.index("Stap 3.") < html.index("Stap 4.")
    assert "0800-2000" in html
    assert "112" in html
    # The wijkteam with its entry; JGZ with its aandachtsfunctionaris.
    assert "Wijkteam Noord" in html
    assert "030-7654321" in html
    assert "wijkteam@zorgmail.example" in html
    assert "ma-vr 9-17 uur" in html
    assert "Jeugdgezondheidszorg Noord" in html
    assert "Anouk Smit" in html
    assert "030-1234567" in html
    # The school works in Zuid only.
    steps = html.split("Stap 1. Eerste zorg")[1].split("Samenwerkingsafspraken in deze wijk")[0]
    assert school.name not in steps
    # Agreements of the wijk and of the whole municipality, not the ended one.
    assert "Terugkoppeling binnen 5 werkdagen" in html
    assert "Teruggebeld op dezelfde werkdag" in html
    assert "Opgeschaald binnen een uur" not in html
    # JGZ was never confirmed, the wijkteam just now.
    assert "verouderd" in html


def test_stale_flag_follows_the_setting(
    school_prof: User, wijkteam: Organisation, wijk_noord: Wijk, settings: Any
) -> None:
    OrganisationEntry.objects.filter(organisation=wijkteam).update(
        last_confirmed_at=timezone.now() - timedelta(days=100)
    )
    settings.KETEN_NETWORK_STALE_MONTHS = 6
    kaart = routekaart.routekaart_for_wijk(actor=actor_for_user(school_prof), wijk_id=wijk_noord.pk)
    assert [c.is_stale for c in kaart.wijkteams] == [False]
    settings.KETEN_NETWORK_STALE_MONTHS = 2
    kaart = routekaart.routekaart_for_wijk(actor=actor_for_user(school_prof), wijk_id=wijk_noord.pk)
    assert [c.is_stale for c in kaart.wijkteams] == [True]


def test_own_aandachtsfunctionaris_is_listed(school_prof: User, school: Organisation, wijk_noord: Wijk) -> None:
    make_user(Role.AANDACHTSFUNCTIONARIS, school, username="af-school", first_name="Sanne", last_name="de Boer")
    kaart = routekaart.routekaart_for_wijk(actor=actor_for_user(school_prof), wijk_id=wijk_noord.pk)
    assert [str(m.user) for m in kaart.own_officers] == ["Sanne de Boer"]


def test_wijk_without_organisations(client_for: ClientFor, school_prof: User, municipality: Municipality) -> None:
    empty = WijkFactory(municipality=municipality, name="Leeg", code="L")
    response = client_for(school_prof).get(f"/routekaart/{empty.pk}/")
    assert response.status_code == 200
    assert "Voor deze wijk is geen wijkteam bekend." in response.content.decode()


def _grow(municipality: Municipality, wijk: Wijk, start: int, count: int) -> None:
    today = timezone.localdate()
    for n in range(start, start + count):
        organisation = OrganisationFactory(
            name=f"Partner {n}", type=OrganisationType.JEUGDHULP, municipality=municipality
        )
        organisation.wijken.add(wijk)
        make_user(Role.AANDACHTSFUNCTIONARIS, organisation, username=f"af-{n}")
        agreement = Agreement.objects.create(
            municipality=municipality,
            type=AgreementType.VERWIJZEN,
            title=f"Afspraak {n}",
            promise="x",
            start_date=today,
        )
        agreement.parties.set([organisation])
        agreement.wijken.set([wijk])
        agreement.contact_persons.set([organisation.memberships.get().user])


def test_query_count_is_constant(
    client_for: ClientFor,
    school_prof: User,
    municipality: Municipality,
    wijk_noord: Wijk,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(school_prof)
    url = f"/routekaart/{wijk_noord.pk}/"
    _grow(municipality, wijk_noord, 0, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(municipality, wijk_noord, 2, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "Partner 16" in html
    actor = actor_for_user(school_prof)
    actor.user.active_membership  # type: ignore[union-attr]  # noqa: B018 - load the acting membership outside the count
    with django_assert_max_num_queries(7):
        kaart = routekaart.routekaart_for_wijk(actor=actor, wijk_id=wijk_noord.pk)
    assert len(kaart.partners) == 17
    assert len(kaart.agreements) == 17


def test_pdf(
    client_for: ClientFor,
    school_prof: User,
    jgz_officer: User,
    wijkteam: Organisation,
    agreements: list[Agreement],
    wijk_noord: Wijk,
    rf: RequestFactory,
) -> None:
    response = client_for(school_prof).get(f"/routekaart/{wijk_noord.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="routekaart-noord.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Routekaart wijk Noord" in text
    with translation.override("nl"):
        today = date_format(timezone.localdate(), "j F Y")
    assert f"Gegenereerd op {today}" in text
    assert "0800-2000" in text
    assert "112" in text
    assert "Anouk Smit" in text
    assert "Terugkoppeling binnen 5 werkdagen" in text
    event = AuditEvent.objects.get(object_type="routekaart")
    assert event.action == "export"
    assert event.object_id == str(wijk_noord.pk)
    assert event.actor_id == school_prof.pk
    # The document the PDF is made from.
    request = rf.get("/")
    request.user = school_prof
    kaart = routekaart.routekaart_for_wijk(actor=actor_for_user(school_prof), wijk_id=wijk_noord.pk)
    html = pdf_html(request, kaart)
    assert "Routekaart wijk Noord" in html
    assert "0800-2000" in html
    assert "112" in html
    assert "Gegenereerd op" in html
    assert "Anouk Smit" in html
    assert "Terugkoppeling binnen 5 werkdagen" in html
    # Nothing the PDF renderer would have to fetch.
    assert "<link" not in html
    assert "<script" not in html
    assert "url(" not in html


@pytest.fixture
def clear_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_pdf_is_cached_per_wijk_and_dropped_on_a_change(
    client_for: ClientFor,
    school_prof: User,
    jgz: Organisation,
    wijkteam: Organisation,
    agreements: list[Agreement],
    wijk_noord: Wijk,
    clear_cache: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint

    renders: list[int] = []
    real_write_pdf = weasyprint.HTML.write_pdf

    def counting_write_pdf(self: Any, *args: Any, **kwargs: Any) -> Any:
        renders.append(1)
        return real_write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting_write_pdf)
    client = client_for(school_prof)
    url = f"/routekaart/{wijk_noord.pk}/pdf/"
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert len(renders) == 1
    # Every download is audited, cached or not.
    assert AuditEvent.objects.filter(object_type="routekaart", action="export").count() == 2

    # A changed agreement, entry or organisation of the municipality gives a fresh PDF.
    agreement = agreements[0]
    agreement.promise = "Nu binnen 3 werkdagen teruggebeld"
    agreement.save()
    assert "Nu binnen 3 werkdagen teruggebeld" in pdf_text(client.get(url).content)
    assert len(renders) == 2
    OrganisationEntry.objects.get(organisation=wijkteam).save()
    client.get(url)
    assert len(renders) == 3
    other = OrganisationFactory(name="Nieuwe partner", municipality=jgz.municipality)
    assert "Nieuwe partner" in pdf_text(client.get(url).content)
    assert len(renders) == 4
    agreement.parties.add(other)
    client.get(url)
    assert len(renders) == 5
    # Another language is another document.
    client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    client.get(url)
    assert len(renders) in (5, 6)  # 6 when English is an available language


def test_pdf_lists_agreements_compactly(
    client_for: ClientFor,
    school_prof: User,
    jgz: Organisation,
    wijkteam: Organisation,
    wijk_noord: Wijk,
    clear_cache: None,
) -> None:
    today = timezone.localdate()
    for n in range(150):
        agreement = Agreement.objects.create(
            municipality=jgz.municipality,
            type=list(AgreementType)[n % 7],
            title=f"Afspraak nummer {n}",
            promise="Wij bellen elkaar binnen twee werkdagen terug en leggen de afspraak vast in het dossier.",
            start_date=today,
        )
        agreement.parties.set([jgz, wijkteam])
    content = client_for(school_prof).get(f"/routekaart/{wijk_noord.pk}/pdf/").content
    reader = PdfReader(BytesIO(content))
    text = pdf_text(content)
    assert "150 afspraken gelden in wijk Noord" in text
    assert "Afspraak nummer 149" in text
    assert len(reader.pages) <= 8
