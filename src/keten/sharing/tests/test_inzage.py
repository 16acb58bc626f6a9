"""Inzage and destruction requests: who may ask, the answering period, the PDF, decisions, access, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.dossiers import services as dossier_services
from keten.dossiers.models import DossierNote, Relation
from keten.notifications.models import Notification
from keten.sharing.inzage import report
from keten.sharing.inzage import selectors as inzage_selectors
from keten.sharing.inzage import services as inzage
from keten.sharing.models import DestructionRequest, InzageExport, InzageRequest, RequesterRole
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]
TODAY = timezone.localdate


def _years_ago(years: int) -> date:
    """Born on 1 January: exactly ``years`` old today."""
    return date(TODAY().year - years, 1, 1)


@pytest.fixture
def family(dossier: Any) -> dict[str, Any]:
    return {
        "child": make_person(dossier.family, first_name="Kind", date_of_birth=_years_ago(9)),
        "teen": make_person(dossier.family, first_name="Tiener", date_of_birth=_years_ago(13)),
        "older": make_person(dossier.family, first_name="Oudste", date_of_birth=_years_ago(16)),
        "mother": make_person(
            dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1985, 3, 1)
        ),
    }


def _data(requester: Any, role: str, about: Any, received_on: date | None = None) -> inzage.RequestData:
    return inzage.RequestData(
        requester_id=requester.pk, requester_role=role, about_id=about.pk, received_on=received_on or TODAY()
    )


def test_one_month_answering_period() -> None:
    assert inzage.one_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert inzage.one_month_after(date(2026, 12, 15)) == date(2027, 1, 15)
    assert inzage.one_month_after(date(2026, 3, 1)) - date(2026, 3, 1) >= timedelta(weeks=4)


def test_who_may_ask(professional: User, dossier: Any, family: dict[str, Any], actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    child, teen, older, mother = family["child"], family["teen"], family["older"], family["mother"]
    refused = [
        (child, RequesterRole.JONGERE, child, "jonger dan 12"),
        (mother, RequesterRole.OUDER_MET_GEZAG, older, "Vanaf 16 jaar"),
        (teen, RequesterRole.JONGERE, child, "over zichzelf"),
        (teen, RequesterRole.OUDER_MET_GEZAG, child, "ouder met gezag"),
        (mother, RequesterRole.JONGERE, mother, "volwassen"),
    ]
    for requester, role, about, message in refused:
        with pytest.raises(DomainError, match=message):
            inzage.inzage_record(actor=actor, dossier=dossier, data=_data(requester, role, about))
    assert not InzageRequest.objects.exists()
    allowed = [
        (mother, RequesterRole.OUDER_MET_GEZAG, child),
        (mother, RequesterRole.OUDER_MET_GEZAG, teen),
        (teen, RequesterRole.JONGERE, teen),
        (older, RequesterRole.JONGERE, older),
        (mother, RequesterRole.VOLWASSENE, mother),
    ]
    for requester, role, about in allowed:
        made = inzage.inzage_record(actor=actor, dossier=dossier, data=_data(requester, role, about))
        assert made.due_on == inzage.one_month_after(made.received_on)
    assert AuditEvent.objects.filter(object_type="sharing.inzage", action="create").count() == len(allowed)
    with pytest.raises(DomainError) as err:
        inzage.inzage_record(
            actor=actor, dossier=dossier, data=_data(teen, RequesterRole.JONGERE, teen, TODAY() + timedelta(days=1))
        )
    assert err.value.field == "received_on"


def test_inzage_pages_pdf_and_answer(
    professional: User,
    dossier: Any,
    family: dict[str, Any],
    client_for: ClientFor,
    actor_of: ActorOf,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dossier_services.note_add(actor=actor_of(professional), dossier=dossier, text="Gesprek met moeder over school.")
    client = client_for(professional)
    url = f"/delen/inzage/dossier/{dossier.reference}/inzage/"
    response = client.post(
        url,
        {
            "requester": family["child"].pk,
            "requester_role": RequesterRole.JONGERE,
            "about": family["child"].pk,
            "received_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "jonger dan 12" in response.content.decode()
    assert not InzageRequest.objects.exists()
    response = client.post(
        url,
        {
            "requester": family["mother"].pk,
            "requester_role": RequesterRole.OUDER_MET_GEZAG,
            "about": family["child"].pk,
            "received_on": TODAY().isoformat(),
        },
    )
    assert response.status_code == 302
    item = InzageRequest.objects.get()
    detail = client.get(f"/delen/inzage/{item.pk}/")
    assert detail.status_code == 200
    assert item.due_on.strftime("%d-%m-%Y") in detail.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/delen/inzage/{item.pk}/overzicht/")
    assert started.status_code == 302
    made = InzageExport.objects.get()
    assert started["Location"] == f"/delen/inzage/overzicht/{made.pk}/"
    assert made.status == InzageExport.Status.READY
    page = client.get(started["Location"]).content.decode()
    assert "Overzicht downloaden (PDF)" in page
    assert 'http-equiv="refresh"' not in page
    pdf = client.get(f"/delen/inzage/overzicht/{made.pk}/overzicht.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"] == "no-store"
    assert pdf.content.startswith(b"%PDF")
    export = AuditEvent.objects.get(object_type="sharing.inzage", action="export")
    assert export.details["notes"] == 1
    assert export.details["about"] == family["child"].pseudonym
    assert AuditEvent.objects.filter(object_type="sharing.inzage_export", action="export").count() == 1
    assert Notification.objects.get(recipient=professional, kind="sharing.inzage_export").link == started["Location"]
    html = report.inzage_html(inzage_selectors.inzage_report(actor=actor_of(professional), request=item))
    assert "Gesprek met moeder over school." in html
    assert family["child"].full_name in html

    response = client.post(f"/delen/inzage/{item.pk}/", {"answered_on": (TODAY() - timedelta(days=3)).isoformat()})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.answered_on is None
    response = client.post(f"/delen/inzage/{item.pk}/", {"answered_on": TODAY().isoformat(), "note": "Per post"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answered_on == TODAY()
    overview = client.get(f"/delen/inzage/dossier/{dossier.reference}/")
    assert "Beantwoord op" in overview.content.decode()


def test_destruction_is_decided_and_followed_up_by_hand(
    professional: User, dossier: Any, family: dict[str, Any], client_for: ClientFor, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    dossier_services.note_add(actor=actor, dossier=dossier, text="Notitie over het gezin.")
    item = inzage.destruction_record(
        actor=actor, dossier=dossier, data=_data(family["teen"], RequesterRole.JONGERE, family["teen"])
    )
    client = client_for(professional)
    url = f"/delen/inzage/vernietiging/{item.pk}/"
    body = {
        "action": "decide",
        "decision": DestructionRequest.Decision.GRANTED,
        "decided_on": TODAY().isoformat(),
        "reason": "Geen wettelijke plicht om te bewaren.",
    }
    response = client.post(url, body)
    assert response.status_code == 400
    assert "Keten verwijdert notities niet zelf" in response.content.decode()
    item.refresh_from_db()
    assert item.decision == DestructionRequest.Decision.OPEN
    response = client.post(url, {**body, "follow_up": "Regievoerder verwijdert de verslagen in het eigen systeem."})
    assert response.status_code == 302
    response = client.post(url, {"action": "done", "carried_out_on": TODAY().isoformat()})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == DestructionRequest.Decision.GRANTED
    assert item.carried_out_on == TODAY()
    # Keten deleted nothing itself, and the log holds no content of the request.
    assert DossierNote.objects.filter(dossier=dossier).count() == 1
    events = AuditEvent.objects.filter(object_type="sharing.destruction")
    # Three writes (recorded, decided, carried out); the pages that show the request are audited reads.
    assert events.exclude(action="view").count() == 3
    assert events.filter(action="view").exists()
    assert not any("verslagen" in str(e.details) or "bewaren" in str(e.details) for e in events)
    with pytest.raises(DomainError):
        inzage.destruction_decide(
            actor=actor,
            request=item,
            decision=DestructionRequest.Decision.REFUSED,
            decided_on=TODAY(),
            reason="Toch niet doen, er is een wettelijke plicht.",
            follow_up="",
        )


def test_others_get_404_and_overview_queries_are_bounded(
    professional: User,
    outsider: User,
    dossier: Any,
    family: dict[str, Any],
    client_for: ClientFor,
    actor_of: ActorOf,
    django_assert_max_num_queries: Any,
) -> None:
    actor = actor_of(professional)
    for _i in range(5):
        inzage.inzage_record(
            actor=actor, dossier=dossier, data=_data(family["teen"], RequesterRole.JONGERE, family["teen"])
        )
        inzage.destruction_record(
            actor=actor, dossier=dossier, data=_data(family["teen"], RequesterRole.JONGERE, family["teen"])
        )
    item = InzageRequest.objects.first()
    destruction = DestructionRequest.objects.first()
    assert item is not None
    assert destruction is not None
    made = inzage.inzage_export_request(actor=actor, request=item)
    client = client_for(professional)
    with django_assert_max_num_queries(20):
        assert client.get(f"/delen/inzage/dossier/{dossier.reference}/").status_code == 200
    elders = MunicipalityFactory(name="Elders", cbs_code="GM0002")
    stranger = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders", municipality=elders))
    gemeente = make_user(Role.BELEIDSMEDEWERKER, OrganisationFactory(name="Gemeente"))
    for user in (outsider, stranger, gemeente):
        other = client_for(user)
        for url in (
            f"/delen/inzage/dossier/{dossier.reference}/",
            f"/delen/inzage/dossier/{dossier.reference}/inzage/",
            f"/delen/inzage/{item.pk}/",
            f"/delen/inzage/overzicht/{made.pk}/",
            f"/delen/inzage/overzicht/{made.pk}/overzicht.pdf",
            f"/delen/inzage/vernietiging/{destruction.pk}/",
        ):
            assert other.get(url).status_code == 404, (user, url)
        assert other.post(f"/delen/inzage/{item.pk}/", {"answered_on": TODAY().isoformat()}).status_code == 404
        assert other.post(f"/delen/inzage/{item.pk}/overzicht/").status_code == 404
        with pytest.raises(NotFoundError):
            inzage_selectors.inzage_report(actor=actor_of(user), request=item)
    item.refresh_from_db()
    assert item.answered_on is None
    assert not AuditEvent.objects.filter(object_type="sharing.inzage", action="export").exists()
    assert InzageExport.objects.count() == 1


@pytest.fixture
def colleague(organisation: Any, dossier: Any) -> User:
    """A second professional on the case team."""
    from keten.dossiers.models import CaseTeamMember

    user = make_user(Role.PROFESSIONAL, organisation, username="collega")
    membership = user.active_membership
    assert membership is not None
    CaseTeamMember.objects.create(dossier=dossier, user=user, organisation=membership.organisation)
    return user


def test_export_waits_in_the_background_and_only_its_requester_gets_it(
    professional: User,
    colleague: User,
    dossier: Any,
    family: dict[str, Any],
    client_for: ClientFor,
    actor_of: ActorOf,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.db import connection

    item = inzage.inzage_record(
        actor=actor_of(professional),
        dossier=dossier,
        data=_data(family["mother"], RequesterRole.OUDER_MET_GEZAG, family["child"]),
    )
    client = client_for(professional)
    # Queued (no worker has run): the page refreshes itself, with and without JavaScript.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(f"/delen/inzage/{item.pk}/overzicht/")
        again = client.post(f"/delen/inzage/{item.pk}/overzicht/")
    assert first["Location"] == again["Location"]
    assert len(queued) == 1
    export = InzageExport.objects.get()
    page = client.get(first["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert 'hx-trigger="every 5s"' in page
    assert client.get(f"/delen/inzage/overzicht/{export.pk}/overzicht.pdf").status_code == 302
    assert not AuditEvent.objects.filter(object_type="sharing.inzage_export", action="export").exists()

    queued[0]()  # the worker
    export.refresh_from_db()
    assert export.status == InzageExport.Status.READY
    assert export.pages
    assert export.pages >= 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM sharing_inzageexport WHERE id = %s", [export.pk])
        raw = cursor.fetchone()[0]
    assert not raw.startswith("JVBER")  # base64 of "%PDF": the column holds ciphertext
    # Another member of the case team cannot open or download it.
    other = client_for(colleague)
    assert other.get(f"/delen/inzage/overzicht/{export.pk}/").status_code == 404
    assert other.get(f"/delen/inzage/overzicht/{export.pk}/overzicht.pdf").status_code == 404
    assert inzage.inzage_export_build(export.pk).status == InzageExport.Status.READY  # idempotent

    # After the download period the content is cleared and the page offers a new one.
    InzageExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/delen/inzage/overzicht/{export.pk}/overzicht.pdf").status_code == 302
    assert inzage.inzage_exports_purge() == 1
    assert InzageExport.objects.get(pk=export.pk).content is None
    page = client.get(f"/delen/inzage/overzicht/{export.pk}/").content.decode()
    assert "niet meer te downloaden" in page
    assert "Nieuw overzicht maken (PDF)" in page


def test_export_that_fails_says_so_and_records_no_export(
    professional: User,
    dossier: Any,
    family: dict[str, Any],
    actor_of: ActorOf,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = actor_of(professional)
    item = inzage.inzage_record(
        actor=actor, dossier=dossier, data=_data(family["mother"], RequesterRole.OUDER_MET_GEZAG, family["child"])
    )

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(inzage, "inzage_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        export = inzage.inzage_export_request(actor=actor, request=item)
    export.refresh_from_db()
    assert export.status == InzageExport.Status.FAILED
    assert export.content is None
    assert not AuditEvent.objects.filter(object_type="sharing.inzage", action="export").exists()
    note = Notification.objects.get(recipient=professional)
    assert "kon niet worden gemaakt" in note.title
    assert family["child"].first_name not in note.title + note.body


def test_export_checks_access_again_when_it_runs(
    professional: User,
    dossier: Any,
    family: dict[str, Any],
    actor_of: ActorOf,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from keten.dossiers.models import CaseTeamMember

    actor = actor_of(professional)
    item = inzage.inzage_record(
        actor=actor, dossier=dossier, data=_data(family["mother"], RequesterRole.OUDER_MET_GEZAG, family["child"])
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        export = inzage.inzage_export_request(actor=actor, request=item)
    CaseTeamMember.objects.filter(dossier=dossier, user=professional).update(ended_at=timezone.now())
    queued[0]()
    export.refresh_from_db()
    assert export.status == InzageExport.Status.FAILED
    assert export.content is None
