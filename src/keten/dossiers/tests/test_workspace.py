"""The dossier workspace: header, section navigation, one section per page, forms on their own pages,
stale forms, access (404 outside the case team, read-only for a break-the-glass reader) and the
header's fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.dossiers import sections, selectors, services
from keten.dossiers.models import BreakGlassAccess, CaseRole, Dossier, DossierNote, Person
from keten.dossiers.workspace import header_for
from keten.meldcode.models import Traject
from keten.meldcode.trajecten import services as traject_services
from keten.overleg.models import Agreement, CaseRegistration, OverlegKind, OverlegType, RegistrationStatus
from keten.testing.factories import make_dossier, make_person, make_user

pytestmark = pytest.mark.django_db

SECTIONS = ("gezin", "casusteam", "meldcode", "overleg", "delen", "notities")
TODAY = timezone.localdate


def _nav(body: str) -> str:
    found = re.search(r'<nav id="dossier-sections".*?</nav>', body, re.S)
    assert found, "no section navigation"
    return found.group(0)


def _current(body: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*aria-current="page"', _nav(body))


def _deadlines(dossier: Dossier, professional: User, actor: Actor, *, overdue: bool = True) -> Traject:
    """A traject whose Veilig Thuis feedback is overdue (or due in three days), and an agreement from an
    overleg due in five days."""
    today = TODAY()
    child = dossier.family.persons.filter(relation="kind").first()
    traject = traject_services.traject_start(actor=actor, dossier=dossier, child_id=child.pk if child else None)
    Traject.objects.filter(pk=traject.pk).update(
        melding_on=today - dt.timedelta(days=10),
        vt_feedback_due=today + dt.timedelta(days=-2 if overdue else 3),
    )
    organisation = professional.active_membership.organisation
    overleg_type = OverlegType.objects.create(
        municipality=organisation.municipality,
        name=f"Casusoverleg {dossier.reference}",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=organisation,
        privacy_basis="Convenant, artikel 4",
    )
    registration = CaseRegistration.objects.create(
        overleg_type=overleg_type,
        dossier=dossier,
        registered_by=professional,
        organisation=organisation,
        reason="Zorgen over de veiligheid thuis.",
        goal="Afstemmen wie wat doet.",
        status=RegistrationStatus.TOEGELATEN,
    )
    Agreement.objects.create(
        registration=registration,
        owner_user=professional,
        what="Huisbezoek afleggen.",
        due_on=today + dt.timedelta(days=5),
        created_by=professional,
    )
    return traject


@pytest.fixture
def reader(outsider: User, dossier: Dossier) -> User:
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=dossier,
        user=outsider,
        organisation=outsider.active_membership.organisation,
        reason="Politie meldt acute onveiligheid, regievoerder onbereikbaar",
        granted_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    return outsider


# --- the pages ------------------------------------------------------------------------------------


def test_the_overview_has_the_header_the_navigation_and_each_sections_status(
    client_for: Any, professional: User, dossier: Dossier, actor_of: Callable[[User], Actor]
) -> None:
    _deadlines(dossier, professional, actor_of(professional))
    services.note_add(actor=actor_of(professional), dossier=dossier, text="Huisbezoek gedaan.")
    body = client_for(professional).get(f"/dossiers/{dossier.reference}/").content.decode()
    # The header: name, number, status, regievoerder, the meldcode step, the next deadline in words.
    assert '<h1 class="utrecht-heading-1 keten-workspace__title">Gezin Bakker</h1>' in body
    assert dossier.reference in body
    assert "utrecht-badge-status" in body
    assert "Stap 1 – Signalen in kaart brengen" in body
    assert "Te laat:" in body
    assert "Terugkoppeling van Veilig Thuis" in body
    assert f'href="/dossiers/{dossier.reference}/#termijnen">Alle termijnen (2)' in body
    # The navigation: the overview is the current page; every section is a plain link with HTMX on top.
    nav = _nav(body)
    assert 'aria-label="Dossieronderdelen"' in nav
    assert _current(body) == [f"/dossiers/{dossier.reference}/"]
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert labels == ["Overzicht", "Gezin", "Casusteam", "Meldcode", "Overleg", "Delen", "Notities", "Tijdlijn"]
    for slug in (*SECTIONS, "tijdlijn"):
        assert f'href="/dossiers/{dossier.reference}/{slug}/"' in nav
    assert nav.count('hx-target="#dossier-panel"') == 8
    assert nav.count('hx-push-url="true"') == 8
    # The overview: every deadline with its urgency, and a short status per section.
    assert 'id="termijnen"' in body
    assert "Deze week:" in body  # the agreement due in five days
    assert "Huisbezoek afleggen" not in body  # what was agreed is on the overleg section
    assert "1 gezinslid, waarvan 1 kind" in body
    assert "1 medewerker" in body
    assert "1 open traject" in body
    assert "1 open afspraak" in body
    assert "1 notitie" in body
    # No form is inline any more: the edit form and the note form are pages of their own.
    assert "<textarea" not in body
    assert f'href="/dossiers/{dossier.reference}/wijzigen/"' in body


def test_each_section_is_its_own_page(
    client_for: Any, professional: User, dossier: Dossier, actor_of: Callable[[User], Actor]
) -> None:
    traject = _deadlines(dossier, professional, actor_of(professional))
    services.note_add(actor=actor_of(professional), dossier=dossier, text="Huisbezoek gedaan.")
    client = client_for(professional)
    child = dossier.family.persons.get()
    expect = {
        "gezin": ["Gezinslid toevoegen", child.full_name, "Kinderen, ouders en verzorgers"],
        "casusteam": ["Medewerker toevoegen aan het casusteam", str(professional)],
        "meldcode": ["Meldcode-traject starten", f"Traject {traject.reference}"],
        "overleg": ["Huisbezoek afleggen.", f"Casusoverleg {dossier.reference}", "Casus aanmelden voor een overleg"],
        "delen": ['id="h-delen"', "Deelhulp: mag ik informatie delen?"],
        "notities": ["Huisbezoek gedaan.", f'href="/dossiers/{dossier.reference}/notities/nieuw/"'],
    }
    for slug, texts in expect.items():
        response = client.get(f"/dossiers/{dossier.reference}/{slug}/")
        assert response.status_code == 200, slug
        body = response.content.decode()
        assert _current(body) == [f"/dossiers/{dossier.reference}/{slug}/"], slug
        assert "Gezin Bakker" in body  # the header is on every section
        for text in texts:
            assert text in body, (slug, text)
        # Only this section: the first text of every other section is not on the page.
        assert not [o for o in expect if o != slug and expect[o][0] in body], slug


def test_an_unknown_section_is_the_normal_404(client_for: Any, professional: User, dossier: Dossier) -> None:
    response = client_for(professional).get(f"/dossiers/{dossier.reference}/onzin/")
    assert response.status_code == 404
    assert '<h1 class="utrecht-heading-1">Niet gevonden</h1>' in response.content.decode()
    # The Tijdlijn has a view of its own, shown in the workspace like a section.
    body = client_for(professional).get(f"/dossiers/{dossier.reference}/").content.decode()
    timeline = client_for(professional).get(f"/dossiers/{dossier.reference}/tijdlijn/")
    assert timeline.status_code == 200
    url = f"/dossiers/{dossier.reference}/tijdlijn/"
    assert f'href="{url}" hx-get="{url}" hx-target="#dossier-panel" hx-push-url="true"' in _nav(body)


def test_htmx_gets_the_panel_only_and_a_history_restore_the_whole_page(
    client_for: Any, professional: User, dossier: Dossier
) -> None:
    client = client_for(professional)
    url = f"/dossiers/{dossier.reference}/gezin/"
    partial = client.get(url, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in body
    assert 'id="h-persons"' in body
    assert 'hx-swap-oob="true"' in body  # the navigation follows, with aria-current on Gezin
    assert _current(body) == [url]
    assert "<title>Gezin – Gezin Bakker — Keten</title>" in body
    assert "HX-Request" in partial["Vary"]
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()
    full = client.get(url)
    assert "<html" in full.content.decode()
    assert "HX-Request" in full["Vary"]


# --- access ---------------------------------------------------------------------------------------


def test_every_workspace_page_is_404_outside_the_case_team(client_for: Any, outsider: User, dossier: Dossier) -> None:
    client = client_for(outsider)
    base = f"/dossiers/{dossier.reference}"
    urls = [f"{base}/", *(f"{base}/{slug}/" for slug in SECTIONS), f"{base}/wijzigen/", f"{base}/notities/nieuw/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Gezin Bakker" not in response.content.decode(), url
    missing = client.get("/dossiers/D-BESTAATNIET/gezin/")
    assert missing.status_code == 404


def test_every_section_read_is_audited(client_for: Any, professional: User, dossier: Dossier) -> None:
    client = client_for(professional)
    for slug in ("", *SECTIONS):
        before = AuditEvent.objects.count()
        assert client.get(f"/dossiers/{dossier.reference}/{slug}{'/' if slug else ''}").status_code == 200
        viewed = AuditEvent.objects.order_by("id")[before:]
        assert any(
            e.action == "view" and e.object_type == "dossier" and e.client_pseudonym == dossier.family.pseudonym
            for e in viewed
        ), slug


def test_a_break_the_glass_reader_sees_every_section_read_only(client_for: Any, reader: User, dossier: Dossier) -> None:
    client = client_for(reader)
    form_links = [
        "/wijzigen/",
        "/notities/nieuw/",
        "/personen/nieuw/",
        "/casusteam/nieuw/",
        "Meldcode-traject starten",
        "Toestemming vastleggen",
        "Casus aanmelden voor een overleg",
        '<form method="post" action="/dossiers/',
    ]
    for slug in ("", *SECTIONS):
        response = client.get(f"/dossiers/{dossier.reference}/{slug}{'/' if slug else ''}")
        assert response.status_code == 200, slug
        body = response.content.decode()
        assert "U bekijkt dit dossier met noodtoegang" in body, slug
        for link in form_links:
            assert link not in body, (slug, link)


# --- forms on their own pages ---------------------------------------------------------------------


def test_the_edit_and_note_forms_are_pages_that_return_to_their_section(
    client_for: Any, professional: User, dossier: Dossier
) -> None:
    client = client_for(professional)
    base = f"/dossiers/{dossier.reference}"
    edit = client.get(f"{base}/wijzigen/")
    assert edit.status_code == 200
    assert 'name="summary"' in edit.content.decode()
    saved = client.post(f"{base}/wijzigen/", {"summary": "Zorgen om school.", "status": "open", "version": "1"})
    assert saved.status_code == 302
    assert saved["Location"] == f"{base}/"
    note_page = client.get(f"{base}/notities/nieuw/")
    assert note_page.status_code == 200
    assert 'name="text"' in note_page.content.decode()
    empty = client.post(f"{base}/notities/nieuw/", {"text": ""})
    assert empty.status_code == 422
    added = client.post(f"{base}/notities/nieuw/", {"text": "Gesprek met school."})
    assert added.status_code == 302
    assert added["Location"] == f"{base}/notities/"
    assert DossierNote.objects.get(dossier=dossier).text == "Gesprek met school."


# --- stale forms ----------------------------------------------------------------------------------


def test_a_stale_dossier_form_saves_nothing_keeps_the_input_and_shows_the_current_values(
    client_for: Any, professional: User, dossier: Dossier, actor_of: Callable[[User], Actor]
) -> None:
    client = client_for(professional)
    opened_version = dossier.version
    services.dossier_update(
        actor=actor_of(professional),
        dossier=dossier,
        expected_version=opened_version,
        summary="Samenvatting van een collega.",
        status="open",
        coordinator_id=None,
    )
    stale = client.post(
        f"/dossiers/{dossier.reference}/wijzigen/",
        {"summary": "Mijn eigen samenvatting.", "status": "open", "version": str(opened_version)},
    )
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Dit dossier is gewijzigd sinds u het formulier opende" in body
    assert "Controleer de gegevens en sla opnieuw op." in body
    assert "Mijn eigen samenvatting." in body  # what the user typed
    assert "Samenvatting van een collega." in body  # the current value
    dossier.refresh_from_db()
    assert dossier.summary == "Samenvatting van een collega."
    assert f'name="version" value="{dossier.version}"' in body
    # Saving again after checking (the form now carries the current version) goes through.
    again = client.post(
        f"/dossiers/{dossier.reference}/wijzigen/",
        {"summary": "Mijn eigen samenvatting.", "status": "open", "version": str(dossier.version)},
    )
    assert again.status_code == 302
    dossier.refresh_from_db()
    assert dossier.summary == "Mijn eigen samenvatting."


def test_a_stale_person_form_saves_nothing_keeps_the_input_and_shows_the_current_values(
    client_for: Any, professional: User, dossier: Dossier, actor_of: Callable[[User], Actor]
) -> None:
    client = client_for(professional)
    person = dossier.family.persons.get()
    opened_version = person.version
    data = services.PersonData(
        relation=person.relation,
        first_name="Anouk",
        last_name=person.last_name,
        date_of_birth=person.date_of_birth,
        bsn=person.bsn,
        address="",
    )
    services.person_update(actor=actor_of(professional), person=person, expected_version=opened_version, data=data)
    url = f"/dossiers/{dossier.reference}/personen/{person.pseudonym}/"
    form = {
        "relation": person.relation,
        "first_name": "Annemijn",
        "last_name": person.last_name,
        "bsn": person.bsn,
        "version": str(opened_version),
    }
    stale = client.post(url, form)
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Dit gezinslid is gewijzigd sinds u het formulier opende" in body
    assert "Controleer de gegevens en sla opnieuw op." in body
    assert 'value="Annemijn"' in body
    assert f"Anouk {person.last_name}" in body
    assert Person.objects.get(pk=person.pk).first_name == "Anouk"


# --- the header's queries -------------------------------------------------------------------------


#: The actor's visible dossiers and the dossier (2), the read's audit event (4: savepoint, the chain's
#: head, the event, release), the case-team check (1), the meldcode steps (2: the visible dossiers, the
#: trajecten) and the deadlines (meldcode 2, overleg 1, sharing 2).
HEADER_QUERIES = 13
captured_last: list[Any] = []


def _header_queries(actor: Actor, reference: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        page = selectors.dossier_page(actor=actor, reference=reference)
        header = header_for(actor, page)
        assert header.dossier.family.name
        assert header.dossier.coordinator is None or str(header.dossier.coordinator)
    captured_last[:] = captured.captured_queries
    return len(captured)


def test_the_header_takes_a_fixed_number_of_queries(
    professional: User,
    organisation: Any,
    dossier: Dossier,
    actor_of: Callable[[User], Actor],
    django_assert_num_queries: Any,
) -> None:
    actor = actor_of(professional)
    _header_queries(actor, dossier.reference)  # warm the caches
    small = _header_queries(actor, dossier.reference)

    big = make_dossier(professional, family_name="Gezin Groot")
    for i in range(6):
        make_person(big.family, relation="kind", first_name=f"Kind{i}")
    for i in range(4):
        member = make_user(Role.PROFESSIONAL, organisation, username=f"collega{i}")
        services.case_team_add(actor=actor, dossier=big, user_id=member.pk, case_role=CaseRole.HULPVERLENER)
    for i in range(12):
        services.note_add(actor=actor, dossier=big, text=f"Notitie {i}")
    for _ in range(4):  # four trajecten: three named in the header, one counted
        _deadlines(big, professional, actor)
    for _ in range(5):
        make_dossier(professional)
    assert len(header_for(actor, selectors.dossier_page(actor=actor, reference=big.reference)).facts) == 4
    _header_queries(actor, big.reference)
    assert small == HEADER_QUERIES, "\n".join(q["sql"][:100] for q in captured_last)
    with django_assert_num_queries(small):
        page = selectors.dossier_page(actor=actor, reference=big.reference)
        header = header_for(actor, page)
        assert len(header.deadlines) == 8
        assert str(header.dossier.family.name) == "Gezin Groot"


def test_the_registry_orders_sections_and_refuses_a_second_one_by_the_same_slug() -> None:
    slugs = [s.slug for s in sections.registered()]
    assert slugs == ["gezin", "casusteam", "meldcode", "overleg", "delen", "notities", "tijdlijn"]
    with pytest.raises(Exception, match="registered already"):
        sections.register(sections.DossierSection(slug="gezin", label="Gezin", order=1, template="x.html"))
    with pytest.raises(Exception, match="template or a url_name"):
        sections.DossierSection(slug="plan", label="Plan", order=60)


def test_a_link_section_is_in_the_navigation_only_when_its_page_exists() -> None:
    timeline = sections.DossierSection(slug="t", label="Tijdlijn", order=90, url_name="dossiers:timeline")
    assert timeline.url("D-X") == "/dossiers/D-X/tijdlijn/"
    missing = sections.DossierSection(slug="p", label="Plan", order=60, url_name="dossiers:no_such_page")
    assert missing.url("D-X") == ""
    existing = sections.DossierSection(slug="w", label="Wijzigen", order=95, url_name="dossiers:edit", hx=False)
    assert existing.url("D-X") == "/dossiers/D-X/wijzigen/"
