"""The meldcode's deadlines in a dossier (:mod:`keten.dossiers.deadlines`): the date Veilig Thuis
should have given feedback on a melding, and the date the help agreed in a traject is evaluated."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.dossiers.deadlines import Deadline, DeadlineSource
from keten.meldcode.models import Status
from keten.meldcode.rules import trajecten_visible_to


def collect(actor: Actor, dossiers: QuerySet[Any], until: date | None) -> Iterable[Deadline]:
    feedback = Q(vt_feedback_due__isnull=False, vt_feedback_on__isnull=True, melding_on__isnull=False)
    evaluation = Q(help_evaluation_on__isnull=False)
    if until is not None:
        feedback &= Q(vt_feedback_due__lte=until)
        evaluation &= Q(help_evaluation_on__lte=until)
    rows = (
        trajecten_visible_to(actor.user)
        .filter(dossier__in=dossiers)
        .exclude(status=Status.AFGESLOTEN)
        .filter(feedback | evaluation)
        .values_list(
            "reference",
            "dossier_id",
            "dossier__reference",
            "started_by_id",
            "melding_on",
            "vt_feedback_due",
            "vt_feedback_on",
            "help_evaluation_on",
        )
    )
    for reference, dossier_id, dossier_reference, owner, melding_on, due, received, evaluation_on in rows:
        url = reverse("meldcode:traject", kwargs={"reference": reference})
        if melding_on and due and not received and (until is None or due <= until):
            yield Deadline(
                kind="meldcode.vt_feedback",
                label=_("Terugkoppeling van Veilig Thuis"),
                due_on=due,
                url=url,
                dossier_id=dossier_id,
                dossier_reference=dossier_reference,
                owner_id=owner,
            )
        if evaluation_on and (until is None or evaluation_on <= until):
            yield Deadline(
                kind="meldcode.evaluation",
                label=_("Evaluatie van de hulp"),
                due_on=evaluation_on,
                url=url,
                dossier_id=dossier_id,
                dossier_reference=dossier_reference,
                owner_id=owner,
            )


SOURCE = DeadlineSource(name="meldcode", collect=collect)
