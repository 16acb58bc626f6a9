"""The PDF report of a traject: its content, who may download it, and the export audit event."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.meldcode import vocabulary
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Checklist, ChecklistKind, Entry, EntryKind, Traject
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]


def _text(response: Any) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def walk_to_melding(traject: Traject, actor: Actor) -> None:
    """Signals, an observation, a conversation, afwegingen 1–2, the decision, the melding and its feedback."""
    today = timezone.localdate()
    checklist = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
    traject_services.signal_record(
        actor=actor,
        traject=traject,
        data=traject_services.SignalData(
            checklist_id=checklist.pk,
            codes=["K412-X05"],
            observed_on=today - timedelta(days=3),
            source=vocabulary.SOURCE_SELF,
            facts="Komt drie dagen zonder lunch naar school.",
            interpretation="Mogelijk verwaarlozing.",
        ),
    )
    observation = traject_services.observation_record(
        actor=actor,
        traject=traject,
        observed_on=today - timedelta(days=2),
        source="de mentor",
        facts="Blauwe plek op de arm gezien.",
    )
    traject_services.entry_correct(
        actor=actor, traject=traject, entry_id=observation.pk, correction="De plek zat op het been, niet de arm."
    )
    traject_services.conversation_record(
        actor=actor,
        traject=traject,
        held_on=today - timedelta(days=1),
        participants=["ouders"],
        summary="Zorgen besproken met moeder.",
        reaction="Moeder herkent de zorgen.",
    )
    for number in (1, 2):
        weging_services.afweging_record(
            actor=actor, traject=traject, number=number, answer=True, motivation=f"Motivering afweging {number}."
        )
    weging_services.decision_record(
        actor=actor,
        traject=traject,
        data=weging_services.DecisionData(decision="melden", motivation="Acute onveiligheid, dus melden."),
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(
            reported_on=today, vt_region="Hollands Midden", shared="Signalen en het gesprek.", client_informed=True
        ),
    )
    weging_services.vt_feedback_record(
        actor=actor, traject=traject, received_on=today, outcome="onderzoek", feedback="Veilig Thuis start onderzoek."
    )


def test_report_holds_the_whole_traject(
    traject: Traject, professional: User, actor_of: ActorOf, client_for: ClientFor
) -> None:
    walk_to_melding(traject, actor_of(professional))
    url = reverse("meldcode:report", args=[traject.reference])
    assert url == f"/meldcode/{traject.reference}/rapport.pdf"
    response = client_for(professional).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert traject.reference in text
    assert traject.meldcode_version in text
    for checklist in Checklist.objects.filter(pk__in=traject.checklists.values("pk")):
        assert checklist.title in text
    assert "versie 1" in text
    assert "Gezin Bakker" in text  # the case team sees names
    assert "Komt drie dagen zonder lunch" in text
    assert "Mogelijk verwaarlozing" in text
    assert "Motivering afweging 1" in text
    assert "Motivering afweging 2" in text
    assert "Acute onveiligheid, dus melden" in text
    assert "Hollands Midden" in text
    assert "Veilig Thuis start onderzoek" in text
    assert "Gecorrigeerd" in text
    assert "Corrigeert vastlegging" in text
    assert "De plek zat op het been" in text
    assert professional.get_full_name() in text
    assert "Gegenereerd op" in text
    event = AuditEvent.objects.filter(action="export", object_type="meldcode.traject").get()
    assert event.object_id == traject.reference
    assert event.client_pseudonym == traject.dossier.family.pseudonym
    assert event.details["entries"] == Entry.objects.filter(traject=traject).count()


def test_anonymous_consultee_gets_report_without_names(
    traject: Traject, professional: User, officer: User, actor_of: ActorOf, client_for: ClientFor
) -> None:
    consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind="aandachtsfunctionaris",
        question="Wilt u meekijken naar de signalen?",
        anonymous=True,
    )
    response = client_for(officer).get(reverse("meldcode:report", args=[traject.reference]))
    assert response.status_code == 200
    text = _text(response)
    assert "Bakker" not in text
    assert "Sam" not in text
    assert traject.dossier.family.pseudonym in text
    assert "Wilt u meekijken" in text


def test_report_is_404_for_those_who_may_not_view(
    traject: Traject, outsider: User, organisation: Any, client_for: ClientFor
) -> None:
    url = reverse("meldcode:report", args=[traject.reference])
    users = [
        outsider,
        make_user(Role.BELEIDSMEDEWERKER, organisation),
        make_user(Role.FUNCTIONEEL_BEHEERDER, organisation),
        make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory(name="Andere school")),
    ]
    for user in users:
        assert client_for(user).get(url).status_code == 404
    assert client_for(outsider).get(reverse("meldcode:report", args=["M-ONBEKEND1"])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
    assert Client().get(url).status_code in (302, 404)


def test_report_query_count_does_not_grow_with_entries(
    traject: Traject, professional: User, actor_of: ActorOf, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    actor = actor_of(professional)
    for n in range(15):
        traject_services.observation_record(
            actor=actor,
            traject=traject,
            observed_on=timezone.localdate(),
            source=vocabulary.SOURCE_SELF,
            facts=f"Observatie nummer {n}.",
        )
    client = client_for(professional)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("meldcode:report", args=[traject.reference]))
    assert "Observatie nummer 14" in _text(response)
    assert Entry.objects.filter(traject=traject, kind=EntryKind.OBSERVATIE).count() == 15
