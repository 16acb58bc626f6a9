"""Afwegingskader services (steps 4 and 5): afwegingen in the order of the tree, decision, melding, feedback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.workdays import add_working_days
from keten.meldcode.afwegingskader import selectors as weging_selectors
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.afwegingskader.tree import Outcome
from keten.meldcode.models import Entry, EntryKind, Status, Traject
from keten.meldcode.trajecten import services as traject_services

ActorOf = Callable[[User], Actor]


TODAY = timezone.localdate


def _walk(traject: Traject, actor: Actor, answers: dict[int, bool]) -> None:
    for number, answer in answers.items():
        weging_services.afweging_record(
            actor=actor,
            traject=traject,
            number=number,
            answer=answer,
            motivation="Gewogen op basis van stap 1 tot en met 3.",
        )


# --- afwegingen, decision, melding ----------------------------------------------------------


def test_afwegingen_cannot_be_skipped_and_need_motivation(
    traject: Traject, professional: User, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    with pytest.raises(DomainError, match="eerst afweging 1") as err:
        weging_services.afweging_record(
            actor=actor, traject=traject, number=3, answer=True, motivation="Lang genoeg motief."
        )
    assert err.value.field == "number"
    with pytest.raises(DomainError) as err:
        weging_services.afweging_record(actor=actor, traject=traject, number=1, answer=True, motivation="")
    assert err.value.field == "motivation"
    assert not Entry.objects.filter(traject=traject).exists()


def test_walk_to_melding_with_feedback_deadline(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    _walk(traject, actor, {1: True, 2: True})
    assert weging_selectors.evaluation(traject).outcome is Outcome.MELDEN
    with pytest.raises(DomainError, match="meldnorm"):
        weging_services.decision_record(
            actor=actor,
            traject=traject,
            data=weging_services.DecisionData(
                decision="hulp",
                motivation="Ik bied zelf hulp.",
                help_agreements="x",
                help_evaluation_on=TODAY() + timedelta(days=30),
            ),
        )
    weging_services.decision_record(
        actor=actor,
        traject=traject,
        data=weging_services.DecisionData(decision="melden", motivation="Acute onveiligheid, melden."),
    )
    traject.refresh_from_db()
    assert traject.outcome == "melden"
    assert traject.status == Status.OPEN  # waits for the melding itself

    with pytest.raises(DomainError) as err:
        weging_services.melding_record(
            actor=actor,
            traject=traject,
            data=weging_services.MeldingData(
                reported_on=TODAY(), vt_region="Hollands Midden", shared="Signalen en gesprek.", client_informed=False
            ),
        )
    assert err.value.field == "not_informed_reason"
    with pytest.raises(DomainError) as err:
        weging_services.melding_record(
            actor=actor,
            traject=traject,
            data=weging_services.MeldingData(
                reported_on=TODAY(), vt_region="", shared="Signalen en gesprek.", client_informed=True
            ),
        )
    assert err.value.field == "vt_region"
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(
            reported_on=TODAY(), vt_region="Hollands Midden", shared="Signalen en gesprek.", client_informed=True
        ),
    )
    traject.refresh_from_db()
    assert traject.status == Status.GEMELD
    assert traject.vt_feedback_due == add_working_days(TODAY(), 5)
    assert traject.vt_feedback_due.weekday() < 5

    weging_services.vt_feedback_record(
        actor=actor,
        traject=traject,
        received_on=TODAY(),
        outcome="overdracht",
        feedback="Overgedragen aan het wijkteam.",
        close=True,
    )
    traject.refresh_from_db()
    assert traject.status == Status.AFGESLOTEN
    assert traject.vt_feedback_on == TODAY()


def test_help_then_afweging_5_no_leads_to_hermelding(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    _walk(traject, actor, {1: True, 2: False, 3: True})
    with pytest.raises(DomainError, match="eerst de afwegingen"):
        weging_services.decision_record(
            actor=actor, traject=traject, data=weging_services.DecisionData("hulp", "Hulp via het wijkteam.")
        )
    _walk(traject, actor, {4: True})
    with pytest.raises(DomainError, match="evaluatie"):
        weging_services.afweging_record(
            actor=actor, traject=traject, number=5, answer=True, motivation="Te vroeg beantwoord."
        )
    with pytest.raises(DomainError) as err:
        weging_services.decision_record(
            actor=actor, traject=traject, data=weging_services.DecisionData("hulp", "Hulp via het wijkteam.")
        )
    assert err.value.field == "help_agreements"
    weging_services.decision_record(
        actor=actor,
        traject=traject,
        data=weging_services.DecisionData(
            "hulp", "Hulp via het wijkteam.", "Wijkteam start opvoedondersteuning.", TODAY() + timedelta(days=42)
        ),
    )
    traject.refresh_from_db()
    assert traject.status == Status.HULP
    _walk(traject, actor, {5: False})
    assert weging_selectors.evaluation(traject).outcome is Outcome.HERMELDEN
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("melden", "Onveiligheid stopt niet.")
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(
            reported_on=TODAY(), vt_region="Utrecht", shared="Verloop van de hulp.", client_informed=True
        ),
    )
    traject.refresh_from_db()
    assert traject.status == Status.GEMELD


def test_changing_an_earlier_answer_replaces_later_ones(
    traject: Traject, professional: User, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    _walk(traject, actor, {1: True, 2: False, 3: False})
    assert weging_selectors.evaluation(traject).outcome is Outcome.MELDEN
    entry = weging_services.afweging_record(
        actor=actor, traject=traject, number=1, answer=False, motivation="Na het gesprek geen vermoeden meer."
    )
    assert entry.data["supersedes"] == [1, 2, 3]
    ev = weging_selectors.evaluation(traject)
    assert ev.outcome is Outcome.AFSLUITEN
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("afsluiten", "Geen vermoeden meer na gesprek.")
    )
    traject.refresh_from_db()
    assert traject.status == Status.AFGESLOTEN
    assert Entry.objects.filter(traject=traject, kind=EntryKind.AFWEGING).count() == 4


def test_corrected_afweging_leaves_the_tree(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    _walk(traject, actor, {1: True})
    first = Entry.objects.get(traject=traject, kind=EntryKind.AFWEGING)
    traject_services.entry_correct(
        actor=actor, traject=traject, entry_id=first.pk, correction="Per ongeluk ja gekozen."
    )
    assert weging_selectors.evaluation(traject).next_question == 1
