"""Overleg en afspraken for the large profile (Amstelmere): two years of meetings.

Per municipality an afstemmingsoverleg straf–zorg (Tuesday and Thursday 10:00), an MDA++ triage
(Monday 13:00) and one wijk-casusoverleg per wijkteam (Wednesday 14:00; 22 at scale 1). For every
overleg two years of held meetings (a few cancelled) and six weeks of planned ones are written
with bulk inserts: cases arrive, are admitted (some declined), come back every other meeting for a
while and leave with a follow-up; each discussion leaves a record and one or two agreements,
owned by an attendee or by their organisation, most done (some late), some cancelled, some open
and overdue.

For the benchmarks: bench-professional attends the straf–zorg meetings and owns a share of their
agreements (the "my agreements" dashboard), and the next planned straf–zorg meeting has exactly
:data:`BENCH_CASES` cases, each with open agreements (the meeting page).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, User
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attendance,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegKind,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.seeding.common import BATCH_SIZE, explicit_timestamps, progress

MUNICIPALITY_CODE = "GM9980"
HISTORY_WEEKS = 104
PLANNED_WEEKS = 6
BENCH_CASES = 15
STRAF_ZORG_NAME = "Afstemmingsoverleg straf–zorg Amstelmere"

STEPS = [
    ("Signalering", "Zorgen over veiligheid bij ten minste twee partners."),
    ("Analyse en afstemming", "Een gezamenlijk beeld van risico's en lopende trajecten is nodig."),
    ("Inzet hulp", "Hulp (en zo nodig strafrecht) wordt ingezet en afgestemd."),
    ("Monitoring", "Veiligheid is hersteld en wordt een periode gevolgd."),
]
REASONS = [
    "Herhaalde meldingen van huiselijk geweld; hulp komt niet op gang.",
    "Meerdere hulpverleners betrokken zonder afstemming.",
    "Zorgen over verwaarlozing; school en JGZ zien een terugval.",
    "Jongere verdacht van een delict; thuis onveilige situatie.",
    "Ouder met verslavingsproblematiek; kinderen zorgen voor zichzelf.",
    "Vechtscheiding; kinderen klem tussen ouders.",
]
GOALS = [
    "Eén plan, één regisseur.",
    "Veiligheid van de kinderen borgen en hulp afstemmen.",
    "Afspraken over wie wat doet en wanneer.",
]
AGREEMENTS = [
    "Huisbezoek afleggen en veiligheid inschatten",
    "Veiligheidsplan bijwerken met het gezin",
    "Stand van zaken strafzaak doorgeven",
    "Aanmelding bij jeugdhulp regelen",
    "Gesprek met school over aanwezigheid",
    "Terugkoppeling aan het overleg over de voortgang",
    "Traumascreening aanvragen",
]
SUMMARIES = [
    "Voortgang besproken; afspraken blijven staan.",
    "Situatie stabiel; monitoring gaat door.",
    "Nieuwe zorgen gemeld; extra afspraken gemaakt.",
    "Hulp loopt; volgende bespreking over drie weken.",
]


@dataclass
class _Spec:
    name: str
    kind: str
    lead: Organisation
    chair: int
    members: list[Organisation]
    weekdays: list[int]
    start: time
    attendees: list[tuple[int, int]]  # (user id, organisation id)
    pool: list[tuple[int, int, int]]  # (dossier id, registering user id, organisation id)
    new_per_meeting: tuple[int, int]
    lifetime: tuple[int, int]  # how many times a case is on the agenda
    follow_every: int
    cap: int
    bench: bool = False
    owner_weights: list[tuple[int, int]] = field(default_factory=list)  # (user id, weight)


@dataclass
class _Stats:
    meetings: int = 0
    registrations: int = 0
    agenda_items: int = 0
    agreements: int = 0
    discussions: int = 0


class _OverlegLarge:
    def __init__(self, *, rng: random.Random, now: datetime, scale: float, show_progress: bool) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.scale = scale
        self.show_progress = show_progress
        self.tz = timezone.get_default_timezone()
        self.stats = _Stats()

    # -- set-up ---------------------------------------------------------------------------------
    def _case_users(self, org: Organisation, n: int) -> list[int]:
        return list(
            Membership.objects.filter(
                organisation=org, is_active=True, role__in=(Role.PROFESSIONAL, Role.VEILIG_THUIS, Role.TEAMLEIDER)
            )
            .exclude(user__username__startswith="bench-")
            .order_by("user_id")
            .values_list("user_id", flat=True)[:n]
        )

    def _pool(self, org_ids: list[int], limit: int, exclude: set[int]) -> list[tuple[int, int, int]]:
        """Open dossiers whose regievoerder works for one of these organisations: (dossier, user, org)."""
        rows = list(
            CaseTeamMember.objects.filter(
                organisation_id__in=org_ids,
                case_role=CaseRole.REGIEVOERDER,
                ended_at__isnull=True,
                dossier__status=Dossier.Status.OPEN,
            )
            .exclude(dossier_id__in=exclude)
            .order_by("dossier_id")
            .values_list("dossier_id", "user_id", "organisation_id")[: limit * 3]
        )
        self.rng.shuffle(rows)
        return rows[:limit]

    def specs(self, municipality: Municipality) -> list[_Spec]:
        orgs = list(Organisation.objects.filter(municipality=municipality, is_active=True).order_by("pk"))

        def of(kind: str) -> list[Organisation]:
            return [o for o in orgs if o.type == kind]

        vt, om, rvdk, gemeente = (
            of(OrganisationType.VEILIG_THUIS)[0],
            of(OrganisationType.OM)[0],
            of(OrganisationType.RVDK)[0],
            of(OrganisationType.GEMEENTE)[0],
        )
        politie, gi, wijkteams, jgz = (
            of(OrganisationType.POLITIE),
            of(OrganisationType.GI),
            of(OrganisationType.WIJKTEAM),
            of(OrganisationType.JGZ),
        )
        bench = User.objects.get(username="bench-professional")
        bench_org = bench.memberships.get().organisation
        vt_staff = self._case_users(vt, 3)

        def one(org: Organisation) -> list[tuple[int, int]]:
            return [(u, org.pk) for u in self._case_users(org, 1)]

        straf_attendees = [
            (vt_staff[0], vt.pk),
            (bench.pk, bench_org.pk),
            *one(politie[0]),
            *one(om),
            *one(gi[0]),
            *one(rvdk),
        ]
        mda_chair = vt_staff[1] if len(vt_staff) > 1 else vt_staff[0]
        bench_dossiers = [
            (d, bench.pk, bench_org.pk)
            for d in CaseTeamMember.objects.filter(user=bench, ended_at__isnull=True)
            .order_by("dossier_id")
            .values_list("dossier_id", flat=True)
        ]
        straf_pool = self._pool([w.pk for w in wijkteams] + [vt.pk], 900, set()) + bench_dossiers
        self.rng.shuffle(straf_pool)
        used = {d for d, _u, _o in straf_pool}
        mda_pool = self._pool([vt.pk] + [w.pk for w in wijkteams], 500, used)
        used |= {d for d, _u, _o in mda_pool}
        specs = [
            _Spec(
                name=STRAF_ZORG_NAME,
                kind=OverlegKind.STRAF_ZORG,
                lead=vt,
                chair=vt_staff[0],
                members=[vt, *politie, om, *gi, rvdk, gemeente, bench_org],
                weekdays=[2, 4],
                start=time(10, 0),
                attendees=straf_attendees,
                pool=straf_pool,
                new_per_meeting=(1, 3),
                lifetime=(3, 7),
                follow_every=2,
                cap=BENCH_CASES,
                bench=True,
                owner_weights=[(uid, 4 if uid == bench.pk else 1) for uid, _o in straf_attendees[1:]],
            ),
            _Spec(
                name="MDA++-triage Amstelmere",
                kind=OverlegKind.MDA_TRIAGE,
                lead=vt,
                chair=mda_chair,
                members=[vt, *politie, *gi, rvdk, gemeente],
                weekdays=[1],
                start=time(13, 0),
                attendees=[(mda_chair, vt.pk), *one(politie[-1]), *one(gi[-1])],
                pool=mda_pool,
                new_per_meeting=(1, 3),
                lifetime=(2, 4),
                follow_every=1,
                cap=10,
            ),
        ]
        # Every wijkteam has its overleg from scale 0.1 on (two years of meetings do not grow with the
        # city); tiny test scales keep a few.
        n_wijk = len(wijkteams) if self.scale >= 0.1 else max(1, round(len(wijkteams) * self.scale * 10))
        for index, wijkteam in enumerate(wijkteams[:n_wijk]):
            staff = self._case_users(wijkteam, 4)
            if len(staff) < 2:
                continue
            nurse_org = jgz[index % len(jgz)] if jgz else wijkteam
            nurse = self._case_users(nurse_org, 1)
            attendees = [(u, wijkteam.pk) for u in staff] + [(u, nurse_org.pk) for u in nurse]
            pool = self._pool([wijkteam.pk], 260, used)
            used |= {d for d, _u, _o in pool}
            specs.append(
                _Spec(
                    name=f"Wijk-casusoverleg {wijkteam.name}",
                    kind=OverlegKind.WIJK,
                    lead=wijkteam,
                    chair=staff[0],
                    members=[wijkteam, nurse_org],
                    weekdays=[3],
                    start=time(14, 0),
                    attendees=attendees,
                    pool=pool,
                    new_per_meeting=(0, 2),
                    lifetime=(2, 5),
                    follow_every=2,
                    cap=8,
                )
            )
        return specs

    # -- one overleg ----------------------------------------------------------------------------
    def _create_type(self, spec: _Spec, municipality: Municipality) -> tuple[OverlegType, list[ProcessStep]]:
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

    def _meetings(self, spec: _Spec, overleg: OverlegType) -> list[Meeting]:
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

    def _owner(self, spec: _Spec) -> tuple[int | None, int | None]:
        if self.rng.random() < 0.35:
            _uid, oid = self.rng.choice(spec.attendees[1:] or spec.attendees)
            return None, oid
        if spec.owner_weights:
            users, weights = zip(*spec.owner_weights, strict=True)
            return self.rng.choices(users, weights=weights)[0], None
        return self.rng.choice(spec.attendees)[0], None

    def build_one(self, spec: _Spec, municipality: Municipality) -> OverlegType:
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

    def _discussions_and_agreements(self, spec: _Spec, items: list[AgendaItem], running_ids: set[int]) -> None:
        rng = self.rng
        discussions: list[DiscussionEntry] = []
        agreements: list[Agreement] = []
        closing: list[tuple[str, date, str] | None] = []
        org_of = dict(spec.attendees)
        last_held: dict[int, AgendaItem] = {}
        for item in items:
            meeting = item.meeting
            if meeting.status != MeetingStatus.HELD:
                continue
            last_held[id(item.registration)] = item
            author = rng.choice(spec.attendees)[0]
            four = rng.random() < 0.3
            discussions.append(
                DiscussionEntry(
                    agenda_item=item,
                    author_id=author,
                    organisation_id=org_of[author],
                    created_at=meeting.starts_at + timedelta(minutes=10 + item.order * 5),
                    summary=None if four else rng.choice(SUMMARIES),
                    mensen="Ouders en kinderen; betrokken hulpverleners." if four else None,
                    feiten="Meldingen en observaties sinds de vorige bespreking." if four else None,
                    weging="Zorgen blijven; veiligheid nog niet stabiel." if four else None,
                    volgende_stappen="Afspraken hieronder." if four else None,
                )
            )
            day = timezone.localdate(meeting.starts_at)
            for _n in range(rng.randint(1, 2)):
                user_id, org_id = self._owner(spec)
                due = day + timedelta(days=rng.randint(5, 21))
                agreements.append(
                    Agreement(
                        registration=item.registration,
                        agenda_item=item,
                        owner_user_id=user_id,
                        owner_organisation_id=org_id,
                        what=rng.choice(AGREEMENTS),
                        due_on=due,
                        created_by_id=spec.chair,
                        created_at=meeting.starts_at + timedelta(minutes=60),
                        updated_at=meeting.starts_at + timedelta(minutes=60),
                    )
                )
                roll = rng.random()
                if due < self.today:
                    if roll < 0.72:
                        closing.append((AgreementStatus.DONE, due - timedelta(days=rng.randint(0, 4)), "Uitgevoerd."))
                    elif roll < 0.85:
                        closing.append(
                            (
                                AgreementStatus.DONE,
                                due + timedelta(days=rng.randint(1, 9)),
                                "Uitgevoerd, later dan afgesproken.",
                            )
                        )
                    elif roll < 0.92:
                        closing.append((AgreementStatus.CANCELLED, due - timedelta(days=1), "Niet meer nodig."))
                    else:
                        closing.append(None)  # open and overdue
                else:
                    closing.append(
                        (AgreementStatus.DONE, min(self.today, day + timedelta(days=3)), "Uitgevoerd.")
                        if roll < 0.15
                        else None
                    )
        # The cases on the next planned meeting keep at least one open agreement each.
        for key in running_ids:
            last = last_held.get(key)
            if last is None:
                continue
            item = last
            day = timezone.localdate(item.meeting.starts_at)
            user_id, org_id = self._owner(spec)
            agreements.append(
                Agreement(
                    registration=item.registration,
                    agenda_item=item,
                    owner_user_id=user_id,
                    owner_organisation_id=org_id,
                    what=rng.choice(AGREEMENTS),
                    due_on=max(self.today, day + timedelta(days=14)),
                    created_by_id=spec.chair,
                    created_at=item.meeting.starts_at + timedelta(minutes=70),
                    updated_at=item.meeting.starts_at + timedelta(minutes=70),
                )
            )
            closing.append(None)
        for agreement, closed in zip(agreements, closing, strict=True):
            if closed is not None:
                status, on, result = closed
                on = min(on, self.today)
                agreement.status = status
                agreement.result = result
                agreement.closed_at = datetime.combine(on, time(16, 0), tzinfo=self.tz)
                agreement.updated_at = max(agreement.closed_at, agreement.created_at)
                agreement.version = 2
            elif agreement.due_on < self.today:
                agreement.overdue_notified_at = datetime.combine(agreement.due_on, time(7, 0), tzinfo=self.tz)
        DiscussionEntry.objects.bulk_create(discussions, batch_size=BATCH_SIZE)
        Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)
        versions: list[AgreementVersion] = []
        for agreement in agreements:
            values: dict[str, Any] = {
                "owner_user": agreement.owner_user_id,
                "owner_organisation": agreement.owner_organisation_id,
                "what": agreement.what,
                "due_on": agreement.due_on.isoformat(),
                "status": "open",
                "result": "",
            }
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    version=1,
                    kind=AgreementVersion.Kind.CREATED,
                    changed_by_id=spec.chair,
                    changed_at=agreement.created_at,
                    fields=["due_on", "owner", "what"],
                    values=values,
                )
            )
            if agreement.version == 2:
                assert agreement.closed_at is not None
                versions.append(
                    AgreementVersion(
                        agreement=agreement,
                        version=2,
                        kind=(
                            AgreementVersion.Kind.DONE
                            if agreement.status == AgreementStatus.DONE
                            else AgreementVersion.Kind.CANCELLED
                        ),
                        changed_by_id=agreement.owner_user_id or spec.chair,
                        changed_at=agreement.closed_at,
                        fields=["result", "status"],
                        values={**values, "status": agreement.status, "result": agreement.result},
                    )
                )
        AgreementVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
        self.stats.discussions += len(discussions)
        self.stats.agreements += len(agreements)


def bench_meeting() -> Meeting | None:
    """The straf–zorg meeting of the large profile that the meeting page benchmark opens: the next
    planned one with an agenda, or (on a database seeded days ago) the one that was next then."""
    planned = Meeting.objects.filter(
        overleg_type__name=STRAF_ZORG_NAME, status=MeetingStatus.PLANNED, items__isnull=False
    ).distinct()
    upcoming = planned.filter(ends_at__gt=timezone.now()).order_by("starts_at").first()
    return upcoming or planned.order_by("-starts_at").first()


def seed_overleg_large(*, seed: int, now: datetime, scale: float, show_progress: bool) -> dict[str, int]:
    """Two years of overleg for the large profile (whose organisations, staff and dossiers must exist)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not security)
    municipality = Municipality.objects.get(cbs_code=MUNICIPALITY_CODE)
    builder = _OverlegLarge(rng=rng, now=now, scale=scale, show_progress=show_progress)
    specs = builder.specs(municipality)
    with explicit_timestamps(
        OverlegType, Meeting, CaseRegistration, AgendaItem, AgendaEvent, DiscussionEntry, Agreement
    ):
        for spec in progress(specs, desc="overleg", enabled=show_progress):
            builder.build_one(spec, municipality)
    stats = builder.stats
    return {
        "overleg_types": len(specs),
        "overleg_meetings": stats.meetings,
        "overleg_registrations": stats.registrations,
        "overleg_agenda_items": stats.agenda_items,
        "overleg_discussions": stats.discussions,
        "overleg_agreements": stats.agreements,
    }
