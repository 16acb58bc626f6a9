"""Meldcode-trajecten for the demo municipality, in every step and outcome.

The trajecten are written through the meldcode services, so every rule and audit event applies as
in real use; afterwards their dates are moved into the past (start, activity, entry timestamps) so
that the stuck traject and the overdue Veilig Thuis feedback show up as they would in practice.
Seed-only: the entry timestamps are moved with a plain QuerySet, bypassing the append-only manager.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from keten.accounts.models import Membership, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.workdays import add_working_days
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier, Person, Relation
from keten.meldcode import vocabulary
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Checklist, ChecklistKind, Consultation, Entry, Traject
from keten.meldcode.reference import load_default_checklists
from keten.meldcode.trajecten import services as traject_services


def _actor(user: User, organisation_id: int | None = None) -> Actor:
    memberships = Membership.objects.filter(user=user, is_active=True).select_related("organisation")
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    membership = memberships.first()
    assert membership is not None
    fresh = User.objects.get(pk=user.pk)
    fresh.__dict__["active_membership"] = membership
    return Actor(user=fresh, membership=membership)


@dataclass
class _Plan:
    label: str
    days_ago: int
    build: Callable[[Traject, Actor, date], None]


class MeldcodeDemo:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.prof = User.objects.get(username="demo-professional")
        self.af = User.objects.get(username="demo-aandachtsfunctionaris")
        self.collega = User.objects.get(username="demo-collega")

    # -- helpers --------------------------------------------------------------------------------
    def _dossiers_of(self, user: User) -> list[Dossier]:
        ids = CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values_list("dossier_id", flat=True)
        return list(Dossier.objects.filter(pk__in=ids, status=Dossier.Status.OPEN).order_by("pk"))

    def _child(self, dossier: Dossier) -> Person | None:
        return Person.objects.filter(family_id=dossier.family_id, relation=Relation.KIND).order_by("pk").first()

    def _signal(self, traject: Traject, actor: Actor, on: date, codes: list[str], facts: str, interp: str = "") -> None:
        checklist = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
        known = checklist.item_map()
        traject_services.signal_record(
            actor=actor,
            traject=traject,
            data=traject_services.SignalData(
                checklist_id=checklist.pk,
                codes=[c for c in codes if c in known] or [next(iter(known))],
                observed_on=on,
                source=vocabulary.SOURCE_SELF,
                facts=facts,
                interpretation=interp,
            ),
        )

    def _answers(self, traject: Traject, actor: Actor, answers: dict[int, bool]) -> None:
        reasons = {
            1: "De signalen en het gesprek wijzen samen op een blijvende zorg.",
            2: "Er is geen direct gevaar; de zorgen gaan over verwaarlozing die al langer speelt.",
            3: "Het wijkteam kan opvoedondersteuning inzetten en de school blijft betrokken.",
            4: "Moeder stemt in met de hulp en heeft de eerste afspraak gemaakt.",
            5: "Na zes weken is de situatie thuis stabiel; school ziet verbetering.",
        }
        for number, answer in answers.items():
            weging_services.afweging_record(
                actor=actor, traject=traject, number=number, answer=answer, motivation=reasons[number]
            )

    def _backdate(self, traject: Traject, started: date, *, last_activity: datetime | None = None) -> None:
        """Spread the entries over the days since the start, as if they were recorded along the way.

        Entries the services dated today (consultations, afwegingen, decisions) get a date between
        the start and today; entries with an earlier explicit date keep it. Dates never go back.
        """
        start_at = timezone.make_aware(datetime.combine(started, time(9, 0)))
        plain: models.QuerySet[Entry] = models.QuerySet(model=Entry)
        entries = list(plain.filter(traject=traject).order_by("pk"))
        explicit = [e.occurred_on != self.today for e in entries]
        previous = started
        last = start_at
        for i, entry in enumerate(entries):
            if explicit[i]:
                day = max(previous, entry.occurred_on)
            elif any(explicit[i + 1 :]):
                day = previous  # recorded on the day of the entry before it
            else:
                # After the last dated entry: spread the rest over the days up to yesterday.
                remaining = len(entries) - i
                gap = max((self.today - timedelta(days=1) - previous).days, 0)
                day = previous + timedelta(days=gap // (remaining + 1) if remaining else 0)
            stamp = timezone.make_aware(datetime.combine(day, time(10, 0))) + timedelta(minutes=i)
            plain.filter(pk=entry.pk).update(occurred_on=day, created_at=stamp)
            previous, last = day, stamp
            entry.created_at = stamp
        changes: dict[str, Any] = {"started_at": start_at, "last_activity_at": last_activity or last}
        decisions = [e for e in entries if e.kind == "besluit"]
        if traject.decided_at and decisions:
            changes["decided_at"] = decisions[-1].created_at
        if traject.closed_at:
            changes["closed_at"] = last
        Traject.objects.filter(pk=traject.pk).update(**changes)
        Consultation.objects.filter(traject=traject).update(requested_at=start_at + timedelta(days=1))

    # -- the trajecten --------------------------------------------------------------------------
    def build(self) -> dict[str, int]:
        prof = _actor(self.prof)
        af = _actor(self.af)
        dossiers = self._dossiers_of(self.prof)
        counts: dict[str, int] = {}
        plans = self._plans(af)
        for dossier, plan in zip(dossiers, plans, strict=False):
            child = self._child(dossier)
            started = self.today - timedelta(days=plan.days_ago)
            traject = traject_services.traject_start(actor=prof, dossier=dossier, child_id=child.pk if child else None)
            Traject.objects.filter(pk=traject.pk).update(
                started_at=timezone.make_aware(datetime.combine(started, time(9)))
            )
            traject.refresh_from_db()
            plan.build(traject, prof, started)
            stuck = plan.label == "vastgelopen"
            self._backdate(
                traject,
                started,
                last_activity=timezone.make_aware(datetime.combine(started + timedelta(days=1), time(11)))
                if stuck
                else None,
            )
            counts[plan.label] = counts.get(plan.label, 0) + 1
        counts["kindcheck_ggz"] = self._ggz_kindcheck()
        counts["school"] = self._school_traject()
        return counts

    def _plans(self, af: Actor) -> list[_Plan]:
        def signals_only(t: Traject, a: Actor, start: date) -> None:
            self._signal(
                t, a, start, ["K412-X05", "KALL-V04"], "Komt de laatste twee weken zonder lunch en in dezelfde kleren."
            )

        def consultation_open(t: Traject, a: Actor, start: date) -> None:
            self._signal(t, a, start, ["K412-E02", "K412-S04"], "Schrikt zichtbaar als vader haar komt ophalen.")
            consultation_services.consultation_request(
                actor=a,
                traject=t,
                to_user_id=self.af.pk,
                kind=Consultation.Kind.AANDACHTSFUNCTIONARIS,
                question="Ik twijfel of deze signalen genoeg zijn om verder te gaan. Wil je meedenken?",
            )

        def conversation(t: Traject, a: Actor, start: date) -> None:
            self._signal(
                t, a, start, ["KALL-O01"], "Buren melden harde ruzies in de avond; kind vertelt erover op school."
            )
            c = consultation_services.consultation_request(
                actor=a,
                traject=t,
                to_user_id=self.af.pk,
                kind=Consultation.Kind.AANDACHTSFUNCTIONARIS,
                question="Hoe bereid ik het gesprek met de ouders voor?",
            )
            consultation_services.consultation_answer(
                actor=af, consultation=c, advice="Begin met wat je zag, zonder oordeel; spreek af dat je terugkomt."
            )
            traject_services.conversation_record(
                actor=a,
                traject=t,
                held_on=start + timedelta(days=5),
                participants=["ouders"],
                summary="Zorgen over de ruzies en de spanning bij het kind besproken.",
                reaction="Moeder herkent het, vader vindt dat het meevalt.",
            )

        def weighing(t: Traject, a: Actor, start: date) -> None:
            conversation(t, a, start)
            self._answers(t, a, {1: True, 2: False})

        def help_running(t: Traject, a: Actor, start: date) -> None:
            conversation(t, a, start)
            self._answers(t, a, {1: True, 2: False, 3: True, 4: True})
            weging_services.decision_record(
                actor=a,
                traject=t,
                data=weging_services.DecisionData(
                    "hulp",
                    "Hulp binnen het wijkteam is passend en wordt aanvaard.",
                    "Wijkteam start opvoedondersteuning; school meldt verzuim direct aan het wijkteam.",
                    self.today + timedelta(days=30),
                ),
            )

        def melding_with_feedback(t: Traject, a: Actor, start: date) -> None:
            self._signal(t, a, start, ["K412-L01"], "Blauwe plekken op beide bovenarmen; kind zegt gevallen te zijn.")
            consultation_services.vt_advice_record(
                actor=a,
                traject=t,
                asked_on=start + timedelta(days=1),
                anonymous=True,
                outcome="melden",
                advice="Veilig Thuis adviseert te melden vanwege herhaald letsel.",
            )
            self._answers(t, a, {1: True, 2: True})
            weging_services.decision_record(
                actor=a,
                traject=t,
                data=weging_services.DecisionData("melden", "Structurele onveiligheid: melden is de norm."),
            )
            reported = start + timedelta(days=2)
            weging_services.melding_record(
                actor=a,
                traject=t,
                data=weging_services.MeldingData(
                    reported_on=reported,
                    vt_region="Veilig Thuis Regio Lindeveld",
                    shared="De signalen, het letsel en het advies van Veilig Thuis.",
                    client_informed=True,
                ),
            )
            weging_services.vt_feedback_record(
                actor=a,
                traject=t,
                received_on=add_working_days(reported, 4),
                outcome="overdracht",
                feedback="Na de veiligheidsbeoordeling overgedragen aan het wijkteam met veiligheidsvoorwaarden.",
            )

        def melding_overdue(t: Traject, a: Actor, start: date) -> None:
            self._signal(t, a, start, ["KALL-M08"], "Kind vertelt in de klas over een geheim met een volwassene.")
            self._answers(t, a, {1: True, 2: True})
            weging_services.decision_record(
                actor=a,
                traject=t,
                data=weging_services.DecisionData("melden", "Onthulling: acute onveiligheid, direct melden."),
            )
            weging_services.melding_record(
                actor=a,
                traject=t,
                data=weging_services.MeldingData(
                    reported_on=start + timedelta(days=1),
                    vt_region="Veilig Thuis Regio Lindeveld",
                    shared="Wat het kind vertelde, letterlijk genoteerd.",
                    client_informed=False,
                    not_informed_reason="Het gesprek met de ouders kan de veiligheid van het kind in gevaar brengen.",
                ),
            )

        def closed_no_suspicion(t: Traject, a: Actor, start: date) -> None:
            self._signal(t, a, start, ["K412-E01"], "Kind is onrustig en moe in de klas.")
            traject_services.conversation_record(
                actor=a,
                traject=t,
                held_on=start + timedelta(days=3),
                participants=["ouders", "kind"],
                summary="Het gezin verhuist en het kind slaapt slecht in de nieuwe kamer.",
                reaction="Ouders zijn open en hadden het zelf ook gemerkt.",
            )
            self._answers(t, a, {1: False})
            weging_services.decision_record(
                actor=a,
                traject=t,
                data=weging_services.DecisionData("afsluiten", "Verklaring gevonden; geen vermoeden meer."),
            )

        def stuck(t: Traject, a: Actor, start: date) -> None:
            self._signal(
                t, a, start, ["KALL-V02", "KALL-V06"], "Gemiste afspraken bij het consultatiebureau en slechte hygiëne."
            )

        return [
            _Plan("stap1", 3, signals_only),
            _Plan("consultatie_open", 6, consultation_open),
            _Plan("gesprek", 12, conversation),
            _Plan("wegen", 14, weighing),
            _Plan("hulp", 40, help_running),
            _Plan("gemeld_terugkoppeling", 30, melding_with_feedback),
            _Plan("gemeld_terugkoppeling_te_laat", 20, melding_overdue),
            _Plan("afgesloten", 60, closed_no_suspicion),
            _Plan("vastgelopen", 25, stuck),
        ]

    def _ggz_kindcheck(self) -> int:
        """A GGZ professional with an adult client runs a positive Kindcheck."""
        member = (
            Membership.objects.filter(
                organisation__type=OrganisationType.GGZ, role=Role.PROFESSIONAL, is_active=True, user__is_active=True
            )
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
        )
        dossiers = self._dossiers_of(self.collega)
        if member is None or not dossiers:
            return 0
        dossier = dossiers[-1]
        CaseTeamMember.objects.get_or_create(
            dossier=dossier,
            user=member.user,
            ended_at=None,
            defaults={"organisation": member.organisation, "case_role": CaseRole.HULPVERLENER},
        )
        actor = _actor(member.user, member.organisation_id)
        start = self.today - timedelta(days=8)
        traject = traject_services.traject_start(actor=actor, dossier=dossier)
        traject_services.kindcheck_record(
            actor=actor,
            traject=traject,
            data=traject_services.KindcheckData(
                held_on=start,
                moment="intake",
                problems=["psychiatrie", "financieel"],
                cares_for_minors=True,
                lives_with_minors=True,
                pregnant=False,
                children_count=2,
                children_ages=[3, 7],
                living_arrangement="Beide kinderen wonen bij de cliënt.",
                shared_care="Grootmoeder past twee dagen per week op.",
                outcome="positief",
                notes="Cliënt heeft een ernstige depressie; zorgen over de dagelijkse verzorging van de jongste.",
            ),
        )
        self._backdate(traject, start)
        return 1

    def _school_traject(self) -> int:
        """A teacher's traject: signals recorded at school, consultation of the school's aandachtsfunctionaris."""
        teacher = (
            Membership.objects.filter(
                organisation__type=OrganisationType.ONDERWIJS, role=Role.PROFESSIONAL, is_active=True
            )
            .select_related("user", "organisation")
            .order_by("pk")
            .first()
        )
        dossiers = self._dossiers_of(self.prof)
        if teacher is None or not dossiers:
            return 0
        dossier = dossiers[0]
        CaseTeamMember.objects.get_or_create(
            dossier=dossier,
            user=teacher.user,
            ended_at=None,
            defaults={"organisation": teacher.organisation, "case_role": CaseRole.SIGNALEERDER},
        )
        actor = _actor(teacher.user, teacher.organisation_id)
        start = self.today - timedelta(days=4)
        traject = traject_services.traject_start(actor=actor, dossier=dossier)
        self._signal(
            traject,
            actor,
            start,
            ["K412-X02", "K412-X05"],
            "Drie keer deze week te laat; wil na school niet naar huis.",
        )
        self._backdate(traject, start)
        return 1


def seed_meldcode_demo(*, rng: random.Random, now: datetime) -> dict[str, Any]:
    # A reset database has lost the default checklists the migration loaded: load them again.
    load_default_checklists(Checklist, now=now)
    return MeldcodeDemo(rng=rng, now=now).build()
