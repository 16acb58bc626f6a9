"""The dossier timeline across the apps (``keten.dossiers.timeline`` and each app's ``timeline_source``).

In the world of :mod:`tests.client_data_world` one family has a record of every kind: a note, a
meldcode-traject with an observation and a consultation, consent, a disclosure, inzage and
destruction requests and a case in two overleggen with an agreement. Every source's entries show
up with their kind, title and a link that opens; the kind filter and the cursor hold per source
and across them; the number of queries does not grow with the dossier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keten.core.models import AuditEvent
from keten.dossiers import services as dossier_services
from keten.dossiers.timeline import TimelineEntry, all_kinds, registered, timeline_page
from keten.meldcode.trajecten import services as traject_services
from keten.overleg.agreements import services as agreement_services
from keten.overleg.discussions import services as discussion_services
from keten.overleg.models import AgreementStatus
from keten.sharing import services as sharing_services
from keten.sharing.inzage import services as inzage
from keten.sharing.models import LegalBasis, RequesterRole
from keten.testing.auth import login_verified
from tests.client_data_world import TODAY, World, actor, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module and rolled back at the end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    from keten.core.localcache import clear_all

    cache.clear()
    clear_all()


def _all(world: World, who: str = "prof", **kwargs: Any) -> list[TimelineEntry]:
    return timeline_page(actor(getattr(world, who)), world.family.dossier, limit=100, **kwargs).entries


def _by_title(entries: list[TimelineEntry]) -> dict[str, TimelineEntry]:
    return {e.title: e for e in entries}


def test_every_app_registers_its_source() -> None:
    assert [s.name for s in registered()] == ["dossiers", "meldcode", "overleg", "sharing"]
    keys = [key for key, _label in all_kinds()]
    assert len(keys) == len(set(keys))
    assert {"notities", "casusteam", "dossierstatus", "meldcode.signalen", "overleg.afspraken"} <= set(keys)
    assert {"delen.verstrekkingen", "delen.toestemmingen", "delen.verzoeken"} <= set(keys)


def test_each_source_shows_its_entries_with_kind_title_and_link(world: World) -> None:
    family = world.family
    ref = family.dossier.reference
    traject = family.traject.reference
    overleg = world.overleg
    entries = _by_title(_all(world))
    expected = {
        "Dossier aangemaakt": ("dossierstatus", f"/dossiers/{ref}/"),
        "Notitie toegevoegd": ("notities", f"/dossiers/{ref}/notities/"),
        f"{world.prof} toegevoegd aan het casusteam": ("casusteam", f"/dossiers/{ref}/casusteam/"),
        "Meldcode-traject gestart": ("meldcode.trajecten", f"/meldcode/{traject}/"),
        "Observatie": ("meldcode.signalen", f"/meldcode/{traject}/#entry-{family.entry_id}"),
        "Consultatievraag": (
            "meldcode.consultaties",
            f"/meldcode/{traject}/#entry-{family.consultation.request_entry_id}",
        ),
        "Aangemeld voor Afstemmingsoverleg": (
            "overleg.aanmeldingen",
            f"/overleg/aanmeldingen/{overleg.registration.pk}/",
        ),
        "Aanmelding toegelaten": ("overleg.aanmeldingen", f"/overleg/aanmeldingen/{overleg.registration.pk}/"),
        "Aangemeld voor MDA++-triage": (
            "overleg.aanmeldingen",
            f"/overleg/aanmeldingen/{overleg.triage_registration.pk}/",
        ),
        "Geagendeerd voor Afstemmingsoverleg": (
            "overleg.besprekingen",
            f"/overleg/aanmeldingen/{overleg.registration.pk}/",
        ),
        "Afspraak gemaakt": ("overleg.afspraken", f"/overleg/afspraken/{overleg.agreement.pk}/"),
        "Gedeeld met Basisschool De Linde (" + str(world.teacher) + ")": (
            "delen.verstrekkingen",
            f"/delen/{ref}/verstrekkingen/",
        ),
        f"Toestemming gegeven door {family.mother.full_name} (Ouder met gezag)": (
            "delen.toestemmingen",
            f"/dossiers/{ref}/delen/",
        ),
        "Verzoek om inzage ontvangen": ("delen.verzoeken", f"/delen/inzage/{family.inzage_request.pk}/"),
        "Verzoek om vernietiging ontvangen": (
            "delen.verzoeken",
            f"/delen/inzage/vernietiging/{family.destruction.pk}/",
        ),
    }
    for title, (kind, url) in expected.items():
        assert title in entries, title
        assert (entries[title].kind, entries[title].url) == (kind, url), title
        assert entries[title].dossier_id == family.dossier.pk
    labels = dict(all_kinds())
    assert all(e.kind_label for e in entries.values())
    assert labels["notities"] == "Notities"
    # The consultation's lead line comes from the traject's own timeline rows.
    assert "Gevraagd aan" in entries["Consultatievraag"].detail
    assert entries["Afspraak gemaakt"].detail.startswith("Huisbezoek afleggen")
    # The free text of a meldcode entry stays on the traject page.
    assert all("Blauwe plek" not in e.detail for e in entries.values())


def test_every_link_opens_for_the_case_team(world: World) -> None:
    client = login_verified(Client(), world.prof)
    urls = {e.url.split("#")[0] for e in _all(world)}
    assert urls
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("kind", [key for key, _label in all_kinds()])
def test_the_kind_filter_holds_in_each_source(world: World, kind: str) -> None:
    entries = _all(world, kinds=[kind])
    assert all(e.kind == kind for e in entries)
    present = {e.kind for e in _all(world)}
    assert bool(entries) == (kind in present)


def test_more_happenings_of_each_source(world: World) -> None:
    """A closed agreement, a discussion record, an answered inzage request, a withdrawn consent, a
    closed dossier and a case-team member who left all show up, under their kind."""
    prof, chair = actor(world.prof), actor(world.chair)
    family = world.family
    dossier = family.dossier
    discussion_services.discussion_record(
        actor=chair, item=world.overleg.item, data=discussion_services.DiscussionData(decisions="Hulp via het wijkteam")
    )
    agreement = world.overleg.agreement
    agreement_services.agreement_close(
        actor=chair,
        agreement=agreement,
        expected_version=agreement.version,
        result="Gedaan",
        status=AgreementStatus.DONE,
    )
    inzage.inzage_answer(actor=prof, request=family.inzage_request, answered_on=TODAY(), note="Kopie meegegeven")
    consent = dossier.consents.get()
    sharing_services.consent_withdraw(actor=prof, consent=consent, withdrawn_on=TODAY())
    dossier.refresh_from_db()
    dossier_services.dossier_update(
        actor=prof, dossier=dossier, expected_version=dossier.version, summary="", status="closed", coordinator_id=None
    )
    entries = _by_title(_all(world))
    assert entries["Besproken in Afstemmingsoverleg"].kind == "overleg.besprekingen"
    assert entries["Besproken in Afstemmingsoverleg"].detail == "Besluiten: Hulp via het wijkteam"
    assert entries["Afspraak uitgevoerd"].kind == "overleg.afspraken"
    assert entries["Verzoek om inzage beantwoord"].kind == "delen.verzoeken"
    assert entries[f"Toestemming ingetrokken door {family.mother.full_name}"].kind == "delen.toestemmingen"
    assert entries["Dossier gesloten"].kind == "dossierstatus"
    # The newest first: the dossier was closed last.
    assert _all(world)[0].title == "Dossier gesloten"


def test_pages_follow_each_other_without_gaps_or_repeats(world: World) -> None:
    """Walking the timeline a few entries at a time gives exactly the one long page, also where
    entries of different sources share a day (the dates of disclosures, consents and meldcode entries)."""
    who = actor(world.prof)
    dossier = world.family.dossier
    whole = [e.key for e in timeline_page(who, dossier, limit=100).entries]
    assert len(whole) > 10
    for size in (1, 2, 3, 7):
        walked: list[Any] = []
        before = None
        while True:
            page = timeline_page(who, dossier, before=before, limit=size)
            walked += [e.key for e in page.entries]
            if page.next_cursor is None:
                break
            before = page.next_cursor
        assert walked == whole, size


def test_paging_per_source_with_a_filter(world: World) -> None:
    who = actor(world.prof)
    dossier = world.family.dossier
    kinds = ["delen.verzoeken", "overleg.aanmeldingen"]
    whole = [e.key for e in timeline_page(who, dossier, kinds=kinds, limit=100).entries]
    first = timeline_page(who, dossier, kinds=kinds, limit=2)
    assert first.next_cursor is not None
    assert first.filtered
    rest = timeline_page(who, dossier, kinds=kinds, before=first.next_cursor, limit=100)
    assert [e.key for e in first.entries + rest.entries] == whole
    assert rest.next_cursor is None


def _grow(world: World, n: int) -> None:
    """``n`` more of every kind of record in the family's dossier, through the services."""
    prof, chair = actor(world.prof), actor(world.chair)
    family = world.family
    dossier = family.dossier
    for i in range(n):
        dossier_services.note_add(actor=prof, dossier=dossier, text=f"Notitie {i}")
        family.traject.refresh_from_db()
        traject_services.observation_record(
            actor=prof, traject=family.traject, observed_on=TODAY() - dt.timedelta(days=i), source="zelf", facts=f"{i}"
        )
        sharing_services.consent_record(
            actor=prof,
            dossier=dossier,
            data=sharing_services.ConsentData(
                giver_id=family.mother.pk,
                giver_role="ouder_gezag",
                about_id=family.child.pk,
                purpose="Afstemmen met de school over de hulp",
                recipient_ids=[world.school.pk],
                form="mondeling",
                given_on=TODAY() - dt.timedelta(days=i),
            ),
        )
        sharing_services.disclosure_record(
            actor=prof,
            dossier=dossier,
            data=sharing_services.DisclosureData(
                about_ids=[family.child.pk],
                categories=["betrokkenheid"],
                items=[],
                recipient_organisation_id=world.school.pk,
                recipient_user_id=None,
                purpose="Afstemmen met de school over de hulp",
                legal_basis=LegalBasis.PUBLIEKE_TAAK,
                no_consent_reason="Taak van algemeen belang",
                shared_on=TODAY() - dt.timedelta(days=i),
                client_informed=True,
                client_informed_on=TODAY(),
                grant_days=0,
            ),
        )
        inzage.inzage_record(
            actor=prof,
            dossier=dossier,
            data=inzage.RequestData(
                requester_id=family.mother.pk,
                requester_role=RequesterRole.OUDER_MET_GEZAG,
                about_id=family.child.pk,
                received_on=TODAY(),
            ),
        )
        agreement_services.agreement_create(
            actor=chair,
            item=world.overleg.item,
            what=f"Afspraak {i}",
            due_on=TODAY() + dt.timedelta(days=7),
            owner_user_id=world.prof.pk,
        )


def _queries(world: World) -> int:
    who = actor(world.prof)
    with CaptureQueriesContext(connection) as ctx:
        page = timeline_page(who, world.family.dossier)
    assert page.entries
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries_whatever_the_size_of_the_dossier(world: World) -> None:
    few = _queries(world)
    assert few == 23
    _grow(world, 40)
    assert _queries(world) == few


def test_a_break_the_glass_reader_sees_what_the_dossier_page_shows_and_no_dead_links(world: World) -> None:
    """``world.regie`` opened the dossier with break-the-glass: the dossier, meldcode, disclosures and
    consents show; the overleg cases do not (not theirs); the requests show without a link (their
    pages are for the case team)."""
    entries = _all(world, who="regie")
    kinds = {e.kind for e in entries}
    assert {"notities", "meldcode.signalen", "delen.verstrekkingen", "delen.toestemmingen"} <= kinds
    assert not any(k.startswith("overleg.") for k in kinds)
    requests = [e for e in entries if e.kind == "delen.verzoeken"]
    assert requests
    assert all(e.url == "" for e in requests)
    assert not timeline_page(actor(world.regie), world.family.dossier).on_team
    client = login_verified(Client(), world.regie)
    for url in {e.url.split("#")[0] for e in entries if e.url}:
        assert client.get(url).status_code == 200, url


def test_the_page_view_is_audited_once_with_the_family(world: World) -> None:
    client = login_verified(Client(), world.prof)
    before = AuditEvent.objects.count()
    response = client.get(f"/dossiers/{world.family.dossier.reference}/tijdlijn/")
    assert response.status_code == 200
    events = list(AuditEvent.objects.order_by("pk")[before:])
    timeline_events = [e for e in events if e.object_type == "dossier.timeline"]
    assert len(timeline_events) == 1
    assert timeline_events[0].client_pseudonym == world.family.pseudonym
    assert timeline_events[0].object_id == world.family.dossier.reference
    assert [e.object_type for e in events] == ["dossier.timeline"]
