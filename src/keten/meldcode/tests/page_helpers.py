"""Shared set-up of the meldcode page tests (traject forms, traject pages, consultations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.models import ChecklistKind, Traject
from keten.meldcode.trajecten import services as traject_services

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]

MOTIVATION = "Gewogen op basis van de signalen en het gesprek."


def iso_day(days_ago: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def traject_url(traject: Traject, action: str = "") -> str:
    return f"/meldcode/{traject.reference}/" + (f"{action}/" if action else "")


def signal_code(traject: Traject) -> str:
    checklist = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
    return f"{checklist.pk}:{checklist.items[0]['code']}"


def walk_afwegingen(traject: Traject, actor: Actor, answers: dict[int, bool]) -> None:
    for number, answer in answers.items():
        weging_services.afweging_record(
            actor=actor, traject=traject, number=number, answer=answer, motivation=MOTIVATION
        )


def fill_observations(traject: Traject, actor: Actor, n: int) -> None:
    for i in range(n):
        traject_services.observation_record(
            actor=actor,
            traject=traject,
            observed_on=timezone.localdate(),
            source="zelf",
            facts=f"Observatie nummer {i}",
        )
