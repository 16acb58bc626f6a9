"""The city's audit history: events over five years, spread over organisations, actors and actions."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from keten.accounts.models import CASE_ROLES
from keten.core.models import AuditAction
from keten.seeding.common import BATCH_SIZE, AuditChainWriter, progress
from keten.seeding.large.data import BENCH_ORG_SHARE, BENCH_PROF_SHARE, CASE_ACTIONS, OBJECT_TYPES
from keten.seeding.large.state import CityState, FamilyStats


class AuditSeeding(CityState):
    def audit_history(self, n_events: int, stats: FamilyStats, *, heavy_org: int, heavy_staff: int) -> int:
        """``n_events`` events in time order over the history, chained onto the current head."""
        rng = self.rng
        writer = AuditChainWriter()
        heavy_org_staff = [i for i, s in enumerate(self.staff) if s.org_index == heavy_org]
        everyone = list(range(len(self.staff)))
        actions = [a for a, _w in CASE_ACTIONS]
        weights = [w for _a, w in CASE_ACTIONS]
        chunks = max(1, n_events // BATCH_SIZE)
        span = (self.now - timedelta(hours=1) - self.history_start).total_seconds()
        bar = progress(total=n_events, desc=_("auditgebeurtenissen"), enabled=self.show_progress)
        made = 0
        for chunk in range(chunks):
            size = n_events // chunks + (1 if chunk < n_events % chunks else 0)
            lo = self.history_start + timedelta(seconds=span * chunk / chunks)
            width = span / chunks
            moments = sorted(lo + timedelta(microseconds=int(rng.random() * width * 1e6)) for _n in range(size))
            for when in moments:
                draw = rng.random()
                if draw < BENCH_PROF_SHARE:
                    staff_index = heavy_staff
                elif draw < BENCH_PROF_SHARE + BENCH_ORG_SHARE:
                    staff_index = rng.choice(heavy_org_staff)
                else:
                    staff_index = rng.choice(everyone)
                s = self.staff[staff_index]
                mine = stats.staff_dossiers.get(staff_index)
                if s.role in CASE_ROLES and mine:
                    action = rng.choices(actions, weights)[0]
                else:
                    action = rng.choice((AuditAction.LOGIN, AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.EXPORT))
                object_type = object_id = client = reason = ""
                details: dict[str, Any] = {}
                if action in OBJECT_TYPES and mine:
                    object_type = rng.choice(OBJECT_TYPES[action])
                    reference, client = stats.dossier_refs[rng.choice(mine)]
                    object_id = reference
                    if object_type == "dossier_list":
                        object_id, client = "", ""
                        details = {"search": False}
                    if action == AuditAction.BREAK_GLASS:
                        reason = "Acute zorg buiten kantoortijd; regievoerder niet bereikbaar."
                elif action == AuditAction.EXPORT:
                    object_type = "aggregates"
                writer.add(
                    occurred_at=when,
                    action=action,
                    actor_id=s.user_id,
                    actor_label=s.label,
                    organisation_id=s.organisation_id,
                    role=s.role,
                    object_type=object_type,
                    object_id=object_id,
                    client_pseudonym=client,
                    reason=reason,
                    details=details,
                    request_id=uuid.UUID(int=rng.getrandbits(128)).hex,
                    ip=f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                )
                made += 1
                if made % BATCH_SIZE == 0:
                    bar.update(BATCH_SIZE)
        writer.flush()
        bar.update(made % BATCH_SIZE)
        bar.close()
        return writer.written
