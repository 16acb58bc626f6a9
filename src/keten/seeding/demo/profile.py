"""The demo profile's entry point: builds Lindeveld, then the case modules' demo data on top."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from keten.accounts.models import Membership, Municipality, Organisation, Role
from keten.dossiers.models import CaseTeamMember, Dossier, DossierNote, Family, Person
from keten.notifications.models import Notification
from keten.seeding.accounts import DemoLogin, base32_key, demo_backup_codes, demo_totp_key
from keten.seeding.common import DEMO_PASSWORD, SeedError, explicit_timestamps
from keten.seeding.demo.data import DEMO_ACCOUNTS, MUNICIPALITY_CODE, org_specs
from keten.seeding.demo.events import EventSeeding
from keten.seeding.demo.families import FamilySeeding
from keten.seeding.demo.people import PeopleSeeding
from keten.seeding.meldcode_demo import seed_meldcode_demo
from keten.seeding.network_demo import seed_network_demo
from keten.seeding.overleg_demo import seed_overleg_demo
from keten.seeding.sharing_demo import seed_sharing_demo
from keten.seeding.verwijsindex_demo import mark_regievoerder, seed_verwijsindex_demo


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


class _DemoBuilder(PeopleSeeding, FamilySeeding, EventSeeding):
    def build(self) -> DemoResult:
        specs = org_specs()
        self._organisations(specs)
        self._people(specs)
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

    # -- report -----------------------------------------------------------------------------
    def _logins_table(self) -> list[DemoLogin]:
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
