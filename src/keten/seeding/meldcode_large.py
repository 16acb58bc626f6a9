"""Meldcode-trajecten at city scale for the ``large`` profile (benchmarks).

~20,000 trajecten over the years of history, most of them closed, each with a realistic run of
entries; the organisation of ``bench-aandachtsfunctionaris`` gets ~320 open trajecten (its
overview page), and one traject of ``bench-professional`` has ~50 entries (the traject page).
Written with bulk inserts; entry content is encrypted as in real use. History rows of the
trajecten are not created (the benchmarks do not read them).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from keten.accounts.models import User
from keten.core.crypto import new_pseudonym
from keten.core.workdays import add_working_days
from keten.dossiers.models import CaseTeamMember, Dossier, Person, Relation
from keten.meldcode.models import Checklist, ChecklistKind, Entry, EntryKind, Status, Traject
from keten.meldcode.reference import load_default_checklists
from keten.seeding.common import BATCH_SIZE, explicit_timestamps, progress

TRAJECTEN = 20_000
BENCH_OPEN_IN_ORG = 320
BENCH_LONG_TRAJECT_ENTRIES = 50

FACTS = [
    "Kind kwam deze week drie keer zonder ontbijt en lunch op school.",
    "Blauwe plek op de wang; kind zegt tegen de deur gelopen te zijn.",
    "Moeder vertelt over harde ruzies thuis in de avond.",
    "Kind schrikt zichtbaar als vader binnenkomt.",
    "Afspraken bij het consultatiebureau zijn twee keer gemist.",
    "Kind is onrustig, moe en kan zich slecht concentreren.",
    "Buurvrouw maakt zich zorgen over geschreeuw en huilen.",
    "Kind vertelt dat het niet naar huis wil na school.",
]
ADVICE = [
    "Voer eerst het gesprek met de ouders en kom daarna terug.",
    "Vraag Veilig Thuis om advies; bespreek de signalen concreet.",
    "Leg de signalen feitelijk vast en observeer nog twee weken.",
]


@dataclass
class _Plan:
    status: str
    step: int
    kinds: Sequence[str]
    outcome: str = ""


def _plan(rng: random.Random, status: str) -> _Plan:
    signals = [EntryKind.SIGNAAL] * rng.randint(1, 4) + [EntryKind.OBSERVATIE] * rng.randint(0, 2)
    consult = [EntryKind.CONSULTATIEVRAAG, EntryKind.CONSULTATIEADVIES] if rng.random() < 0.8 else []
    if rng.random() < 0.3:
        consult.append(EntryKind.ADVIES_VEILIG_THUIS)
    talk = [EntryKind.GESPREK] if rng.random() < 0.85 else [EntryKind.GEEN_GESPREK]
    if status == Status.OPEN:
        step = rng.choice((1, 1, 2, 3, 5))
        kinds = signals + (consult if step >= 2 else []) + (talk if step >= 3 else [])
        if step == 5:
            kinds += [EntryKind.AFWEGING]
        return _Plan(status, step, kinds)
    if status == Status.HULP:
        return _Plan(status, 5, signals + consult + talk + [EntryKind.AFWEGING] * 4 + [EntryKind.BESLUIT], "hulp")
    if status in (Status.GEMELD, Status.GEMELD_EN_HULP):
        outcome = "melden" if status == Status.GEMELD else "melden_en_hulp"
        kinds = signals + consult + talk + [EntryKind.AFWEGING] * 2 + [EntryKind.BESLUIT, EntryKind.MELDING]
        if rng.random() < 0.7:
            kinds.append(EntryKind.TERUGKOPPELING)
        return _Plan(status, 5, kinds, outcome)
    # Closed: no suspicion, help ended, or after a melding.
    ending = rng.choice(("afsluiten", "hulp", "melden"))
    if ending == "afsluiten":
        kinds = signals + consult + talk + [EntryKind.AFWEGING, EntryKind.BESLUIT]
    elif ending == "hulp":
        kinds = signals + consult + talk + [EntryKind.AFWEGING] * 5 + [EntryKind.BESLUIT, EntryKind.AFSLUITING]
    else:
        kinds = signals + consult + talk + [EntryKind.AFWEGING] * 2 + [EntryKind.BESLUIT, EntryKind.MELDING]
        kinds += [EntryKind.TERUGKOPPELING]
    return _Plan(status, 5, kinds, ending)


class _EntryFactory:
    def __init__(self, rng: random.Random, checklist: Checklist) -> None:
        self.rng = rng
        self.checklist = checklist
        self.codes = [item["code"] for item in checklist.items]
        self.labels = {item["code"]: item["label"] for item in checklist.items}

    def content(self, kind: str, n_afweging: int, day: date) -> tuple[dict[str, Any], str]:
        rng = self.rng
        if kind == EntryKind.SIGNAAL:
            codes = rng.sample(self.codes, rng.randint(1, 3))
            return {
                "checklist": {"id": self.checklist.pk, "kind": self.checklist.kind, "version": self.checklist.version},
                "codes": codes,
                "labels": [self.labels[c] for c in codes],
                "source": "zelf",
                "facts": rng.choice(FACTS),
                "interpretation": "",
            }, ""
        if kind == EntryKind.OBSERVATIE:
            return {"source": "zelf", "facts": rng.choice(FACTS), "interpretation": ""}, ""
        if kind == EntryKind.AFWEGING:
            return {"number": n_afweging, "answer": True, "with_veilig_thuis": False, "outcome": "", "meldnorm": ""}, (
                "Gewogen op basis van de signalen, de consultatie en het gesprek."
            )
        if kind == EntryKind.MELDING:
            return {
                "vt_region": "Veilig Thuis Amstelmere",
                "client_informed": True,
                "not_informed_reason": "",
                "anonymous_melder": False,
                "feedback_due": add_working_days(day, 5).isoformat(),
            }, "Signalen, gesprek en afwegingen gedeeld."
        if kind in (EntryKind.CONSULTATIEADVIES, EntryKind.ADVIES_VEILIG_THUIS):
            return {}, rng.choice(ADVICE)
        return {}, rng.choice(FACTS)


def seed_meldcode_large(*, rng: random.Random, now: datetime, scale: float, show_progress: bool) -> dict[str, int]:
    """Trajecten on dossiers of the large profile (which must already exist)."""
    load_default_checklists(Checklist, now=now)
    checklist = Checklist.objects.filter(
        kind=ChecklistKind.KINDSIGNALEN, organisation_type="", municipality=None
    ).order_by("-version")[0]
    all_checklists = list(
        Checklist.objects.filter(organisation_type="", municipality=None).order_by("kind", "-version")
    )
    current = {c.kind: c for c in reversed(all_checklists)}
    factory = _EntryFactory(rng, checklist)
    bench_prof = User.objects.get(username="bench-professional")
    bench_af = User.objects.get(username="bench-aandachtsfunctionaris")
    heavy_org_id = bench_af.memberships.get().organisation_id

    leads = dict(
        CaseTeamMember.objects.filter(case_role="regievoerder", ended_at__isnull=True).values_list(
            "dossier_id", "user_id"
        )
    )
    user_org = dict(User.objects.filter(pk__in=set(leads.values())).values_list("pk", "memberships__organisation_id"))
    opened = dict(Dossier.objects.values_list("pk", "opened_at"))
    children = dict(
        Person.objects.filter(relation=Relation.KIND)
        .order_by("family_id", "pk")
        .values_list("family__dossier__id", "pk")
    )
    bench_dossiers = list(
        CaseTeamMember.objects.filter(user=bench_prof, ended_at__isnull=True).values_list("dossier_id", flat=True)
    )
    n = max(BENCH_OPEN_IN_ORG + 100, round(TRAJECTEN * scale))
    dossier_ids = rng.sample(sorted(leads), min(n, len(leads)))
    heavy_org_dossiers = [d for d in sorted(leads) if user_org.get(leads[d]) == heavy_org_id]
    extra_heavy = [d for d in heavy_org_dossiers if d not in set(dossier_ids)]
    dossier_ids += extra_heavy[:BENCH_OPEN_IN_ORG]

    trajecten: list[Traject] = []
    plans: list[_Plan] = []
    long_traject_dossier = bench_dossiers[0] if bench_dossiers else None
    if long_traject_dossier is not None and long_traject_dossier not in dossier_ids:
        dossier_ids.append(long_traject_dossier)
    heavy_open = 0
    today = timezone.localdate(now)
    for dossier_id in progress(dossier_ids, desc="meldcode-trajecten", enabled=show_progress):
        lead = leads[dossier_id]
        org_id = user_org.get(lead)
        if org_id is None:
            continue
        in_heavy = org_id == heavy_org_id
        if in_heavy and heavy_open < BENCH_OPEN_IN_ORG:
            status = rng.choice((Status.OPEN, Status.OPEN, Status.HULP, Status.GEMELD))
            heavy_open += 1
        else:
            status = rng.choices(
                (Status.AFGESLOTEN, Status.OPEN, Status.HULP, Status.GEMELD, Status.GEMELD_EN_HULP),
                weights=(70, 10, 10, 8, 2),
            )[0]
        plan = _plan(rng, status)
        if dossier_id == long_traject_dossier:
            plan = _Plan(
                Status.OPEN,
                2,
                [EntryKind.SIGNAAL] * 30
                + [EntryKind.OBSERVATIE] * 14
                + [
                    EntryKind.CONSULTATIEVRAAG,
                    EntryKind.CONSULTATIEADVIES,
                ]
                * 3,
            )
            lead = bench_prof.pk
            org_id = heavy_org_id
        first = max(opened[dossier_id], now - timedelta(days=5 * 365))
        if status == Status.AFGESLOTEN:
            start = first + timedelta(days=rng.randint(0, max(1, (now - first).days - 30)))
        else:
            start = now - timedelta(days=rng.randint(1, 120))
        trajecten.append(
            Traject(
                reference=new_pseudonym("M"),
                dossier_id=dossier_id,
                child_id=children.get(dossier_id),
                organisation_id=org_id,
                started_by_id=lead,
                status=plan.status,
                current_step=plan.step,
                afwegingen_step=5,
                meldcode_version="Basismodel meldcode 2019 (met afwegingskader)",
                outcome=plan.outcome,
                started_at=start,
                last_activity_at=start,
            )
        )
        plans.append(plan)

    with explicit_timestamps(Traject, Entry):
        created = Traject.objects.bulk_create(trajecten, batch_size=BATCH_SIZE)
        through = Traject.checklists.through
        through.objects.bulk_create(
            [through(traject_id=t.pk, checklist_id=c.pk) for t in created for c in current.values()],
            batch_size=BATCH_SIZE * 4,
        )
        entries: list[Entry] = []
        updates: list[Traject] = []
        total = 0
        for traject, plan in progress(
            list(zip(created, plans, strict=True)), desc="meldcode-vastleggingen", enabled=show_progress
        ):
            moment = traject.started_at
            n_afweging = 0
            span_days = max(2, min(60, (now - moment).days - 1))
            step_days = span_days / max(len(plan.kinds), 1)
            melding_on: date | None = None
            feedback_on: date | None = None
            for i, kind in enumerate(plan.kinds):
                moment = traject.started_at + timedelta(days=step_days * i, minutes=rng.randint(0, 300))
                day = timezone.localdate(moment)
                if kind == EntryKind.AFWEGING:
                    n_afweging += 1
                data, text = factory.content(kind, n_afweging, day)
                if kind == EntryKind.MELDING:
                    melding_on = day
                if kind == EntryKind.TERUGKOPPELING and melding_on:
                    feedback_on = min(add_working_days(melding_on, rng.randint(2, 9)), today)
                    day = feedback_on
                entries.append(
                    Entry(
                        traject_id=traject.pk,
                        kind=kind,
                        step=min(max(1, _step_of(kind, plan.step)), 5),
                        author_id=traject.started_by_id,
                        organisation_id=traject.organisation_id,
                        created_at=moment,
                        occurred_on=day,
                        data=data,
                        text=text or None,
                    )
                )
            traject.last_activity_at = moment
            traject.first_signal_on = timezone.localdate(traject.started_at)
            if melding_on:
                traject.melding_on = melding_on
                traject.vt_feedback_due = add_working_days(melding_on, 5)
                traject.vt_feedback_on = feedback_on
            if plan.outcome:
                traject.decided_at = moment
            if plan.status == Status.AFGESLOTEN:
                traject.closed_at = moment
            updates.append(traject)
            if len(entries) >= BATCH_SIZE:
                Entry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
                total += len(entries)
                entries = []
        Entry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
        total += len(entries)
        Traject.objects.bulk_update(
            updates,
            [
                "last_activity_at",
                "first_signal_on",
                "melding_on",
                "vt_feedback_due",
                "vt_feedback_on",
                "decided_at",
                "closed_at",
            ],
            batch_size=BATCH_SIZE,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE meldcode_traject; ANALYZE meldcode_entry")
    return {"meldcode_trajecten": len(created), "meldcode_entries": total}


def _step_of(kind: str, fallback: int) -> int:
    from keten.meldcode.models import ENTRY_STEP

    step = ENTRY_STEP.get(kind)
    return step if step is not None else fallback
