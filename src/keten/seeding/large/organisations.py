"""The city's municipality, wijken, organisations, teams and professionals (with their second factor)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.seeding.accounts import give_demo_devices
from keten.seeding.common import BATCH_SIZE, ascii_slug, progress, random_moment
from keten.seeding.demo.data import JOB_TITLES
from keten.seeding.large.data import CITY, ORG_PREFIX
from keten.seeding.large.state import CityState, Staff


class OrganisationSeeding(CityState):
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
        self.teams = {}
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
