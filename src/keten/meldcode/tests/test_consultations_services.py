"""Consultation services (step 2): the request goes to the inbox, only the addressee answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.meldcode import vocabulary
from keten.meldcode.consultations import selectors as consultation_selectors
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import ChecklistKind, Consultation, Entry, EntryKind, Traject
from keten.meldcode.record import selectors as record_selectors
from keten.meldcode.trajecten import services as traject_services
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]


TODAY = timezone.localdate


def _signal(traject: Traject, **overrides: Any) -> traject_services.SignalData:
    checklist = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
    values: dict[str, Any] = {
        "checklist_id": checklist.pk,
        "codes": ["K412-X05", "KALL-V04"],
        "observed_on": TODAY() - timedelta(days=2),
        "source": vocabulary.SOURCE_SELF,
        "facts": "Komt drie dagen achter elkaar zonder lunch op school.",
        "interpretation": "Mogelijk verwaarlozing.",
    }
    values.update(overrides)
    return traject_services.SignalData(**values)


# --- step 2 ---------------------------------------------------------------------------------


def test_consultation_goes_to_inbox_and_advice_returns(
    traject: Traject, professional: User, officer: User, actor_of: ActorOf
) -> None:
    consultation = consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind=Consultation.Kind.AANDACHTSFUNCTIONARIS,
        question="Moet ik dit melden of eerst het gesprek voeren?",
    )
    assert Notification.objects.filter(recipient=officer, kind="meldcode.consultation").exists()
    inbox = consultation_selectors.consultation_inbox(actor=actor_of(officer))
    assert inbox == [consultation]
    # The consultee sees the traject, but without names (anonymous by default).
    assert record_selectors.traject_get(actor=actor_of(officer), reference=traject.reference) == traject
    assert not record_selectors.may_see_names(actor_of(officer), traject)
    # ...and may not record in it.
    with pytest.raises(NotFoundError):
        traject_services.signal_record(actor=actor_of(officer), traject=traject, data=_signal(traject))

    entry = consultation_services.consultation_answer(
        actor=actor_of(officer), consultation=consultation, advice="Voer eerst het gesprek met moeder."
    )
    assert entry.kind == EntryKind.CONSULTATIEADVIES
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.BEANTWOORD
    assert Notification.objects.filter(recipient=professional, kind="meldcode.advice").exists()
    with pytest.raises(DomainError, match="al beantwoord"):
        consultation_services.consultation_answer(
            actor=actor_of(officer), consultation=consultation, advice="Nog een advies erbij."
        )


def test_consultation_to_someone_without_the_role_is_refused(
    traject: Traject, professional: User, outsider: User, actor_of: ActorOf
) -> None:
    with pytest.raises(DomainError, match="geen aandachtsfunctionaris") as err:
        consultation_services.consultation_request(
            actor=actor_of(professional),
            traject=traject,
            to_user_id=outsider.pk,
            kind="aandachtsfunctionaris",
            question="Wat vind jij hiervan?",
        )
    assert err.value.field == "to_user"
    other_org_officer = make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory())
    with pytest.raises(DomainError):
        consultation_services.consultation_request(
            actor=actor_of(professional),
            traject=traject,
            to_user_id=other_org_officer.pk,
            kind="aandachtsfunctionaris",
            question="Wat vind jij hiervan?",
        )
    assert not Consultation.objects.exists()
    assert not Entry.objects.filter(traject=traject).exists()


def test_only_the_addressee_answers(
    traject: Traject, professional: User, officer: User, outsider: User, actor_of: ActorOf
) -> None:
    consultation = consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind="aandachtsfunctionaris",
        question="Graag uw advies over deze signalen.",
    )
    with pytest.raises(NotFoundError):
        consultation_services.consultation_answer(
            actor=actor_of(outsider), consultation=consultation, advice="Ik antwoord maar even."
        )
