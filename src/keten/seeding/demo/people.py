"""The demo's organisations, teams and professionals, with the fixed demo accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.seeding.accounts import give_demo_devices
from keten.seeding.common import ascii_slug
from keten.seeding.demo.data import DEMO_ACCOUNTS, MUNICIPALITY_CODE, PLACE, WIJKEN, DemoAccount, OrgSpec, job_title
from keten.seeding.demo.state import DemoState, Member


class PeopleSeeding(DemoState):
    def _organisations(self, specs: list[OrgSpec]) -> None:
        municipality = Municipality.objects.create(name=PLACE, cbs_code=MUNICIPALITY_CODE)
        self.municipality = municipality
        self.wijken = {
            code: Wijk.objects.create(municipality=municipality, name=name, code=code) for code, name in WIJKEN
        }
        self.orgs = {}
        self.teams = {}
        self.members = {}
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

    def _people(self, specs: list[OrgSpec]) -> None:
        self.demo = {}
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

    def _membership(self, user: User, org_name: str, role: str, *, team: Team | None) -> Member:
        membership = Membership.objects.create(
            user=user, organisation=self.orgs[org_name], team=team, role=role, created_at=user.date_joined
        )
        member = Member(user, membership)
        self.members[org_name].append(member)
        return member

    def _make_demo_account(self, account: DemoAccount) -> Member:
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
            user = self._user(username, first, last, job_title(spec.type, role))
            self.staff_users.append(user)
            self._membership(user, spec.name, role, team=team)
