"""Sharing's deadlines in a dossier (:mod:`keten.dossiers.deadlines`): a parent's or young person's
request for inzage that must be answered, and a request to destroy data that must be decided, each
within the term the law gives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.dossiers.deadlines import Deadline, DeadlineSource
from keten.sharing.models import DestructionRequest
from keten.sharing.rules import destruction_requests_handled_by, inzage_requests_handled_by


def collect(actor: Actor, dossiers: Any, until: date | None) -> Iterable[Deadline]:
    inzage = inzage_requests_handled_by(actor.user).filter(dossier__in=dossiers, answered_on__isnull=True)
    destruction = destruction_requests_handled_by(actor.user).filter(
        dossier__in=dossiers, decision=DestructionRequest.Decision.OPEN
    )
    if until is not None:
        inzage = inzage.filter(due_on__lte=until)
        destruction = destruction.filter(due_on__lte=until)
    columns = ("pk", "due_on", "dossier_id", "dossier__reference", "recorded_by_id")
    for pk, due_on, dossier_id, reference, owner in inzage.values_list(*columns):
        yield Deadline(
            kind="sharing.inzage",
            label=_("Inzageverzoek beantwoorden"),
            due_on=due_on,
            url=reverse("sharing_inzage:detail", kwargs={"pk": pk}),
            dossier_id=dossier_id,
            dossier_reference=reference,
            owner_id=owner,
        )
    for pk, due_on, dossier_id, reference, owner in destruction.values_list(*columns):
        yield Deadline(
            kind="sharing.destruction",
            label=_("Vernietigingsverzoek beslissen"),
            due_on=due_on,
            url=reverse("sharing_inzage:destruction", kwargs={"pk": pk}),
            dossier_id=dossier_id,
            dossier_reference=reference,
            owner_id=owner,
        )


SOURCE = DeadlineSource(name="sharing", collect=collect)
