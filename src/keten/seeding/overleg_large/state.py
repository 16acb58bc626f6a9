"""What the overleg builder knows while it runs, and the plan of one overleg type."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils import timezone

from keten.accounts.models import Organisation


@dataclass
class Spec:
    name: str
    kind: str
    lead: Organisation
    chair: int
    members: list[Organisation]
    weekdays: list[int]
    start: time
    attendees: list[tuple[int, int]]  # (user id, organisation id)
    pool: list[tuple[int, int, int]]  # (dossier id, registering user id, organisation id)
    new_per_meeting: tuple[int, int]
    lifetime: tuple[int, int]  # how many times a case is on the agenda
    follow_every: int
    cap: int
    bench: bool = False
    owner_weights: list[tuple[int, int]] = field(default_factory=list)  # (user id, weight)


@dataclass
class Stats:
    meetings: int = 0
    registrations: int = 0
    agenda_items: int = 0
    agreements: int = 0
    discussions: int = 0


class OverlegState:
    """The shared state of the overleg builder's parts."""

    def __init__(self, *, rng: random.Random, now: datetime, scale: float, show_progress: bool) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.scale = scale
        self.show_progress = show_progress
        self.tz = timezone.get_default_timezone()
        self.stats = Stats()
