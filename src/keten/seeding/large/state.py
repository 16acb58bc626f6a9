"""What the city builder knows while it runs: the random sources, name pools and the staff made so far."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

from keten.accounts.models import Municipality, Organisation, Team, Wijk
from keten.seeding.common import DEMO_PASSWORD, BsnPool
from keten.seeding.large.data import HISTORY_YEARS


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


class CityState:
    """The shared state of the city builder's parts (organisations and staff, families, audit history)."""

    municipality_obj: Municipality
    wijken: list[Wijk]
    teams: dict[int, list[Team]]
    org_sizes: list[int]
    wijkteam_of_wijk: dict[int, int]
    users_by_name: dict[str, int]

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
