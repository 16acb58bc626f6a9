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
from keten.core.queries import exists_each
from keten.dossiers.deadlines import Deadline, DeadlineSource
from keten.sharing.models import DestructionRequest, InzageRequest
from keten.sharing.rules import destruction_requests_handled_by, inzage_requests_handled_by


def collect(actor: Actor, dossiers: Any, until: date | None) -> Iterable[Deadline]:
    due = {"due_on__lte": until} if until is not None else {}
    open_inzage = InzageRequest.objects.filter(dossier__in=dossiers, answered_on__isnull=True, **due)
    open_destruction = DestructionRequest.objects.filter(
        dossier__in=dossiers, decision=DestructionRequest.Decision.OPEN, **due
    )
    # Few dossiers have an open request: one plain query first, the rules only for those that exist.
    found = exists_each(inzage=open_inzage, destruction=open_destruction)
    inzage = inzage_requests_handled_by(actor.user).filter(dossier__in=dossiers, answered_on__isnull=True, **due)
    destruction = destruction_requests_handled_by(actor.user).filter(
        dossier__in=dossiers, decision=DestructionRequest.Decision.OPEN, **due
    )
    if "inzage" not in found:
        inzage = inzage.none()
    if "destruction" not in found:
        destruction = destruction.none()
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
