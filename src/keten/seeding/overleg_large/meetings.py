"""One overleg type's two years of meetings with attendance, the registrations of its cases and its agendas."""

from __future__ import annotations

from datetime import datetime, timedelta

from keten.accounts.models import Municipality
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    Attendance,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.seeding.common import BATCH_SIZE
from keten.seeding.overleg_large.agreements import AgreementSeeding
from keten.seeding.overleg_large.data import BENCH_CASES, GOALS, HISTORY_WEEKS, PLANNED_WEEKS, REASONS, STEPS
from keten.seeding.overleg_large.state import Spec


class MeetingSeeding(AgreementSeeding):
    def _create_type(self, spec: Spec, municipality: Municipality) -> tuple[OverlegType, list[ProcessStep]]:
        overleg = OverlegType.objects.create(
            municipality=municipality,
            name=spec.name,
            kind=spec.kind,
            lead_organisation=spec.lead,
            chair_id=spec.chair,
            weekdays=spec.weekdays,
            start_time=spec.start,
            duration_minutes=90,
            location=f"{spec.lead.name}, vergaderzaal",
            privacy_basis="Convenant Zorg- en Veiligheidshuis Amstelmere; per casus getoetst.",
            created_at=self.now - timedelta(weeks=HISTORY_WEEKS + 8),
        )
        overleg.members.set(spec.members)
        steps = ProcessStep.objects.bulk_create(
            [
                ProcessStep(overleg_type=overleg, order=i, name=name, criteria=criteria)
                for i, (name, criteria) in enumerate(STEPS, start=1)
            ]
        )
        return overleg, steps

    def _meetings(self, spec: Spec, overleg: OverlegType) -> list[Meeting]:
        start_day = self.today - timedelta(weeks=HISTORY_WEEKS)
        end_day = self.today + timedelta(weeks=PLANNED_WEEKS)
        rows = []
        day = start_day
        while day <= end_day:
            if day.isoweekday() in spec.weekdays:
                starts = datetime.combine(day, spec.start, tzinfo=self.tz)
                past = starts + timedelta(minutes=90) < self.now
                cancelled = past and self.rng.random() < 0.02
                rows.append(
                    Meeting(
                        overleg_type=overleg,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=90),
                        status=(
                            MeetingStatus.CANCELLED
                            if cancelled
                            else (MeetingStatus.HELD if past else MeetingStatus.PLANNED)
                        ),
                        location=overleg.location,
                        generated=True,
                        held_at=starts + timedelta(minutes=90) if past and not cancelled else None,
                        cancel_reason="Vervalt." if cancelled else "",
                        created_at=starts - timedelta(weeks=PLANNED_WEEKS),
                    )
                )
            day += timedelta(days=1)
        meetings = Meeting.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=m,
                    user_id=uid,
                    organisation_id=oid,
                    present=(
                        None if m.status == MeetingStatus.PLANNED else (uid == spec.chair or self.rng.random() > 0.08)
                    ),
                    recorded_by_id=spec.chair if m.status == MeetingStatus.HELD else None,
                    recorded_at=m.starts_at + timedelta(minutes=5) if m.status == MeetingStatus.HELD else None,
                )
                for m in meetings
                for uid, oid in spec.attendees
            ],
            batch_size=BATCH_SIZE,
        )
        self.stats.meetings += len(meetings)
        return meetings

    def build_one(self, spec: Spec, municipality: Municipality) -> OverlegType:
        rng = self.rng
        overleg, steps = self._create_type(spec, municipality)
        meetings = self._meetings(spec, overleg)
        usable = [i for i, m in enumerate(meetings) if m.status != MeetingStatus.CANCELLED]
        first_planned = next((i for i, m in enumerate(meetings) if m.status == MeetingStatus.PLANNED), len(meetings))
        load: dict[int, int] = {}
        regs: list[CaseRegistration] = []
        plan: list[tuple[CaseRegistration, list[int]]] = []  # registration, meeting indexes on whose agenda
        pool = list(spec.pool)
        returned: list[tuple[datetime, tuple[int, int, int]]] = []
        fresh = [pool.pop() for _n in range(min(rng.randint(1, 3), len(pool)))]
        for position, index in enumerate(usable):
            meeting = meetings[index]
            if index >= first_planned:
                break  # planned meetings get only follow-ups (below)
            for _n in range(rng.randint(*spec.new_per_meeting)):
                if not pool:
                    # A family whose earlier case here ended (or was declined) a while ago may come back.
                    ready = [i for i, (when, _c) in enumerate(returned) if when < meeting.starts_at]
                    if not ready:
                        break
                    pool.append(returned.pop(ready[0])[1])
                dossier_id, user_id, org_id = pool.pop()
                registered = meeting.starts_at - timedelta(days=rng.randint(2, 7), hours=rng.randint(0, 8))
                step = rng.choice(steps)
                reg = CaseRegistration(
                    overleg_type=overleg,
                    dossier_id=dossier_id,
                    registered_by_id=user_id,
                    organisation_id=org_id,
                    reason=rng.choice(REASONS),
                    goal=rng.choice(GOALS),
                    process_step=step,
                    criteria=step.criteria,
                    family_informed=rng.random() > 0.1,
                    registered_at=registered,
                    decided_by_id=spec.chair,
                    decided_at=registered + timedelta(hours=20),
                    version=2,
                )
                if reg.family_informed is False:
                    reg.family_not_informed_reason = "Informeren brengt de veiligheid van het kind in gevaar."
                if rng.random() < 0.12:
                    reg.status = RegistrationStatus.AFGEWEZEN
                    reg.decline_reason = "Past beter in een ander overleg."
                    regs.append(reg)
                    returned.append((registered + timedelta(days=90), (dossier_id, user_id, org_id)))
                    continue
                reg.status = RegistrationStatus.TOEGELATEN
                times = rng.randint(*spec.lifetime)
                slots = [
                    usable[j]
                    for j in range(position, len(usable), spec.follow_every)
                    if load.get(usable[j], 0) < spec.cap
                ][:times]
                held_slots = [s for s in slots if s < first_planned]
                if not held_slots:
                    continue
                for s in held_slots:
                    load[s] = load.get(s, 0) + 1
                reg.first_discussed_at = meetings[held_slots[0]].starts_at
                # Cases of the benchmark overleg stay longer, so its next meeting has enough running cases.
                settle = timedelta(days=42 if spec.bench else 14)
                if len(held_slots) == times and meetings[held_slots[-1]].starts_at + settle < self.now:
                    reg.status = RegistrationStatus.AFGESLOTEN
                    reg.closed_at = meetings[held_slots[-1]].starts_at + timedelta(days=rng.randint(1, 10))
                    reg.close_reason = "Doel bereikt; de casus verlaat het overleg."
                    reg.follow_up = "De regievoerder van het wijkteam blijft contact houden."
                    reg.follow_up_organisation_id = org_id
                    reg.version = 3
                    returned.append((reg.closed_at + timedelta(days=90), (dossier_id, user_id, org_id)))
                regs.append(reg)
                plan.append((reg, held_slots))
        # A few fresh registrations wait for the chair's triage.
        for dossier_id, user_id, org_id in fresh:
            step = rng.choice(steps)
            regs.append(
                CaseRegistration(
                    overleg_type=overleg,
                    dossier_id=dossier_id,
                    registered_by_id=user_id,
                    organisation_id=org_id,
                    reason=rng.choice(REASONS),
                    goal=rng.choice(GOALS),
                    process_step=step,
                    criteria=step.criteria,
                    registered_at=self.now - timedelta(hours=rng.randint(2, 60)),
                )
            )
        if spec.bench:
            # The benchmark meeting needs BENCH_CASES running cases: reopen the latest closed ones if short.
            running_now = sum(1 for r, _s in plan if r.status == RegistrationStatus.TOEGELATEN)
            closed = [r for r, _s in plan if r.status == RegistrationStatus.AFGESLOTEN]
            while running_now < BENCH_CASES and closed:
                reg = closed.pop()
                reg.status = RegistrationStatus.TOEGELATEN
                reg.closed_at = None
                reg.close_reason = reg.follow_up = None
                reg.follow_up_organisation_id = None
                reg.version = 2
                running_now += 1
        CaseRegistration.objects.bulk_create(regs, batch_size=BATCH_SIZE)
        self.stats.registrations += len(regs)

        items: list[AgendaItem] = []
        for reg, slots in plan:
            for k, s in enumerate(slots):
                items.append(
                    AgendaItem(
                        meeting=meetings[s],
                        registration=reg,
                        order=0,
                        source=AgendaSource.TRIAGE if k == 0 else AgendaSource.FOLLOW_UP,
                        added_by_id=spec.chair,
                        added_at=meetings[s].starts_at - timedelta(days=2),
                    )
                )
        # Agendas of planned meetings: the admitted cases still running come back (open agreements).
        running = [r for r, _s in plan if r.status == RegistrationStatus.TOEGELATEN]
        planned = [i for i in usable if i >= first_planned]
        if planned:
            nxt = planned[0]
            chosen = running[-BENCH_CASES:] if spec.bench else running[-spec.cap :]
            for reg in chosen:
                items.append(
                    AgendaItem(
                        meeting=meetings[nxt],
                        registration=reg,
                        order=0,
                        source=AgendaSource.FOLLOW_UP,
                        added_by_id=None,
                        added_at=self.now,
                    )
                )
        by_meeting: dict[int, int] = {}
        for item in sorted(items, key=lambda it: (it.meeting.starts_at, it.registration.registered_at)):
            by_meeting[id(item.meeting)] = by_meeting.get(id(item.meeting), 0) + 1
            item.order = by_meeting[id(item.meeting)]
        AgendaItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
        AgendaEvent.objects.bulk_create(
            [
                AgendaEvent(
                    item=it,
                    kind=AgendaEvent.Kind.ADDED,
                    actor_id=it.added_by_id,
                    created_at=it.added_at,
                    details={"source": it.source},
                )
                for it in items
            ],
            batch_size=BATCH_SIZE,
        )
        self.stats.agenda_items += len(items)
        self._discussions_and_agreements(spec, items, running_ids={id(r) for r in chosen} if planned else set())
        return overleg
