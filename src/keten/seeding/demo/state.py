"""What the demo builder knows while it runs: the random sources, the organisations and people made
so far, and the audit events collected for the hash chain."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

from keten.accounts.models import CASE_ROLES, Membership, Municipality, Organisation, Team, User, Wijk
from keten.dossiers.models import Dossier
from keten.seeding.common import DEMO_PASSWORD, AuditChainWriter, BsnPool


@dataclass
class Member:
    user: User
    membership: Membership

    @property
    def label(self) -> str:
        return self.user.get_full_name() or self.user.username


class DemoState:
    """The shared state of the demo builder's parts (people, families, events)."""

    municipality: Municipality
    wijken: dict[str, Wijk]
    orgs: dict[str, Organisation]
    teams: dict[str, list[Team]]
    members: dict[str, list[Member]]
    demo: dict[str, Member]
    network: dict[str, int]
    dossiers: list[Dossier]
    teams_by_dossier: dict[int, list[Member]]
    break_glass_dossier: Dossier
    break_glass_at: datetime

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

    def _case_staff(self, org_name: str, *, exclude: set[int]) -> Member | None:
        pool = [
            m
            for m in self.members[org_name]
            if m.membership.role in CASE_ROLES and m.user.pk not in exclude and not m.user.username.startswith("demo-")
        ]
        return self.rng.choice(pool) if pool else None

    def _event(
        self,
        when: datetime,
        member: Member,
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
