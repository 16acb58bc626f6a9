"""The municipality's figures of its overleggen: counts and lead times only, small cells hidden."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.smallcells import SMALL_CELL, suppress
from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    CaseRegistration,
    OverlegType,
    RegistrationStatus,
)
from keten.overleg.selectors import (
    acting_user,
)


def municipality_aggregates(*, actor: Actor, since: dt.date | None = None) -> list[dict[str, Any]]:
    """Per overleg of the actor's municipality: cases registered and admitted, days from registration
    to first discussion (median), agreements made / done on time / overdue, open cases per process
    step. Counts only — no name, reference or text. Cells under 5 are hidden, and so are the cells
    that would give a hidden one away by subtraction (:mod:`keten.core.smallcells`): per overleg the
    admitted cases are the running cases per step plus the closed ones, and the agreements made are
    those done on time, done late, open and (not shown, rare) cancelled."""
    user = acting_user(actor)
    if not allows("core.view_aggregates", user):
        raise NotFoundError
    assert actor.membership is not None
    today = timezone.localdate()
    types = list(
        OverlegType.objects.filter(municipality_id=actor.membership.organisation.municipality_id).order_by("name")
    )
    type_ids = [t.pk for t in types]
    regs = CaseRegistration.objects.filter(overleg_type_id__in=type_ids)
    agrs = Agreement.objects.filter(registration__overleg_type_id__in=type_ids)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        regs = regs.filter(registered_at__gte=start)
        agrs = agrs.filter(created_at__gte=start)
    reg_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in regs.values("overleg_type_id", "status").annotate(n=Count("pk")).order_by():
        reg_counts[row["overleg_type_id"]][row["status"]] = row["n"]
    agr_counts = {
        row["registration__overleg_type_id"]: row
        for row in agrs.values("registration__overleg_type_id")
        .annotate(
            made=Count("pk"),
            done_on_time=Count("pk", filter=Q(status=AgreementStatus.DONE, closed_at__date__lte=F("due_on"))),
            done_late=Count("pk", filter=Q(status=AgreementStatus.DONE, closed_at__date__gt=F("due_on"))),
            overdue=Count("pk", filter=Q(status=AgreementStatus.OPEN, due_on__lt=today)),
            open=Count("pk", filter=Q(status=AgreementStatus.OPEN)),
        )
        .order_by()
    }
    lead_days: dict[int, list[float]] = defaultdict(list)
    for type_id, registered_at, first in regs.filter(first_discussed_at__isnull=False).values_list(
        "overleg_type_id", "registered_at", "first_discussed_at"
    ):
        if first is not None:
            lead_days[type_id].append(max((first - registered_at).total_seconds() / 86400, 0.0))
    per_step: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for step_row in (
        regs.filter(status=RegistrationStatus.TOEGELATEN)
        .values("overleg_type_id", "process_step__order", "process_step__name")
        .annotate(n=Count("pk"))
        .order_by("overleg_type_id", "process_step__order")
    ):
        per_step[step_row["overleg_type_id"]].append((step_row["process_step__name"] or "—", step_row["n"]))
    result = []
    for t in types:
        counts = reg_counts.get(t.pk, {})
        agr: dict[str, Any] = dict(agr_counts.get(t.pk, {}))
        steps = per_step.get(t.pk, [])
        raw: dict[Any, int] = {
            "registered": sum(counts.values()),
            "admitted": counts.get(RegistrationStatus.TOEGELATEN, 0) + counts.get(RegistrationStatus.AFGESLOTEN, 0),
            "declined": counts.get(RegistrationStatus.AFGEWEZEN, 0),
            "closed": counts.get(RegistrationStatus.AFGESLOTEN, 0),
            **{
                f"agreements_{key}": int(agr.get(key, 0))
                for key in ("made", "done_on_time", "done_late", "overdue", "open")
            },
            **{("step", i): int(n) for i, (_name, n) in enumerate(steps)},
        }
        shown = suppress(
            raw,
            [
                [*(("step", i) for i in range(len(steps))), "closed", "admitted"],
                ["agreements_done_on_time", "agreements_done_late", "agreements_open", "agreements_made"],
            ],
        )
        days = lead_days.get(t.pk, [])
        result.append(
            {
                "overleg": t.name,
                "kind": t.get_kind_display(),
                **{key: value for key, value in shown.items() if isinstance(key, str)},
                "median_days_to_first_discussion": round(statistics.median(days), 1)
                if len(days) >= SMALL_CELL
                else None,
                "cases_per_step": [{"step": name, "open": shown[("step", i)]} for i, (name, _n) in enumerate(steps)],
            }
        )
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="overleg.aggregates")
    return result
