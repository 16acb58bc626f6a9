"""The overleg's deadlines in a dossier (:mod:`keten.dossiers.deadlines`): the open agreements made
for the dossier's cases, by their due date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from keten.core.actor import Actor
from keten.dossiers.deadlines import Deadline, DeadlineSource
from keten.overleg.models import Agreement, AgreementStatus
from keten.overleg.rules import agreement_visibility_q


def collect(actor: Actor, dossiers: Any, until: date | None) -> Iterable[Deadline]:
    rows = Agreement.objects.filter(
        agreement_visibility_q(actor.user, dossiers=dossiers),
        registration__dossier__in=dossiers,
        status=AgreementStatus.OPEN,
    )
    if until is not None:
        rows = rows.filter(due_on__lte=until)
    for pk, due_on, dossier_id, dossier_reference, owner_id in rows.values_list(
        "pk", "due_on", "registration__dossier_id", "registration__dossier__reference", "owner_user_id"
    ):
        yield Deadline(
            kind="overleg.agreement",
            label=_("Afspraak uit overleg"),
            due_on=due_on,
            url=reverse("overleg:agreement", kwargs={"pk": pk}),
            dossier_id=dossier_id,
            dossier_reference=dossier_reference,
            owner_id=owner_id,
        )


SOURCE = DeadlineSource(name="overleg", collect=collect)
