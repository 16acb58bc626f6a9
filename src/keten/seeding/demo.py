"""The ``demo`` profile: Gemeente Lindeveld, a small fictional municipality with every kind of partner.

Five wijken, an organisation of every :class:`~keten.accounts.models.OrganisationType`, about 150
professionals in every role, fixed demo logins (one per role), fifty fictional families (Faker
``nl_NL`` with a fixed seed) with dossiers in varied states, case teams that mix organisations,
notes, a break-the-glass event, notifications and a hash-chained audit history, so that every
role's dashboard has something to show on first login.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from simple_history.utils import bulk_create_with_history

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
from keten.dossiers.models import (
    BreakGlassAccess,
    CaseRole,
    CaseTeamMember,
    Dossier,
    DossierNote,
    Family,
    Person,
    Relation,
)
from keten.notifications.models import Notification
from keten.seeding.accounts import DemoLogin, base32_key, give_demo_devices
from keten.seeding.common import (
    DEMO_PASSWORD,
    AuditChainWriter,
    BsnPool,
    SeedError,
    ascii_slug,
    birth_date,
    explicit_timestamps,
    pseudonym,
    random_moment,
)
from keten.seeding.meldcode_demo import seed_meldcode_demo
from keten.seeding.network_demo import seed_network_demo
from keten.seeding.overleg_demo import seed_overleg_demo
from keten.seeding.sharing_demo import seed_sharing_demo
from keten.seeding.verwijsindex_demo import mark_regievoerder, seed_verwijsindex_demo

MUNICIPALITY_NAME = "Gemeente Lindeveld"
MUNICIPALITY_CODE = "GM9990"
PLACE = "Lindeveld"
WIJKEN = [
    ("LC", "Lindeveld-Centrum"),
    ("AK", "De Akkers"),
    ("HK", "Havenkwartier"),
    ("OL", "Oud-Lindeveld"),
    ("MW", "Molenwijk"),
]
FAMILIES_PER_WIJK = {"LC": 14, "AK": 9, "HK": 9, "OL": 9, "MW": 9}


@dataclass(frozen=True)
class OrgSpec:
    name: str
    type: str
    size: int
    teams: tuple[str, ...] = ()
    wijk: str = ""  # code of the one wijk it serves; empty = all


def _org_specs() -> list[OrgSpec]:
    specs = [
        OrgSpec(MUNICIPALITY_NAME, OrganisationType.GEMEENTE, 6, ("Beleid jeugd en veiligheid", "Functioneel beheer"))
    ]
    specs += [
        OrgSpec(f"Wijkteam {name}", OrganisationType.WIJKTEAM, 10, (f"Team Jeugd en Gezin {name}",), code)
        for code, name in WIJKEN
    ]
    specs += [
        OrgSpec("GGD Lindeveld Jeugdgezondheidszorg", OrganisationType.JGZ, 10, ("JGZ 0-4 jaar", "JGZ 4-18 jaar")),
        OrgSpec("Basisschool De Regenboog", OrganisationType.ONDERWIJS, 4, ("Zorgteam",), "AK"),
        OrgSpec("Kindcentrum Het Kompas", OrganisationType.ONDERWIJS, 4, ("Zorgteam",), "HK"),
        OrgSpec("Lindeveld College", OrganisationType.ONDERWIJS, 4, ("Zorg- en adviesteam",)),
        OrgSpec("Kinderopvang Kleine Beer", OrganisationType.KINDEROPVANG, 3, ("Locatie Molenwijk",), "MW"),
        OrgSpec("BSO De Speelwei", OrganisationType.KINDEROPVANG, 3, ("Locatie Centrum",), "LC"),
        OrgSpec("Huisartsenpraktijk Molenwijk", OrganisationType.HUISARTS, 3, ("Praktijk",), "MW"),
        OrgSpec("Gezondheidscentrum De Akkers", OrganisationType.HUISARTS, 3, ("Praktijk",), "AK"),
        OrgSpec("Veilig Thuis Regio Lindeveld", OrganisationType.VEILIG_THUIS, 12, ("Advies", "Onderzoek")),
        OrgSpec("Politie Basisteam Lindeveld", OrganisationType.POLITIE, 6, ("Wijkagenten",)),
        OrgSpec("Openbaar Ministerie Arrondissement Lindeveld", OrganisationType.OM, 3, ("Jeugd en zeden",)),
        OrgSpec("Raad voor de Kinderbescherming regio Lindeveld", OrganisationType.RVDK, 4, ("Beschermingsonderzoek",)),
        OrgSpec("Jeugdbescherming Lindeveld", OrganisationType.GI, 8, ("Jeugdbeschermers",)),
        OrgSpec("Jeugdhulp De Brug", OrganisationType.JEUGDHULP, 6, ("Ambulant",)),
        OrgSpec("Ambulante Jeugdhulp Lindeveld", OrganisationType.JEUGDHULP, 6, ("Gezinsbehandeling",)),
        OrgSpec("Jeugd-GGZ Lindeveld", OrganisationType.GGZ, 5, ("Behandelteam",)),
        OrgSpec("Verslavingszorg Lindeveld", OrganisationType.VERSLAVINGSZORG, 3, ("Ambulant",)),
        OrgSpec("Schuldhulp Lindeveld", OrganisationType.SCHULDHULP, 3, ("Budgetcoaching",)),
        OrgSpec("Welzijn Lindeveld", OrganisationType.WELZIJN, 4, ("Maatschappelijk werk",)),
        OrgSpec("Sportvereniging SV Lindeveld", OrganisationType.SPORT, 2, ("Jeugdbestuur",)),
        OrgSpec("Stichting Buurtvaders Lindeveld", OrganisationType.OVERIG, 2, ("Vrijwilligers",)),
    ]
    return specs


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    job_title: str
    organisation: str
    role: str
    team: bool = True
    superuser: bool = False
    #: Made after the families are drawn, so that adding the account changes no other demo data.
    added_late: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "demo-professional",
        "Sanne",
        "Bakker",
        "Jeugd- en gezinswerker",
        "Wijkteam Lindeveld-Centrum",
        Role.PROFESSIONAL,
    ),
    DemoAccount(
        "demo-aandachtsfunctionaris",
        "Yasmina",
        "El Idrissi",
        "Aandachtsfunctionaris huiselijk geweld en kindermishandeling",
        "Wijkteam Lindeveld-Centrum",
        Role.AANDACHTSFUNCTIONARIS,
        team=False,
    ),
    DemoAccount("demo-teamleider", "Marco", "Visser", "Teamleider", "Wijkteam Lindeveld-Centrum", Role.TEAMLEIDER),
    DemoAccount(
        "demo-collega", "Lotte", "Jansen", "Jeugd- en gezinswerker", "Wijkteam Lindeveld-Centrum", Role.PROFESSIONAL
    ),
    DemoAccount(
        "demo-veiligthuis", "Peter", "Hoekstra", "Medewerker advies", "Veilig Thuis Regio Lindeveld", Role.VEILIG_THUIS
    ),
    DemoAccount(
        "demo-beleid",
        "Fatma",
        "Yilmaz",
        "Beleidsmedewerker jeugd en veiligheid",
        MUNICIPALITY_NAME,
        Role.BELEIDSMEDEWERKER,
    ),
    DemoAccount(
        "demo-beheerder", "Kees", "de Boer", "Functioneel beheerder", MUNICIPALITY_NAME, Role.FUNCTIONEEL_BEHEERDER
    ),
    DemoAccount(
        "demo-privacy",
        "Ingrid",
        "Mulder",
        "Privacy officer",
        MUNICIPALITY_NAME,
        Role.PRIVACY_OFFICER,
        team=False,
        added_late=True,
    ),
    DemoAccount(
        "demo-superuser",
        "Technisch",
        "Beheer",
        "Technisch beheerder",
        MUNICIPALITY_NAME,
        Role.FUNCTIONEEL_BEHEERDER,
        team=False,
        superuser=True,
    ),
]

NOTE_TEXTS = [
    "Huisbezoek afgelegd. Moeder vertelt dat de spanningen thuis zijn toegenomen sinds het verlies van haar baan.",
    "Overleg met de intern begeleider: het kind komt vaak te laat en oogt vermoeid. "
    "Afgesproken om over twee weken opnieuw te kijken.",
    "Gesprek met beide ouders gevoerd over de zorgen. Ouders staan open voor opvoedondersteuning.",
    "Advies gevraagd aan Veilig Thuis. Advies: in gesprek blijven met het gezin en een veiligheidsplan opstellen.",
    "Veiligheidsplan besproken en ondertekend door beide ouders. Evaluatie over zes weken.",
    "Jeugdarts heeft het kind gezien; groei en ontwikkeling in orde, wel blauwe plekken op de bovenarm gezien "
    "en besproken met moeder.",
    "Telefonisch contact met de huisarts: vader is aangemeld bij de verslavingszorg.",
    "Schuldhulp is gestart; het gezin heeft een budgetcoach gekregen.",
    "Casusoverleg gehouden met school, JGZ en wijkteam. Afspraken vastgelegd; regievoerder blijft het wijkteam.",
    "Kind vertelt op school dat het bang is voor de ruzies thuis. "
    "Aandachtsfunctionaris geraadpleegd volgens de meldcode.",
    "Evaluatie: de situatie is stabiel, ouders houden zich aan de afspraken. "
    "Voorstel om het dossier over een maand te sluiten.",
    "Melding van de politie ontvangen na een huiselijk-geweldincident. Contact opgenomen met moeder.",
]
SUMMARIES = [
    "Zorgen over de veiligheid van de kinderen na signalen van school en JGZ.",
    "Ouders hebben ondersteuning nodig bij de opvoeding; schulden en stress spelen mee.",
    "Signalen van huiselijk geweld; veiligheidsplan loopt.",
    "Kind met gedragsproblemen op school; onderzoek naar de thuissituatie.",
    "Zorgen over verwaarlozing van het jongste kind.",
]


@dataclass
class _Member:
    user: User
    membership: Membership

    @property
    def label(self) -> str:
        return self.user.get_full_name() or self.user.username


@dataclass
class DemoResult:
    logins: list[DemoLogin]
    counts: dict[str, int] = field(default_factory=dict)


def seed_demo(*, seed: int = 2026, progress: bool = True, now: datetime | None = None) -> DemoResult:
    """Create Gemeente Lindeveld. The database must not hold it yet (use ``seed --reset``)."""
    if Municipality.objects.filter(cbs_code=MUNICIPALITY_CODE).exists():
        raise SeedError(_("De demogemeente bestaat al in deze database. Gebruik --reset om opnieuw te beginnen."))
    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not security)
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    now = now or timezone.now()
    with transaction.atomic():
        with explicit_timestamps(
            Organisation, Membership, Family, Person, Dossier, CaseTeamMember, DossierNote, Notification
        ):
            result = _DemoBuilder(rng, fake, now).build()
        # Meldcode-trajecten go through the services (with their own timestamps and audit events).
        meldcode = seed_meldcode_demo(rng=rng, now=now)
        result.counts["meldcode_trajecten"] = sum(meldcode.values())
        verwijsindex = seed_verwijsindex_demo(rng=rng, now=now)
        result.counts["verwijsindex_signalen"] = verwijsindex["signals"]
        result.counts["verwijsindex_matches"] = verwijsindex["matches"]
        sharing = seed_sharing_demo(now=now)
        result.counts["verstrekkingen"] = sharing["disclosures"]
        result.counts.update({f"overleg_{k}": v for k, v in seed_overleg_demo(rng=rng, now=now).items()})
        result.logins = mark_regievoerder(result.logins)
        return result


class _DemoBuilder:
    def __init__(self, rng: random.Random, fake: Faker, now: datetime) -> None:
        self.rng = rng
        self.fake = fake
        self.now = now
        self.today = timezone.localdate(now)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.audit = AuditChainWriter()
        self.audit_rows: list[dict[str, Any]] = []
        self.pseudonyms: set[str] = set()
        self.usernames: set[str] = set()
        self.bsns = BsnPool(rng)
        self.staff_users: list[User] = []

    # -- organisations and people -------------------------------------------------------------
    def build(self) -> DemoResult:
        municipality = Municipality.objects.create(name=PLACE, cbs_code=MUNICIPALITY_CODE)
        self.municipality = municipality
        self.wijken = {
            code: Wijk.objects.create(municipality=municipality, name=name, code=code) for code, name in WIJKEN
        }
        self.orgs: dict[str, Organisation] = {}
        self.teams: dict[str, list[Team]] = {}
        self.members: dict[str, list[_Member]] = {}
        specs = _org_specs()
        founded = self.now - timedelta(days=3 * 365)
        for spec in specs:
            org = Organisation.objects.create(
                name=spec.name,
                type=spec.type,
                municipality=municipality,
                phone=f"0{self.rng.randint(100, 999)}-{self.rng.randint(100000, 999999)}",
                email=f"info@{ascii_slug(spec.name)[:40]}.example",
                created_at=founded,
            )
            org.wijken.set([self.wijken[spec.wijk]] if spec.wijk else list(self.wijken.values()))
            wijk = self.wijken.get(spec.wijk)
            self.orgs[spec.name] = org
            self.teams[spec.name] = [Team.objects.create(organisation=org, name=t, wijk=wijk) for t in spec.teams]
            self.members[spec.name] = []
        self.demo: dict[str, _Member] = {}
        for account in DEMO_ACCOUNTS:
            if not account.added_late:
                self.demo[account.username] = self._make_demo_account(account)
        for spec in specs:
            self._staff(spec)
        # Everyone has two-factor authentication; only the demo logins have a known (public) key.
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(user=u, name="default", key=f"{self.rng.getrandbits(160):040x}", confirmed=True)
                for u in self.staff_users
            ]
        )
        self.network = seed_network_demo(orgs=self.orgs, wijken=self.wijken, rng=self.rng, now=self.now)
        self._families()
        self._break_glass()
        self._notifications()
        for account in DEMO_ACCOUNTS:
            if account.added_late:
                self.demo[account.username] = self._make_demo_account(account)
        self._logins()
        for row in sorted(self.audit_rows, key=lambda r: r["occurred_at"]):
            self.audit.add(**row)
        self.audit.flush()
        return DemoResult(logins=self._logins_table(), counts=self._counts())

    def _user(self, username: str, first: str, last: str, job: str, **extra: Any) -> User:
        self.usernames.add(username)
        return User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@lindeveld.example",
            job_title=job,
            password=self.password_hash,
            date_joined=self.now - timedelta(days=self.rng.randint(60, 900)),
            **extra,
        )

    def _membership(self, user: User, org_name: str, role: str, *, team: Team | None) -> _Member:
        membership = Membership.objects.create(
            user=user, organisation=self.orgs[org_name], team=team, role=role, created_at=user.date_joined
        )
        member = _Member(user, membership)
        self.members[org_name].append(member)
        return member

    def _make_demo_account(self, account: DemoAccount) -> _Member:
        user = self._user(
            account.username,
            account.first_name,
            account.last_name,
            account.job_title,
            is_superuser=account.superuser,
            is_staff=account.superuser,
        )
        teams = self.teams[account.organisation]
        team: Team | None = teams[0] if account.team and teams else None
        if account.role == Role.FUNCTIONEEL_BEHEERDER and account.team:
            team = teams[-1]
        if account.role == Role.BELEIDSMEDEWERKER:
            team = teams[0]
        give_demo_devices(user)
        return self._membership(user, account.organisation, account.role, team=team)

    def _staff(self, spec: OrgSpec) -> None:
        teams = self.teams[spec.name]
        have = len(self.members[spec.name])
        for i in range(have, spec.size):
            team: Team | None
            if spec.type == OrganisationType.GEMEENTE:
                role = Role.FUNCTIONEEL_BEHEERDER if i % 3 == 2 else Role.BELEIDSMEDEWERKER
                team = teams[-1] if role == Role.FUNCTIONEEL_BEHEERDER else teams[0]
            else:
                if i == 0 and spec.size >= 3:
                    role = Role.AANDACHTSFUNCTIONARIS
                elif i == 1 and spec.size >= 5:
                    role = Role.TEAMLEIDER
                elif spec.type == OrganisationType.VEILIG_THUIS:
                    role = Role.VEILIG_THUIS
                else:
                    role = Role.PROFESSIONAL
                team = teams[i % len(teams)] if teams else None
            first = self.fake.first_name()
            last = self.fake.last_name()
            username = f"{ascii_slug(first)[:1]}{ascii_slug(last)}"[:24] + f"-{len(self.usernames):03d}"
            user = self._user(username, first, last, _job_title(spec.type, role))
            self.staff_users.append(user)
            self._membership(user, spec.name, role, team=team)

    # -- families, dossiers, case teams -------------------------------------------------------
    def _case_staff(self, org_name: str, *, exclude: set[int]) -> _Member | None:
        pool = [
            m
            for m in self.members[org_name]
            if m.membership.role in CASE_ROLES and m.user.pk not in exclude and not m.user.username.startswith("demo-")
        ]
        return self.rng.choice(pool) if pool else None

    def _families(self) -> None:
        demo_prof = self.demo["demo-professional"]
        demo_collega = self.demo["demo-collega"]
        demo_vt = self.demo["demo-veiligthuis"]
        demo_af = self.demo["demo-aandachtsfunctionaris"]
        demo_tl = self.demo["demo-teamleider"]
        partner_orgs = [
            name
            for name, org in self.orgs.items()
            if org.type not in {OrganisationType.GEMEENTE, OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS}
        ]
        plan: list[tuple[str, int]] = []
        for code, n in FAMILIES_PER_WIJK.items():
            plan += [(code, i) for i in range(n)]
        families: list[Family] = []
        persons: list[Person] = []
        dossiers: list[Dossier] = []
        teams: list[list[tuple[_Member, str, datetime]]] = []
        family_sizes: list[int] = []
        for index, (code, i) in enumerate(plan):
            wijk = self.wijken[code]
            wijkteam = f"Wijkteam {wijk.name}"
            opened = self.now - timedelta(days=self.rng.randint(5, 720), minutes=self.rng.randint(0, 1440))
            last_name = self.fake.last_name()
            family = Family(
                pseudonym=pseudonym(self.rng, "G", self.pseudonyms),
                municipality=self.municipality,
                name=f"Gezin {last_name}",
                address=f"{self.fake.street_name()} {self.rng.randint(1, 180)}, {self.fake.postcode()} {PLACE}",
                wijk=wijk,
                is_test=True,
                created_at=opened,
            )
            family._history_date = opened  # type: ignore[attr-defined]
            families.append(family)
            members_of_family = self._persons(family, last_name, opened)
            family_sizes.append(len(members_of_family))
            persons += members_of_family
            # Who is on the case team (first = regievoerder), and when they joined.
            on_demo = code == "LC" and i < 12
            if on_demo:
                lead = demo_prof if i < 9 else self._case_staff(wijkteam, exclude={demo_collega.user.pk}) or demo_prof
            elif code == "LC":
                lead = demo_collega
            else:
                lead = self._case_staff(wijkteam, exclude=set()) or demo_prof
            team: list[tuple[_Member, str, datetime]] = [(lead, CaseRole.REGIEVOERDER, opened)]
            taken = {lead.user.pk}
            if on_demo and lead is not demo_prof:
                team.append((demo_prof, CaseRole.HULPVERLENER, opened + timedelta(days=self.rng.randint(1, 20))))
                taken.add(demo_prof.user.pk)
            for org_name in self.rng.sample(partner_orgs, self.rng.randint(1, 3)):
                member = self._case_staff(org_name, exclude=taken)
                if member is not None:
                    role = self.rng.choice([CaseRole.HULPVERLENER, CaseRole.SIGNALEERDER, CaseRole.CONSULENT])
                    team.append((member, role, opened + timedelta(days=self.rng.randint(0, 60))))
                    taken.add(member.user.pk)
            if index % 12 == 3 or (on_demo and i in (2, 5, 8)):
                vt = (
                    demo_vt
                    if (on_demo or index % 24 == 3)
                    else self._case_staff("Veilig Thuis Regio Lindeveld", exclude=taken)
                )
                if vt is not None and vt.user.pk not in taken:
                    team.append((vt, CaseRole.VEILIG_THUIS, opened + timedelta(days=self.rng.randint(1, 30))))
                    taken.add(vt.user.pk)
            if on_demo and i in (4, 10):
                team.append((demo_af, CaseRole.CONSULENT, opened + timedelta(days=self.rng.randint(1, 30))))
            if on_demo and i == 7:
                team.append((demo_tl, CaseRole.CONSULENT, opened + timedelta(days=self.rng.randint(1, 30))))
            team = [(m, r, min(t, self.now - timedelta(hours=1))) for m, r, t in team]
            closed = (on_demo and i in (6, 11)) or (not on_demo and self.rng.random() < 0.22)
            closed_at = (
                random_moment(self.rng, max(t for _m, _r, t in team), self.now - timedelta(hours=2)) if closed else None
            )
            updated = closed_at or random_moment(self.rng, max(t for _m, _r, t in team), self.now - timedelta(hours=1))
            dossier = Dossier(
                family=family,
                reference=pseudonym(self.rng, "D", self.pseudonyms),
                status=Dossier.Status.CLOSED if closed else Dossier.Status.OPEN,
                summary=self.rng.choice(SUMMARIES),
                coordinator=lead.user,
                opened_at=opened,
                updated_at=updated,
                closed_at=closed_at,
            )
            dossier._history_date = updated  # type: ignore[attr-defined]
            dossiers.append(dossier)
            teams.append(team)
        bulk_create_with_history(families, Family)
        for person in persons:
            person.family_id = person.family.pk
        bulk_create_with_history(persons, Person)
        for dossier in dossiers:
            dossier.family_id = dossier.family.pk
        bulk_create_with_history(dossiers, Dossier)
        self.dossiers = list(Dossier.objects.filter(family__in=families).select_related("family").order_by("id"))
        by_family = {d.family_id: d for d in self.dossiers}
        members: list[CaseTeamMember] = []
        notes: list[DossierNote] = []
        self.teams_by_dossier: dict[int, list[_Member]] = {}
        for family, team, size in zip(families, teams, family_sizes, strict=True):
            dossier = by_family[family.pk]
            self.teams_by_dossier[dossier.pk] = [m for m, _r, _t in team]
            lead = team[0][0]
            self._event(dossier.opened_at, lead, AuditAction.CREATE, "dossier", dossier, details={"persons": size})
            for member, case_role, added in team:
                members.append(
                    CaseTeamMember(
                        dossier=dossier,
                        user=member.user,
                        organisation=member.membership.organisation,
                        case_role=case_role,
                        added_at=added,
                        added_by=lead.user,
                    )
                )
                if member is not lead:
                    self._event(
                        added,
                        lead,
                        AuditAction.UPDATE,
                        "case_team",
                        dossier,
                        details={"added_user": member.user.pk, "case_role": str(case_role)},
                    )
            end = dossier.closed_at or self.now - timedelta(hours=1)
            for _n in range(self.rng.randint(1, 4)):
                author = self.rng.choice(team)[0]
                written = random_moment(self.rng, dossier.opened_at, end)
                notes.append(
                    DossierNote(
                        dossier=dossier, author=author.user, text=self.rng.choice(NOTE_TEXTS), created_at=written
                    )
                )
            for _n in range(self.rng.randint(2, 6)):
                viewer = self.rng.choice(team)[0]
                self._event(
                    random_moment(self.rng, dossier.opened_at, end), viewer, AuditAction.VIEW, "dossier", dossier
                )
            if dossier.closed_at:
                self._event(
                    dossier.closed_at, lead, AuditAction.UPDATE, "dossier", dossier, details={"status": "closed"}
                )
        CaseTeamMember.objects.bulk_create(members)
        created_notes = DossierNote.objects.bulk_create(notes)
        for note in created_notes:
            author = next(m for m in self.teams_by_dossier[note.dossier.pk] if m.user.pk == note.author.pk)
            self._event(note.created_at, author, AuditAction.CREATE, "note", note.dossier, object_id=str(note.pk))

    def _persons(self, family: Family, last_name: str, opened: datetime) -> list[Person]:
        people: list[Person] = []
        parents = self.rng.choice([1, 2, 2])
        children = self.rng.choice([1, 1, 2, 2, 3])
        for n in range(parents):
            first = self.fake.first_name_female() if n == 0 else self.fake.first_name_male()
            surname = last_name if n == 0 or self.rng.random() < 0.6 else self.fake.last_name()
            people.append(
                self._person(family, Relation.OUDER, first, surname, birth_date(self.rng, self.today, 24, 52), opened)
            )
        for _n in range(children):
            first = self.fake.first_name()
            people.append(
                self._person(family, Relation.KIND, first, last_name, birth_date(self.rng, self.today, 0, 17), opened)
            )
        return people

    def _person(self, family: Family, relation: str, first: str, last: str, born: Any, opened: datetime) -> Person:
        bsn = self.bsns.take() or ""
        person = Person(
            family=family,
            municipality=family.municipality,
            pseudonym=pseudonym(self.rng, "P", self.pseudonyms),
            relation=relation,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            bsn=bsn or None,
            bsn_index=bsn_index(bsn) if bsn else None,
            name_birth_index=name_birth_index(first, last, born),
            address=None,
            is_test=True,
            created_at=opened,
        )
        person._history_date = opened  # type: ignore[attr-defined]
        return person

    # -- events ------------------------------------------------------------------------------
    def _event(
        self,
        when: datetime,
        member: _Member,
        action: str,
        object_type: str,
        dossier: Dossier | None,
        *,
        object_id: str = "",
        details: dict[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        self.audit_rows.append(
            {
                "occurred_at": when,
                "action": str(action),
                "actor_id": member.user.pk,
                "actor_label": member.label,
                "organisation_id": member.membership.organisation_id,
                "role": member.membership.role,
                "object_type": object_type,
                "object_id": object_id or (dossier.reference if dossier else ""),
                "client_pseudonym": dossier.family.pseudonym if dossier else "",
                "reason": reason,
                "details": details or {},
                "request_id": uuid.UUID(int=self.rng.getrandbits(128)).hex,
                "ip": f"10.20.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}",
            }
        )

    def _break_glass(self) -> None:
        """demo-collega opened one of demo-professional's dossiers with break-the-glass two days ago
        (waiting for its review), and another dossier sixteen days ago (unreviewed: flagged as late)."""
        collega = self.demo["demo-collega"]
        prof = self.demo["demo-professional"]
        open_dossiers = [d for d in self.dossiers if d.status == Dossier.Status.OPEN]
        dossier = next(d for d in open_dossiers if prof in self.teams_by_dossier[d.pk])
        older = next(d for d in open_dossiers if d.pk != dossier.pk and collega not in self.teams_by_dossier[d.pk])
        for when, target, reason in (
            (
                self.now - timedelta(days=16, hours=5),
                older,
                "School belde: kind wil niet naar huis en vertelt over geweld thuis; regievoerder met vakantie.",
            ),
            (
                self.now - timedelta(days=2, hours=3),
                dossier,
                "Moeder belde buiten kantoortijd in paniek; regievoerder niet bereikbaar, veiligheidsafspraken nodig.",
            ),
        ):
            grant = BreakGlassAccess.objects.create(
                dossier=target,
                user=collega.user,
                organisation=collega.membership.organisation,
                reason=reason,
                granted_at=when,
                expires_at=when + timedelta(hours=1),
            )
            self._event(when, collega, AuditAction.BREAK_GLASS, "dossier", target, details={"grant": grant.pk})
            self._event(when + timedelta(minutes=1), collega, AuditAction.VIEW, "dossier", target)
            self.break_glass_dossier = target
            self.break_glass_at = when

    def _notifications(self) -> None:
        collega = self.demo["demo-collega"]
        af = self.demo["demo-aandachtsfunctionaris"]
        names = {"name": collega.label, "ref": self.break_glass_dossier.reference}
        title = _("Noodtoegang gebruikt door %(name)s") % names
        officer_body = (
            _(
                "%(name)s heeft met noodtoegang dossier %(ref)s geopend. Beoordeel of dat terecht was in "
                "'Noodtoegang beoordelen'."
            )
            % names
        )
        items = [
            Notification(
                recipient=af.user,
                kind="break_glass",
                title=title,
                body=officer_body,
                link="/dossiers/noodtoegang/beoordelen/",
                created_at=self.break_glass_at,
            )
        ]
        coordinator = self.break_glass_dossier.coordinator_id
        if coordinator is not None and coordinator != collega.user.pk:
            items.append(
                Notification(
                    recipient_id=coordinator,
                    kind="break_glass",
                    title=title,
                    body=_("%(name)s heeft met noodtoegang uw dossier %(ref)s geopend.") % names,
                    link=f"/dossiers/{self.break_glass_dossier.reference}/",
                    created_at=self.break_glass_at,
                )
            )
        for username, count in (("demo-professional", 3), ("demo-veiligthuis", 2), ("demo-aandachtsfunctionaris", 1)):
            member = self.demo[username]
            mine = [d for d in self.dossiers if member in self.teams_by_dossier[d.pk]]
            for n, dossier in enumerate(sorted(mine, key=lambda d: d.updated_at, reverse=True)[:count]):
                when = self.now - timedelta(days=n + 1, hours=self.rng.randint(0, 8))
                items.append(
                    Notification(
                        recipient=member.user,
                        kind="case_team_added",
                        title=_("U bent toegevoegd aan een casusteam"),
                        body=_("Dossier %(ref)s") % {"ref": dossier.reference},
                        link=f"/dossiers/{dossier.reference}/",
                        created_at=when,
                        read_at=when + timedelta(hours=2) if n == count - 1 and count > 1 else None,
                    )
                )
        Notification.objects.bulk_create(items)

    def _logins(self) -> None:
        for member in self.demo.values():
            for days in (14, 7, 3, 1):
                when = self.now - timedelta(days=days, hours=self.rng.randint(1, 10))
                self._event(when, member, AuditAction.LOGIN, "", None)

    # -- report -----------------------------------------------------------------------------
    def _logins_table(self) -> list[DemoLogin]:
        from keten.seeding.accounts import demo_backup_codes, demo_totp_key

        return [
            DemoLogin(
                username=account.username,
                role_label=str(Role(account.role).label) + (" + superuser" if account.superuser else ""),
                organisation=account.organisation,
                password=DEMO_PASSWORD,
                totp_base32=base32_key(demo_totp_key(account.username)),
                backup_codes=demo_backup_codes(account.username),
            )
            for account in DEMO_ACCOUNTS
        ]

    def _counts(self) -> dict[str, int]:
        return {
            "organisations": len(self.orgs),
            "professionals": sum(len(v) for v in self.members.values()),
            "families": len(self.dossiers),
            "audit_events": self.audit.written,
            "sociale_kaart_entries": self.network["entries"],
            "agreements": self.network["agreements"],
        }


def _job_title(org_type: str, role: str) -> str:
    if role == Role.AANDACHTSFUNCTIONARIS:
        return "Aandachtsfunctionaris"
    if role == Role.TEAMLEIDER:
        return "Teamleider"
    if role == Role.BELEIDSMEDEWERKER:
        return "Beleidsmedewerker"
    if role == Role.FUNCTIONEEL_BEHEERDER:
        return "Functioneel beheerder"
    return JOB_TITLES.get(org_type, "Professional")


JOB_TITLES: dict[str, str] = {
    OrganisationType.WIJKTEAM: "Jeugd- en gezinswerker",
    OrganisationType.JGZ: "Jeugdverpleegkundige",
    OrganisationType.ONDERWIJS: "Intern begeleider",
    OrganisationType.KINDEROPVANG: "Pedagogisch medewerker",
    OrganisationType.HUISARTS: "Huisarts",
    OrganisationType.VEILIG_THUIS: "Medewerker Veilig Thuis",
    OrganisationType.POLITIE: "Wijkagent",
    OrganisationType.OM: "Officier van justitie",
    OrganisationType.RVDK: "Raadsonderzoeker",
    OrganisationType.GI: "Jeugdbeschermer",
    OrganisationType.JEUGDHULP: "Gezinsbehandelaar",
    OrganisationType.GGZ: "GZ-psycholoog",
    OrganisationType.VERSLAVINGSZORG: "Verslavingsconsulent",
    OrganisationType.SCHULDHULP: "Schuldhulpverlener",
    OrganisationType.WELZIJN: "Maatschappelijk werker",
    OrganisationType.SPORT: "Jeugdcoördinator",
    OrganisationType.OVERIG: "Vrijwilligerscoördinator",
}
