"""What the overleg demo builder knows while it runs, and one case of the demo's history."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from keten.accounts.models import Membership, Organisation, User
from keten.dossiers.models import Dossier
from keten.overleg.models import AgendaItem, CaseRegistration


@dataclass
class Case:
    """One case of the demo's history."""

    dossier: Dossier
    step: int
    reason: str
    goal: str
    registered_days_ago: int
    outcome: str  # toegelaten, afgewezen or afgesloten
    registration: CaseRegistration | None = None
    items: list[AgendaItem] = field(default_factory=list)


class OverlegDemoState:
    """The shared state of the overleg demo builder's parts."""

    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = min(now, timezone.now())
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_default_timezone()
        self.chair = User.objects.get(username="demo-veiligthuis")
        self.teamleider = User.objects.get(username="demo-teamleider")
        self.prof = User.objects.get(username="demo-professional")
        self.collega = User.objects.get(username="demo-collega")
        municipality_id = Membership.objects.filter(user=self.prof).values_list(
            "organisation__municipality_id", flat=True
        )[0]
        self.orgs = list(Organisation.objects.filter(municipality_id=municipality_id, is_active=True).order_by("pk"))
        self.counts: dict[str, int] = {}
