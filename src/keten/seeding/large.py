"""The ``large`` profile: Gemeente Amstelmere, a fictional city the size of Amsterdam.

At ``--scale 1``: 22 wijken, about 350 organisations of every type, about 2,000 professionals,
100,000 families (150,000 minors, 1–3 children and 1–2 parents each), one dossier per family opened
over the past five years (most closed again), case teams of 2–4 professionals from mixed
organisations, notes, and 1,000,000 hash-chained audit events spread over organisations, actors,
actions and time. Two fixed accounts exist for the benchmarks (``make bench``):

* ``bench-professional`` is on exactly 50 case teams;
* ``bench-aandachtsfunctionaris`` works in the organisation with the most audit events.

Everything is written with bulk inserts in batches, with a fixed random seed. Client fields are
encrypted per value on insert, as on every save (a small pool of fake names is reused, so the same
plaintext name occurs many times, each with its own ciphertext). No history rows
(django-simple-history) are written for bulk-seeded records.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from keten.accounts.models import (
    CASE_ROLES,
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
    Role,
    Team,
    User,
    Wijk,
)
from keten.core.crypto import bsn_index, name_birth_index
from keten.core.models import AuditAction
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier, DossierNote, Family, Person, Relation
from keten.seeding.accounts import give_demo_devices
from keten.seeding.common import (
    BATCH_SIZE,
    DEMO_PASSWORD,
    AuditChainWriter,
    BsnPool,
    SeedError,
    analyze,
    ascii_slug,
    birth_date,
    explicit_timestamps,
    progress,
    pseudonym,
    random_moment,
)
from keten.seeding.demo.data import JOB_TITLES, NOTE_TEXTS, SUMMARIES
from keten.seeding.meldcode_large import seed_meldcode_large
from keten.seeding.network_large import seed_network_large
from keten.seeding.overleg_large import seed_overleg_large

CITY = "Amstelmere"
MUNICIPALITY_NAME = f"Gemeente {CITY}"
MUNICIPALITY_CODE = "GM9980"
WIJK_NAMES = [
    "Centrum-West", "Centrum-Oost", "Westerpark", "Bos en Lommer", "De Baarsjes", "Oud-West", "Zuid",
    "De Pijp", "Rivierenbuurt", "Buitenveldert", "Oost", "Watergraafsmeer", "IJburg", "Noord-West",
    "Noord-Oost", "Oud-Noord", "Nieuw-West", "Slotervaart", "Osdorp", "Geuzenveld", "Zuidoost", "Gaasperdam",
]  # fmt: skip
#: Organisations per type at scale 1 (350 in all) and professionals per organisation of that type.
ORG_PLAN: dict[str, tuple[int, int]] = {
    OrganisationType.WIJKTEAM: (22, 30),
    OrganisationType.JGZ: (12, 18),
    OrganisationType.ONDERWIJS: (150, 3),
    OrganisationType.KINDEROPVANG: (60, 2),
    OrganisationType.HUISARTS: (50, 2),
    OrganisationType.VEILIG_THUIS: (1, 80),
    OrganisationType.POLITIE: (8, 10),
    OrganisationType.OM: (1, 8),
    OrganisationType.RVDK: (1, 20),
    OrganisationType.GI: (3, 30),
    OrganisationType.JEUGDHULP: (15, 10),
    OrganisationType.GGZ: (6, 8),
    OrganisationType.VERSLAVINGSZORG: (2, 6),
    OrganisationType.SCHULDHULP: (3, 5),
    OrganisationType.WELZIJN: (8, 5),
    OrganisationType.GEMEENTE: (1, 15),
    OrganisationType.SPORT: (5, 2),
    OrganisationType.OVERIG: (2, 2),
}
ORG_PREFIX: dict[str, str] = {
    OrganisationType.WIJKTEAM: "Wijkteam",
    OrganisationType.JGZ: "JGZ-locatie",
    OrganisationType.ONDERWIJS: "School",
    OrganisationType.KINDEROPVANG: "Kinderopvang",
    OrganisationType.HUISARTS: "Huisartsenpraktijk",
    OrganisationType.VEILIG_THUIS: "Veilig Thuis",
    OrganisationType.POLITIE: "Politie basisteam",
    OrganisationType.OM: "Openbaar Ministerie",
    OrganisationType.RVDK: "Raad voor de Kinderbescherming",
    OrganisationType.GI: "Jeugdbescherming",
    OrganisationType.JEUGDHULP: "Jeugdhulp",
    OrganisationType.GGZ: "Jeugd-GGZ",
    OrganisationType.VERSLAVINGSZORG: "Verslavingszorg",
    OrganisationType.SCHULDHULP: "Schuldhulp",
    OrganisationType.WELZIJN: "Welzijn",
    OrganisationType.GEMEENTE: "Gemeente",
    OrganisationType.SPORT: "Sportvereniging",
    OrganisationType.OVERIG: "Stichting",
}
FAMILIES = 100_000
AUDIT_EVENTS = 1_000_000
HISTORY_YEARS = 5
BENCH_CASE_TEAMS = 50
BENCH_ORG_SHARE = 0.10  # share of all audit events by staff of bench-aandachtsfunctionaris's organisation
BENCH_PROF_SHARE = 0.01  # share of all audit events by bench-professional
# Actions of case roles and their weights; other roles only log in and out (and export figures).
CASE_ACTIONS = [
    (AuditAction.VIEW, 60),
    (AuditAction.UPDATE, 12),
    (AuditAction.CREATE, 8),
    (AuditAction.LOGIN, 10),
    (AuditAction.LOGOUT, 6),
    (AuditAction.LOGIN_FAILED, 1),
    (AuditAction.SHARE, 1),
    (AuditAction.EXPORT, 1),
    (AuditAction.BREAK_GLASS, 1),
]
OBJECT_TYPES = {
    AuditAction.VIEW: ["dossier", "dossier", "dossier", "person", "dossier_list"],
    AuditAction.UPDATE: ["dossier", "person", "case_team"],
    AuditAction.CREATE: ["note", "note", "person", "dossier"],
    AuditAction.SHARE: ["dossier"],
    AuditAction.EXPORT: ["dossier"],
    AuditAction.BREAK_GLASS: ["dossier"],
}


@dataclass
class NamePools:
    """Fake names, streets and postcodes drawn once from Faker (``nl_NL``) and reused."""

    last: list[str]
    female: list[str]
    male: list[str]
    streets: list[str]
    postcodes: list[str]

    @classmethod
    def build(cls, seed: int, size: int = 3000) -> NamePools:
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        return cls(
            last=[fake.last_name() for _n in range(size)],
            female=[fake.first_name_female() for _n in range(size // 2)],
            male=[fake.first_name_male() for _n in range(size // 2)],
            streets=[fake.street_name() for _n in range(size)],
            postcodes=[fake.postcode() for _n in range(size)],
        )


@dataclass
class Staff:
    """A compact view of a seeded professional (no model instances kept around)."""

    user_id: int
    label: str
    organisation_id: int
    role: str
    org_index: int


@dataclass
class FamilyStats:
    families: int = 0
    persons: int = 0
    minors: int = 0
    with_bsn: int = 0
    dossiers: int = 0
    open_dossiers: int = 0
    case_team_members: int = 0
    notes: int = 0
    # dossier index -> (reference, family pseudonym); staff index -> dossier indexes
    dossier_refs: list[tuple[str, str]] = field(default_factory=list)
    staff_dossiers: dict[int, list[int]] = field(default_factory=dict)


class CityBuilder:
    """Builds one municipality: wijken, organisations, staff, families (optionally dossiers)."""

    def __init__(self, *, rng: random.Random, pools: NamePools, now: datetime, show_progress: bool) -> None:
        self.rng = rng
        self.pools = pools
        self.now = now
        self.today = timezone.localdate(now)
        self.history_start = now - timedelta(days=365 * HISTORY_YEARS)
        self.show_progress = show_progress
        self.pseudonyms: set[str] = set()
        self.bsns = BsnPool(rng)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.staff: list[Staff] = []
        self.orgs: list[Organisation] = []

    # -- organisations and staff -----------------------------------------------------------
    def municipality(self, name: str, code: str, wijk_names: Sequence[str]) -> list[Wijk]:
        municipality = Municipality.objects.create(name=name, cbs_code=code)
        self.municipality_obj = municipality
        wijken = Wijk.objects.bulk_create(
            [Wijk(municipality=municipality, name=w, code=f"W{i + 1:02d}") for i, w in enumerate(wijk_names)]
        )
        self.wijken = wijken
        return wijken

    def organisations(self, plan: dict[str, tuple[int, int]], scale: float) -> None:
        """Organisations and teams; wijkteams one per wijk (4 teams each), the rest spread over wijken."""
        specs: list[tuple[str, str, int, Wijk | None]] = []
        for org_type, (count, size) in plan.items():
            n = len(self.wijken) if org_type == OrganisationType.WIJKTEAM else max(1, round(count * scale))
            for i in range(n):
                wijk = self.wijken[i % len(self.wijken)]
                if org_type == OrganisationType.WIJKTEAM:
                    name = f"Wijkteam {wijk.name}"
                elif n == 1:
                    name = (
                        f"{ORG_PREFIX[org_type]} {CITY}"
                        if org_type != OrganisationType.GEMEENTE
                        else self.municipality_obj.name
                    )
                else:
                    name = f"{ORG_PREFIX[org_type]} {self.rng.choice(self.pools.streets)} {i + 1}"
                specs.append((name, org_type, size, wijk if n > 1 else None))
        orgs = [
            Organisation(
                name=name,
                type=org_type,
                municipality=self.municipality_obj,
                phone=f"020-{self.rng.randint(1000000, 9999999)}",
                email=f"info@{ascii_slug(name)[:40]}.example",
                created_at=self.history_start - timedelta(days=self.rng.randint(0, 3650)),
            )
            for name, org_type, _size, _wijk in specs
        ]
        self.orgs = Organisation.objects.bulk_create(orgs)
        through = Organisation.wijken.through
        links = []
        for org, (_name, _type, _size, served) in zip(self.orgs, specs, strict=True):
            for w in [served] if served else self.wijken:
                links.append(through(organisation_id=org.pk, wijk_id=w.pk))
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        teams = []
        for org, (_name, org_type, _size, team_wijk) in zip(self.orgs, specs, strict=True):
            names = (
                ["Jeugd 0-12", "Jeugd 12-18", "Gezin", "Volwassenen"]
                if org_type == OrganisationType.WIJKTEAM
                else ["Team"]
            )
            teams += [Team(organisation=org, name=t, wijk=team_wijk) for t in names]
        created_teams = Team.objects.bulk_create(teams)
        self.teams: dict[int, list[Team]] = {}
        for team in created_teams:
            self.teams.setdefault(team.organisation_id, []).append(team)
        self.org_sizes = [
            max(1, round(size * (scale if org_type != OrganisationType.WIJKTEAM else max(scale, 0.05))))
            for _n, org_type, size, _w in specs
        ]
        self.wijkteam_of_wijk = {
            spec[3].pk: i
            for i, spec in enumerate(specs)
            if spec[1] == OrganisationType.WIJKTEAM and spec[3] is not None
        }

    def staff_members(self, fixed: Sequence[tuple[str, str, str, int, str]] = ()) -> None:
        """Professionals for every organisation; ``fixed`` = (username, first, last, org index, role)."""
        total = sum(self.org_sizes)
        bar = progress(total=total + len(fixed), desc=_("medewerkers"), enabled=self.show_progress)
        users: list[User] = []
        roles: list[tuple[int, str, int]] = []  # (org index, role, team index)
        joined_from = self.history_start - timedelta(days=365)
        for username, first, last, org_index, role in fixed:
            users.append(self._user(username, first, last, "Bench-account", joined_from))
            roles.append((org_index, role, 0))
        for org_index, (org, size) in enumerate(zip(self.orgs, self.org_sizes, strict=True)):
            for i in range(size):
                role = self._role(org.type, i, size)
                first = self.rng.choice(self.pools.female if self.rng.random() < 0.7 else self.pools.male)
                last = self.rng.choice(self.pools.last)
                base = (ascii_slug(first)[:1] + ascii_slug(last))[:20]
                username = f"{base}-{len(self.staff) + len(users):05d}"
                title = (
                    JOB_TITLES.get(org.type, "Professional")
                    if role in (Role.PROFESSIONAL, Role.VEILIG_THUIS)
                    else str(Role(role).label)
                )
                users.append(self._user(username, first, last, title, joined_from))
                roles.append((org_index, role, i))
        created = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        memberships = []
        for user, (org_index, role, i) in zip(created, roles, strict=True):
            org = self.orgs[org_index]
            teams = self.teams.get(org.pk, [])
            memberships.append(
                Membership(
                    user=user,
                    organisation=org,
                    team=teams[i % len(teams)] if teams else None,
                    role=role,
                    created_at=user.date_joined,
                )
            )
            self.staff.append(Staff(user.pk, f"{user.first_name} {user.last_name}", org.pk, role, org_index))
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        fixed_names = {f[0] for f in fixed}
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user=u, name="default", key=f"{self.rng.getrandbits(160):040x}", confirmed=True)
                for u in created
                if u.username not in fixed_names
            ],
            batch_size=BATCH_SIZE,
        )
        for user in created:
            if user.username in fixed_names:
                give_demo_devices(user)
        bar.update(len(created))
        bar.close()
        self.users_by_name = {u.username: i for i, u in enumerate(created)}

    def _user(self, username: str, first: str, last: str, title: str, joined_from: datetime) -> User:
        return User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{ascii_slug(CITY)}.example",
            job_title=title,
            password=self.password_hash,
            date_joined=random_moment(self.rng, joined_from, self.now - timedelta(days=30)),
        )

    @staticmethod
    def _role(org_type: str, i: int, size: int) -> str:
        if org_type == OrganisationType.GEMEENTE:
            return Role.FUNCTIONEEL_BEHEERDER if i % 3 == 2 else Role.BELEIDSMEDEWERKER
        if i == 0 and size >= 3:
            return Role.AANDACHTSFUNCTIONARIS
        if size >= 8 and i % 12 == 1:
            return Role.TEAMLEIDER
        return Role.VEILIG_THUIS if org_type == OrganisationType.VEILIG_THUIS else Role.PROFESSIONAL

    # -- families, dossiers and case teams ----------------------------------------------------
    def families(
        self,
        n_families: int,
        *,
        with_dossiers: bool,
        pinned: dict[int, int] | None = None,
        exclude_from_pools: set[int] | None = None,
        desc: str = "",
    ) -> FamilyStats:
        """Create ``n_families`` families with persons (and a dossier + case team + notes each).

        ``pinned`` maps family index -> staff index that must be on that family's case team.
        """
        stats = FamilyStats()
        pinned = pinned or {}
        exclude = exclude_from_pools or set()
        case_staff = [i for i, s in enumerate(self.staff) if s.role in CASE_ROLES and i not in exclude]
        by_org: dict[int, list[int]] = {}
        for i in case_staff:
            by_org.setdefault(self.staff[i].org_index, []).append(i)
        bar = progress(total=n_families, desc=desc or _("gezinnen en dossiers"), enabled=self.show_progress)
        for start in range(0, n_families, BATCH_SIZE):
            count = min(BATCH_SIZE, n_families - start)
            with transaction.atomic():
                self._family_batch(start, count, stats, with_dossiers, pinned, case_staff, by_org)
            bar.update(count)
        bar.close()
        return stats

    def _family_batch(
        self,
        start: int,
        count: int,
        stats: FamilyStats,
        with_dossiers: bool,
        pinned: dict[int, int],
        case_staff: list[int],
        by_org: dict[int, list[int]],
    ) -> None:
        rng = self.rng
        pools = self.pools
        families: list[Family] = []
        surnames: list[str] = []
        opened: list[datetime] = []
        for _i in range(count):
            last = rng.choice(pools.last)
            when = random_moment(rng, self.history_start, self.now - timedelta(days=1))
            families.append(
                Family(
                    pseudonym=pseudonym(rng, "G", self.pseudonyms),
                    municipality=self.municipality_obj,
                    name=f"Gezin {last}",
                    address=f"{rng.choice(pools.streets)} {rng.randint(1, 300)}, {rng.choice(pools.postcodes)} {CITY}",
                    wijk=rng.choice(self.wijken),
                    is_test=True,
                    created_at=when,
                )
            )
            surnames.append(last)
            opened.append(when)
        Family.objects.bulk_create(families)
        persons: list[Person] = []
        sizes: list[int] = []
        for family, last, when in zip(families, surnames, opened, strict=True):
            n_children = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            n_parents = rng.choice((1, 2))
            for p in range(n_parents):
                first = rng.choice(pools.female if p == 0 else pools.male)
                surname = last if p == 0 or rng.random() < 0.6 else rng.choice(pools.last)
                persons.append(
                    self._person(family, Relation.OUDER, first, surname, birth_date(rng, self.today, 22, 55), when)
                )
            for _c in range(n_children):
                first = rng.choice(pools.female if rng.random() < 0.5 else pools.male)
                persons.append(
                    self._person(family, Relation.KIND, first, last, birth_date(rng, self.today, 0, 17), when)
                )
            sizes.append(n_children + n_parents)
            stats.minors += n_children
        Person.objects.bulk_create(persons)
        stats.families += count
        stats.persons += len(persons)
        if not with_dossiers:
            return
        dossiers: list[Dossier] = []
        teams: list[list[tuple[int, str, datetime]]] = []
        for offset, (family, when) in enumerate(zip(families, opened, strict=True)):
            index = start + offset
            duration = timedelta(days=rng.expovariate(1 / 365))
            closed_at = when + duration if when + duration < self.now else None
            end = closed_at or self.now
            team = self._case_team(family, when, end, pinned.get(index), case_staff, by_org)
            updated = random_moment(rng, max(t for _s, _r, t in team), end) if closed_at is None else closed_at
            dossiers.append(
                Dossier(
                    family=family,
                    reference=pseudonym(rng, "D", self.pseudonyms),
                    status=Dossier.Status.CLOSED if closed_at else Dossier.Status.OPEN,
                    summary=rng.choice(SUMMARIES) if rng.random() < 0.5 else None,
                    coordinator_id=self.staff[team[0][0]].user_id,
                    opened_at=when,
                    updated_at=updated,
                    closed_at=closed_at,
                )
            )
            teams.append(team)
            stats.open_dossiers += closed_at is None
        Dossier.objects.bulk_create(dossiers)
        members: list[CaseTeamMember] = []
        notes: list[DossierNote] = []
        for dossier, team in zip(dossiers, teams, strict=True):
            dossier_index = len(stats.dossier_refs)
            stats.dossier_refs.append((dossier.reference, dossier.family.pseudonym))
            lead_user = self.staff[team[0][0]].user_id
            for staff_index, case_role, added in team:
                s = self.staff[staff_index]
                members.append(
                    CaseTeamMember(
                        dossier=dossier,
                        user_id=s.user_id,
                        organisation_id=s.organisation_id,
                        case_role=case_role,
                        added_at=added,
                        added_by_id=lead_user,
                    )
                )
                stats.staff_dossiers.setdefault(staff_index, []).append(dossier_index)
            if rng.random() < 0.5:
                author = self.staff[rng.choice(team)[0]].user_id
                notes.append(
                    DossierNote(
                        dossier=dossier,
                        author_id=author,
                        text=rng.choice(NOTE_TEXTS),
                        created_at=random_moment(rng, dossier.opened_at, dossier.updated_at),
                    )
                )
        CaseTeamMember.objects.bulk_create(members)
        DossierNote.objects.bulk_create(notes)
        stats.dossiers += len(dossiers)
        stats.case_team_members += len(members)
        stats.notes += len(notes)

    def _case_team(
        self,
        family: Family,
        opened: datetime,
        end: datetime,
        pinned: int | None,
        case_staff: list[int],
        by_org: dict[int, list[int]],
    ) -> list[tuple[int, str, datetime]]:
        rng = self.rng
        wijkteam = self.wijkteam_of_wijk.get(family.wijk_id) if family.wijk_id else None
        local = by_org.get(wijkteam, []) if wijkteam is not None else []
        lead = rng.choice(local) if local else rng.choice(case_staff)
        team: list[tuple[int, str, datetime]] = [(lead, CaseRole.REGIEVOERDER, opened)]
        taken = {lead}
        if pinned is not None:
            team.append(
                (pinned, CaseRole.HULPVERLENER, random_moment(rng, opened, min(end, opened + timedelta(days=30))))
            )
            taken.add(pinned)
        for _n in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
            other = rng.choice(case_staff)
            if other in taken:
                continue
            taken.add(other)
            role = (
                CaseRole.VEILIG_THUIS
                if self.staff[other].role == Role.VEILIG_THUIS
                else rng.choice((CaseRole.HULPVERLENER, CaseRole.SIGNALEERDER, CaseRole.CONSULENT))
            )
            team.append((other, role, random_moment(rng, opened, min(end, opened + timedelta(days=90)))))
        return team

    def _person(self, family: Family, relation: str, first: str, last: str, born: Any, when: datetime) -> Person:
        bsn = self.bsns.take() or ""
        return Person(
            family=family,
            municipality_id=family.municipality_id,
            pseudonym=pseudonym(self.rng, "P", self.pseudonyms),
            relation=relation,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            bsn=bsn or None,
            bsn_index=bsn_index(bsn) if bsn else None,
            name_birth_index=name_birth_index(first, last, born),
            is_test=True,
            created_at=when,
        )

    # -- audit history ---------------------------------------------------------------------------
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


BENCH_ACCOUNTS = ("bench-professional", "bench-aandachtsfunctionaris")


def seed_large(*, seed: int = 2026, scale: float = 1.0, progress: bool = True) -> dict[str, int]:
    """Create Gemeente Amstelmere. The database must not hold it yet (use ``seed --reset``)."""
    if Municipality.objects.filter(cbs_code=MUNICIPALITY_CODE).exists():
        raise SeedError(_("Deze database bevat het profiel large al. Gebruik --reset om opnieuw te beginnen."))
    if User.objects.filter(username__in=BENCH_ACCOUNTS).exists():
        raise SeedError(_("De benchmarkaccounts bestaan al in deze database. Gebruik --reset."))
    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not security)
    now = timezone.now()
    builder = CityBuilder(rng=rng, pools=NamePools.build(seed), now=now, show_progress=progress)
    with explicit_timestamps(Organisation, Membership, Family, Person, Dossier, CaseTeamMember, DossierNote):
        with transaction.atomic():
            builder.municipality(MUNICIPALITY_NAME, MUNICIPALITY_CODE, WIJK_NAMES)
            builder.organisations(ORG_PLAN, scale)
            # The benchmark accounts work in the first wijkteam, the organisation with the most events.
            heavy_org = 0
            builder.staff_members(
                fixed=[
                    ("bench-professional", "Bente", "Bench", heavy_org, Role.PROFESSIONAL),
                    ("bench-aandachtsfunctionaris", "Anton", "Bench", heavy_org, Role.AANDACHTSFUNCTIONARIS),
                ]
            )
            network = seed_network_large(
                orgs=builder.orgs,
                wijken=builder.wijken,
                rng=random.Random(seed + 1),  # noqa: S311 (reproducible fake data)
                now=now,
                scale=scale,
            )
        bench_prof = 0  # staff index of bench-professional (fixed accounts come first)
        n_families = max(BENCH_CASE_TEAMS, round(FAMILIES * scale))
        pinned = dict.fromkeys(rng.sample(range(n_families), BENCH_CASE_TEAMS), bench_prof)
        stats = builder.families(n_families, with_dossiers=True, pinned=pinned, exclude_from_pools={0, 1})
        events = builder.audit_history(
            max(1000, round(AUDIT_EVENTS * scale)), stats, heavy_org=heavy_org, heavy_staff=bench_prof
        )
        with transaction.atomic():
            meldcode = seed_meldcode_large(
                rng=random.Random(seed + 2),  # noqa: S311 (reproducible fake data)
                now=now,
                scale=scale,
                show_progress=progress,
            )
            meldcode.update(seed_overleg_large(seed=seed + 3, now=now, scale=scale, show_progress=progress))
    analyze()
    return {
        "organisations": len(builder.orgs),
        "professionals": len(builder.staff),
        "families": stats.families,
        "persons": stats.persons,
        "minors": stats.minors,
        "persons_with_test_bsn": builder.bsns.used,
        "dossiers": stats.dossiers,
        "open_dossiers": stats.open_dossiers,
        "case_team_members": stats.case_team_members,
        "notes": stats.notes,
        "audit_events": events,
        "sociale_kaart_entries": network["entries"],
        "postcode_ranges": network["postcode_ranges"],
        "agreements": network["agreements"],
        **meldcode,
    }
