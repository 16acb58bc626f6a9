"""Verwijsindex signals and matches for the demo municipality Lindeveld.

Written through the verwijsindex services (registration with matching, contact, coordinator,
withdrawal), each registration dated in the past with the service's ``today``; afterwards the
timestamps the database set (match creation, events, contact) are moved to those dates. The
result: client and family matches in every state, one without contact past the deadline, one
family match across wijken, a postponed notice and a young person with an archived signal.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from keten.accounts.models import Membership, Municipality, Organisation, Role, User
from keten.core.actor import Actor
from keten.seeding.accounts import DemoLogin
from keten.seeding.common import reserved_test_bsns
from keten.verwijsindex import services
from keten.verwijsindex.models import IndexSettings, Match, MatchEvent, Regievoerder, Signal

#: The demo login that is the municipality's verwijsindex regievoerder.
REGIEVOERDER = "demo-aandachtsfunctionaris"

CRITERIA_TEXT = (
    "In Lindeveld geeft u een signaal af als u een redelijk vermoeden heeft dat de ontwikkeling van een jongere "
    "wordt bedreigd door een of meer risico's uit de Jeugdwet. Meestal gaat het om een combinatie van problemen "
    "op verschillende leefgebieden. Alleen een hulpvraag of een lopend traject is geen reden. Twijfelt u? "
    "Overleg met de aandachtsfunctionaris van uw organisatie."
)
CRITERIA_ITEMS = [
    {"code": "1", "label": "Er zijn zorgen op minstens twee leefgebieden (gezin, school, gezondheid, geld, omgeving)."},
    {"code": "2", "label": "De zorgen gaan over een of meer van de risico's a tot en met l uit de wet."},
    {"code": "3", "label": "Samenwerking met andere professionals is nodig om de jongere goed te helpen."},
]


def _actor(user: User) -> Actor:
    membership = Membership.objects.filter(user=user, is_active=True).select_related("organisation", "team").first()
    assert membership is not None
    fresh = User.objects.get(pk=user.pk)
    fresh.__dict__["active_membership"] = membership
    return Actor(user=fresh, membership=membership)


@dataclass(frozen=True)
class _Child:
    bsn: str
    first_name: str
    last_name: str
    born: date
    parents: tuple[str, ...] = ()


class VerwijsindexDemo:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        # Test BSNs only; the index keys them in its own key space, apart from the dossiers.
        self.bsns = iter(reversed(reserved_test_bsns()))
        self.signals = 0

    def _bsn(self) -> str:
        return next(self.bsns)

    def _member(self, org_name: str, *, skip: int = 0) -> User:
        members = list(
            Membership.objects.filter(organisation__name=org_name, is_active=True, role=Role.PROFESSIONAL)
            .exclude(user__username__startswith="demo-")
            .select_related("user")
            .order_by("pk")
        )
        return members[skip % len(members)].user

    def _child(self, first: str, last: str, age: int, *, parents: tuple[str, ...] = ()) -> _Child:
        born = self.today - timedelta(days=age * 365 + self.rng.randint(20, 300))
        return _Child(self._bsn(), first, last, born, parents)

    def _register(self, user: User, child: _Child, days_ago: int, risks: list[str], **notice: Any) -> Signal:
        on = self.today - timedelta(days=days_ago)
        informed = on if not notice else None
        age = services.age_on(child.born, on)
        data = services.Registration(
            identity=services.Identity(
                bsn=child.bsn,
                first_name=child.first_name,
                last_name=child.last_name,
                date_of_birth=child.born,
                parent_bsns=list(child.parents),
            ),
            risk_categories=risks,
            criteria_confirmed=True,
            parents_informed_on=informed if age < 16 else None,
            youth_informed_on=informed if age >= 12 else None,
            **notice,
        )
        result = services.signal_register(actor=_actor(user), data=data, today=on)
        self.signals += 1
        stamp = timezone.make_aware(datetime.combine(on, time(10, 0))) + timedelta(minutes=self.signals)
        for match in result.matches:
            # A match is as old as the registration that made it.
            Match.objects.filter(pk=match.pk, created_at__gt=stamp).update(created_at=stamp)
        return result.signal

    def _match(self, signal: Signal) -> Match:
        return Match.objects.filter(participants__signal=signal).latest("pk")

    def _after(self, match: Match, user: User, days_after: int, action: str, **kwargs: Any) -> None:
        match = Match.objects.get(pk=match.pk)
        actor = _actor(user)
        if action == "contact":
            services.match_record_contact(actor=actor, match=match)
        elif action == "afgestemd":
            services.match_record_coordinated(actor=actor, match=match)
        elif action == "coordinator":
            services.match_set_coordinator(actor=actor, match=match, **kwargs)
        stamp = match.created_at + timedelta(days=days_after, hours=2)
        plain: models.QuerySet[MatchEvent] = models.QuerySet(model=MatchEvent)
        last = plain.filter(match=match).order_by("-pk").first()
        if last is not None:
            plain.filter(pk=last.pk).update(created_at=stamp)
        changes: dict[str, Any] = {}
        fresh = Match.objects.get(pk=match.pk)
        if fresh.contact_at is not None and fresh.contact_at > stamp:
            changes["contact_at"] = stamp
        if fresh.coordinated_at is not None and fresh.coordinated_at > stamp:
            changes["coordinated_at"] = stamp
        if changes:
            Match.objects.filter(pk=match.pk).update(**changes)

    def build(self, municipality: Municipality) -> dict[str, int]:
        IndexSettings.objects.update_or_create(
            municipality=municipality,
            defaults={
                "active_months": 24,
                "criteria_text": CRITERIA_TEXT,
                "criteria_items": CRITERIA_ITEMS,
                "registering_types": [str(t) for t in services.DEFAULT_REGISTERING_TYPES],
                "coordinator_preference": [str(t) for t in services.DEFAULT_COORDINATOR_PREFERENCE],
                "coordinator_excluded": [str(t) for t in services.DEFAULT_COORDINATOR_EXCLUDED],
                "contact_deadline_workdays": 10,
            },
        )
        Regievoerder.objects.get_or_create(municipality=municipality, user=User.objects.get(username=REGIEVOERDER))
        prof = User.objects.get(username="demo-professional")
        collega = User.objects.get(username="demo-collega")
        jgz = self._member("GGD Lindeveld Jeugdgezondheidszorg")
        jgz2 = self._member("GGD Lindeveld Jeugdgezondheidszorg", skip=1)
        school_ak = self._member("Basisschool De Regenboog")
        college = self._member("Lindeveld College")
        opvang_mw = self._member("Kinderopvang Kleine Beer")
        wijk_ak = self._member("Wijkteam De Akkers")
        huisarts = self._member("Huisartsenpraktijk Molenwijk")
        politie = self._member("Politie Basisteam Lindeveld")
        jeugdhulp = self._member("Jeugdhulp De Brug")
        ggz = self._member("Jeugd-GGZ Lindeveld")

        # 1. Client match, contact made and the wijkteam confirmed as coordinator.
        milan = self._child("Milan", "de Graaf", 7)
        first = self._register(jgz, milan, 60, ["c", "k"])
        mine = self._register(prof, milan, 55, ["a", "k"])
        match = self._match(mine)
        self._after(match, prof, 2, "contact")
        self._after(match, jgz, 3, "coordinator", signal_id=mine.pk)
        del first

        # 2. Client match without contact, past the deadline (school, JGZ and demo-professional).
        sara = self._child("Sara", "Yilmaz", 9)
        self._register(school_ak, sara, 40, ["e", "c"])
        self._register(jgz2, sara, 35, ["c"])
        self._register(prof, sara, 30, ["k"])

        # 3. Family match across wijken: two children of one mother, in De Akkers and the Molenwijk.
        mother = self._bsn()
        daan = self._child("Daan", "Kramer", 10, parents=(mother,))
        lina = self._child("Lina", "Kramer", 3, parents=(mother,))
        self._register(wijk_ak, daan, 12, ["c", "k"])
        self._register(opvang_mw, lina, 6, ["a"])

        # 4. Client match with coordinated help (police and general practitioner, youth help coordinates).
        jesse = self._child("Jesse", "van Dijk", 16)
        self._register(politie, jesse, 90, ["j", "i"])
        self._register(huisarts, jesse, 80, ["b"])
        signal = self._register(jeugdhulp, jesse, 75, ["b", "j"])
        match = self._match(signal)
        self._after(match, jeugdhulp, 4, "contact")
        self._after(match, jeugdhulp, 10, "afgestemd")

        # 5. A fresh client match of demo-collega and GGZ, still within the contact period.
        noah = self._child("Noah", "Bakker", 14)
        self._register(ggz, noah, 5, ["b"])
        self._register(collega, noah, 2, ["b", "c"])

        # 6. A signal of demo-professional with a postponed notice (no match yet).
        eva = self._child("Eva", "Smit", 13)
        self._register(
            prof,
            eva,
            20,
            ["a"],
            notice_postponed=True,
            postpone_motivation="Eerst de veiligheid van moeder regelen; daarna informeren we samen met Veilig Thuis.",
        )

        # 7. History: the college withdrew an earlier signal; demo-professional registered again since.
        lucas = self._child("Lucas", "Visser", 17)
        old = self._register(college, lucas, 300, ["e"])
        services.signal_withdraw(actor=_actor(college), signal_id=old.pk, today=self.today - timedelta(days=200))
        self._register(prof, lucas, 15, ["e", "f"])

        return {
            "signals": Signal.objects.filter(municipality=municipality).count(),
            "matches": Match.objects.filter(participants__municipality=municipality).distinct().count(),
        }


def seed_verwijsindex_demo(*, rng: random.Random, now: datetime) -> dict[str, int]:
    municipality = Organisation.objects.get(name="Gemeente Lindeveld").municipality
    return VerwijsindexDemo(rng=rng, now=now).build(municipality)


def mark_regievoerder(logins: list[DemoLogin]) -> list[DemoLogin]:
    """Name the regievoerder role in the printed table of demo logins."""
    return [
        replace(x, role_label=f"{x.role_label} + regievoerder verwijsindex") if x.username == REGIEVOERDER else x
        for x in logins
    ]
