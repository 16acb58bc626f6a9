"""The verwijsindex of the ``national`` profile: young people, parents, signals and matches at national scale.

At ``--scale 1``: 4,500,000 young people (in families of 1–3 children with 1–2 parents each),
2,000,000 active signals and 5,000,000 archived signals, plus the client and family matches the
active signals make. The rows are written with PostgreSQL ``COPY`` (plain ``INSERT`` elsewhere) in
chunks of young people, each chunk in its own transaction.

How the data is shaped:

* Every young person has at least one signal (active or archived), as in the real index, where a
  young person without signals is purged. Ages 0–22 are spread evenly, so ``destroy_on`` (the 23rd
  birthday) falls evenly over the coming 23 years.
* Active signals were registered over the past two years (``active_until`` = registration + 24
  months, earlier at 23), so roughly 1/730 of them expires each night. About 12% of young people
  with an active signal have two or three (client matches), and about 12% of signalled families have
  two signalled children (a family match per parent).
* Archived signals ended over the past five years, so their ``archive_until`` spreads over the
  coming five years and roughly 1/1826 of them is purged each night.
* About 3% of active signals come from a professional in another municipality.
* ``display_name`` and ``date_of_birth`` hold real Fernet ciphertext, but to keep the seed fast a
  pool of 500 names is encrypted once and one ciphertext is made per distinct birth date; young
  people with the same name or birth date therefore share a ciphertext (in live data each write
  gets its own).
* ``bsn_key`` and ``name_birth_key`` are random 64-hex keys, except for the first young people, who
  get the keyed pseudonym of a test BSN (:func:`keten.verwijsindex.services.youth_key`) and whose
  parents get :func:`keten.verwijsindex.services.parent_key` of a test BSN, so a benchmark can
  register on them through the service.
* No :class:`~keten.verwijsindex.models.SignalRecord` (the professional's own record), no audit
  events and no history rows are written for bulk-seeded signals.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.utils import timezone

from keten.accounts.models import CASE_ROLES, Membership
from keten.seeding.common import PSEUDONYM_ALPHABET, progress, reserved_test_bsns, reset_sequence
from keten.seeding.verwijsindex_national_rows import (
    LINK_COLUMNS,
    MATCH_COLUMNS,
    PARENT_COLUMNS,
    PARTICIPANT_COLUMNS,
    SIGNAL_COLUMNS,
    YOUTH_COLUMNS,
    Chunk,
    Ids,
    write_rows,
)
from keten.verwijsindex.models import (
    YOUTH_PSEUDONYM_LENGTH,
    EndReason,
    Match,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    ParentKey,
    ParentLink,
    Signal,
    SignalStatus,
    Youth,
)
from keten.verwijsindex.services import (
    ARCHIVE_YEARS,
    DEFAULT_COORDINATOR_EXCLUDED,
    DEFAULT_COORDINATOR_PREFERENCE,
    DEFAULT_REGISTERING_TYPES,
    MAX_AGE,
    parent_key,
    youth_key,
)

YOUTHS = 4_500_000
ACTIVE_SIGNALS = 2_000_000
ARCHIVED_SIGNALS = 5_000_000
CHUNK = 50_000
NAME_POOL = 500
#: Test BSNs kept free for registrations of new young people by the benchmark.
FREE_TEST_BSNS = 300
FAMILY_SIZES = ((1, 45), (2, 38), (3, 17))
SIGNALS_PER_YOUTH = ((1, 86), (2, 11), (3, 3))
SIBLINGS_SIGNALLED = 0.12
CROSS_MUNICIPALITY = 0.03
CONTACT_DAYS = 14


@dataclass
class Prof:
    user_id: int
    organisation_id: int
    organisation_type: str
    municipality_id: int
    wijk_id: int | None
    phone: str
    email: str


@dataclass
class ViCounts:
    youths: int = 0
    parents: int = 0
    parent_links: int = 0
    active_signals: int = 0
    archived_signals: int = 0
    client_matches: int = 0
    family_matches: int = 0
    participants: int = 0
    youths_with_test_bsn: int = 0


def _professionals(municipality_ids: Sequence[int] | None) -> dict[int, list[Prof]]:
    qs = Membership.objects.filter(
        is_active=True,
        role__in=CASE_ROLES,
        user__is_active=True,
        organisation__is_active=True,
        organisation__type__in=DEFAULT_REGISTERING_TYPES,
    ).select_related("organisation", "user", "team")
    if municipality_ids is not None:
        qs = qs.filter(organisation__municipality_id__in=municipality_ids)
    staff: dict[int, list[Prof]] = {}
    seen: set[int] = set()
    for m in qs.order_by("pk"):
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        org = m.organisation
        staff.setdefault(org.municipality_id, []).append(
            Prof(
                user_id=m.user_id,
                organisation_id=org.pk,
                organisation_type=org.type,
                municipality_id=org.municipality_id,
                wijk_id=m.team.wijk_id if m.team_id and m.team else None,
                phone=(m.user.phone or org.phone or "")[:40],
                email=m.user.email,
            )
        )
    return {k: v for k, v in staff.items() if len(v) >= 3}


class _Encryptor:
    """Fernet ciphertext from the model fields themselves, for a pool of names and per birth date."""

    def __init__(self, rng: random.Random, names: list[str]) -> None:
        name_field: Any = Youth._meta.get_field("display_name")
        self._dob_field: Any = Youth._meta.get_field("date_of_birth")
        self.names = [name_field.get_db_prep_save(n, connection) for n in names]
        self._dates: dict[date, str] = {}
        self.rng = rng

    def name(self) -> str:
        return self.rng.choice(self.names)

    def dob(self, day: date) -> str:
        found = self._dates.get(day)
        if found is None:
            found = self._dates[day] = self._dob_field.get_db_prep_save(day, connection)
        return found


def _weighted(rng: random.Random, table: Sequence[tuple[int, int]]) -> int:
    values = [v for v, _w in table]
    weights = [w for _v, w in table]
    return rng.choices(values, weights)[0]


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(256):064x}"


_PSEUDONYM_BITS = 5 * YOUTH_PSEUDONYM_LENGTH
_PSEUDONYM_MASK = (1 << _PSEUDONYM_BITS) - 1
#: Odd, so multiplying by it permutes the numbers below 2**_PSEUDONYM_BITS.
_PSEUDONYM_MULTIPLIER = 0x9E3779B97F4A7C15 & _PSEUDONYM_MASK | 1


def _youth_pseudonym(youth_id: int, key: int) -> str:
    """A pseudonym in the shape of :func:`keten.verwijsindex.models.youth_pseudonym`, unique per id
    (a keyed permutation of the id: millions of random ones would need a set to stay unique)."""
    n = ((youth_id * _PSEUDONYM_MULTIPLIER) & _PSEUDONYM_MASK) ^ key
    return "J-" + "".join(PSEUDONYM_ALPHABET[(n >> shift) & 31] for shift in range(_PSEUDONYM_BITS - 5, -1, -5))


class VerwijsindexBuilder:
    def __init__(
        self, *, rng: random.Random, today: date, now: datetime, staff: dict[int, list[Prof]], names: list[str]
    ) -> None:
        if not staff:
            raise ValueError("no registering professionals to seed signals for")
        self.rng = rng
        self.today = today
        self.now = now
        self.staff = staff
        self.municipalities = sorted(staff)
        self.enc = _Encryptor(rng, names)
        self.ids = Ids.after_existing()
        self.counts = ViCounts()
        bsns = reserved_test_bsns()
        rng.shuffle(bsns)
        self.youth_bsns = bsns[FREE_TEST_BSNS:]
        self.parent_bsns = list(reversed(bsns))
        self.preference: dict[str, int] = {str(t): i for i, t in enumerate(DEFAULT_COORDINATOR_PREFERENCE)}
        self.excluded = set(DEFAULT_COORDINATOR_EXCLUDED)
        self.pseudonym_key = rng.getrandbits(_PSEUDONYM_BITS)

    # -- one chunk of families ------------------------------------------------------------------

    def chunk(self, n_youths: int, n_active: int, n_archived: int) -> Chunk:
        rng, today = self.rng, self.today
        out = Chunk()
        families: list[tuple[int, list[tuple[int, date]], list[int]]] = []  # municipality, youths, parent ids
        made = 0
        while made < n_youths:
            size = min(_weighted(rng, FAMILY_SIZES), n_youths - made)
            municipality = rng.choice(self.municipalities)
            parents = []
            for _p in range(1 if rng.random() < 0.3 else 2):
                pid = self.ids.parent
                self.ids.parent += 1
                key = parent_key(self.parent_bsns.pop()) if self._use_test_bsn() else _hex(rng)
                out.parents.append((pid, key))
                parents.append(pid)
            kids: list[tuple[int, date]] = []
            for _k in range(size):
                yid = self.ids.youth
                self.ids.youth += 1
                dob = today - timedelta(days=rng.randrange(MAX_AGE * 365 - 1))
                destroy_on = dob + relativedelta(years=MAX_AGE)
                if destroy_on <= today:
                    dob += timedelta(days=2)
                    destroy_on = dob + relativedelta(years=MAX_AGE)
                if self._use_test_bsn():
                    bsn_key = youth_key(self.youth_bsns.pop())
                    self.counts.youths_with_test_bsn += 1
                else:
                    bsn_key = _hex(rng)
                created = self.now - timedelta(days=rng.randrange(1, 365 * 5))
                out.youths.append(
                    (
                        yid,
                        _youth_pseudonym(yid, self.pseudonym_key),
                        bsn_key,
                        _hex(rng),
                        self.enc.name(),
                        self.enc.dob(dob),
                        destroy_on,
                        created,
                    )
                )
                kids.append((yid, destroy_on))
                for pid in parents:
                    out.links.append((self.ids.link, yid, pid))
                    self.ids.link += 1
            families.append((municipality, kids, parents))
            made += size
        self.counts.youths += made
        self.counts.parents += len(out.parents)
        self.counts.parent_links += len(out.links)

        # Active signals: whole families are picked in random order until the budget is spent.
        order = list(range(len(families)))
        rng.shuffle(order)
        signalled: dict[int, list[tuple[Any, ...]]] = {}
        destroy: dict[int, date] = {}
        budget = n_active
        for fi in order:
            if budget <= 0:
                break
            municipality, kids, parents = families[fi]
            picked = rng.sample(kids, 2) if len(kids) >= 2 and rng.random() < SIBLINGS_SIGNALLED else [kids[0]]
            family_signals: dict[int, list[tuple[Any, ...]]] = {}
            for yid, destroy_on in picked:
                destroy[yid] = destroy_on
                k = min(_weighted(rng, SIGNALS_PER_YOUTH), max(1, budget))
                rows = [self._active_signal(yid, destroy_on, prof) for prof in self._profs(municipality, k)]
                budget -= len(rows)
                family_signals[yid] = rows
                signalled[yid] = rows
                if len(rows) >= 2:
                    self._match(out, MatchKind.CLIENT, yid, None, rows)
            if len(family_signals) >= 2:
                everyone = [row for rows in family_signals.values() for row in rows]
                for pid in parents:
                    self._match(out, MatchKind.FAMILY, None, pid, everyone)
            for rows in family_signals.values():
                out.signals.extend(rows)
        self.counts.active_signals += n_active - budget

        # Archived signals: first every young person without an active signal, then at random.
        all_kids = [(kid, municipality) for municipality, kids, _p in families for kid in kids]
        without = [(kid, m) for kid, m in all_kids if kid[0] not in signalled]
        extra = max(0, n_archived - len(without))
        targets = without + [rng.choice(all_kids) for _n in range(extra)]
        for (yid, destroy_on), municipality in targets:
            out.signals.append(self._archived_signal(yid, destroy_on, rng.choice(self.staff[municipality])))
        self.counts.archived_signals += len(targets)
        return out

    def _use_test_bsn(self) -> bool:
        return bool(self.youth_bsns) and bool(self.parent_bsns) and len(self.parent_bsns) > FREE_TEST_BSNS

    def _profs(self, municipality: int, k: int) -> list[Prof]:
        pool = self.staff[municipality]
        chosen = self.rng.sample(pool, min(k, len(pool)))
        if self.rng.random() < CROSS_MUNICIPALITY and len(self.municipalities) > 1:
            other = self.rng.choice([m for m in self.municipalities if m != municipality])
            chosen[-1] = self.rng.choice(self.staff[other])
        return chosen

    def _active_signal(self, yid: int, destroy_on: date, prof: Prof) -> tuple[Any, ...]:
        registered = self.today - timedelta(days=self.rng.randrange(730))
        until = min(registered + relativedelta(months=24) - timedelta(days=1), destroy_on - timedelta(days=1))
        sid = self.ids.signal
        self.ids.signal += 1
        created = timezone.make_aware(datetime.combine(registered, datetime.min.time())) + timedelta(
            seconds=self.rng.randrange(8 * 3600, 18 * 3600)
        )
        return (
            sid, yid, prof.municipality_id, prof.organisation_id, prof.user_id, prof.wijk_id, prof.phone,
            prof.email, registered, until, SignalStatus.ACTIEF.value, None, "", None, None, "", created,
        )  # fmt: skip

    def _archived_signal(self, yid: int, destroy_on: date, prof: Prof) -> tuple[Any, ...]:
        rng = self.rng
        ended = self.today - timedelta(days=rng.randrange(ARCHIVE_YEARS * 365))
        registered = ended - timedelta(days=rng.randrange(30, 730))
        archive_until = min(ended + relativedelta(years=ARCHIVE_YEARS), destroy_on)
        if rng.random() < 0.6:
            reason, until = EndReason.VERLOPEN.value, ended - timedelta(days=1)
        else:
            reason, until = EndReason.INGETROKKEN.value, registered + relativedelta(months=24) - timedelta(days=1)
        sid = self.ids.signal
        self.ids.signal += 1
        created = timezone.make_aware(datetime.combine(registered, datetime.min.time())) + timedelta(hours=10)
        return (
            sid, yid, prof.municipality_id, prof.organisation_id, prof.user_id, prof.wijk_id, prof.phone,
            prof.email, registered, until, SignalStatus.GEARCHIVEERD.value, ended, reason, archive_until, None, "",
            created,
        )  # fmt: skip

    def _match(
        self, out: Chunk, kind: str, youth_id: int | None, parent_id: int | None, rows: list[tuple[Any, ...]]
    ) -> None:
        """A live match over active signal rows (id, youth, municipality, organisation, professional, ...)."""
        rng = self.rng
        mid = self.ids.match
        self.ids.match += 1
        started = max(r[8] for r in rows)  # the latest registration made the match
        created = max(r[16] for r in rows)
        due = started + timedelta(days=CONTACT_DAYS)
        if due < self.today:
            status = rng.choices([MatchStatus.OPEN, MatchStatus.CONTACT, MatchStatus.AFGESTEMD], [15, 35, 50])[0]
        else:
            status = rng.choices([MatchStatus.OPEN, MatchStatus.CONTACT, MatchStatus.AFGESTEMD], [60, 30, 10])[0]
        contact_at = created + timedelta(days=rng.randrange(1, CONTACT_DAYS)) if status != MatchStatus.OPEN else None
        coordinated_at = contact_at + timedelta(days=3) if status == MatchStatus.AFGESTEMD and contact_at else None
        prof_types = {r[0]: self._org_type(r) for r in rows}
        eligible = [r for r in rows if prof_types[r[0]] not in self.excluded]
        coordinator = (
            min(eligible, key=lambda r: (self.preference.get(prof_types[r[0]], 99), r[8], r[0]))[0]
            if eligible
            else None
        )
        alerted = (
            created + timedelta(days=CONTACT_DAYS + 1) if status == MatchStatus.OPEN and due < self.today else None
        )
        cross = len({r[2] for r in rows}) > 1
        out.matches.append(
            (
                mid, kind, youth_id, parent_id, status.value, coordinator, status != MatchStatus.OPEN, created, due,
                contact_at, coordinated_at, alerted, cross, 1,
            )
        )  # fmt: skip
        for r in rows:
            out.participants.append((self.ids.participant, mid, r[0], r[2], created))
            self.ids.participant += 1
        if kind == MatchKind.CLIENT:
            self.counts.client_matches += 1
        else:
            self.counts.family_matches += 1
        self.counts.participants += len(rows)

    def _org_type(self, row: tuple[Any, ...]) -> str:
        return self._types.get(row[3], "")

    @property
    def _types(self) -> dict[int, str]:
        cached = getattr(self, "_type_cache", None)
        if cached is None:
            cached = {p.organisation_id: p.organisation_type for ps in self.staff.values() for p in ps}
            self._type_cache = cached
        return cached

    def write(self, chunk: Chunk) -> None:
        with transaction.atomic():
            write_rows(ParentKey, PARENT_COLUMNS, chunk.parents)
            write_rows(Youth, YOUTH_COLUMNS, chunk.youths)
            write_rows(ParentLink, LINK_COLUMNS, chunk.links)
            write_rows(Signal, SIGNAL_COLUMNS, chunk.signals)
            write_rows(Match, MATCH_COLUMNS, chunk.matches)
            write_rows(MatchParticipant, PARTICIPANT_COLUMNS, chunk.participants)


def seed_verwijsindex_national(
    *,
    seed: int = 2026,
    scale: float = 1.0,
    municipality_ids: Sequence[int] | None = None,
    names: list[str] | None = None,
    show_progress: bool = True,
) -> ViCounts:
    """Seed the index for the municipalities given (default: every municipality with registering staff)."""
    rng = random.Random(seed + 5)  # noqa: S311 (reproducible fake data, not security)
    staff = _professionals(municipality_ids)
    pool = names or [f"Jongere {i}" for i in range(NAME_POOL)]
    builder = VerwijsindexBuilder(
        rng=rng, today=timezone.localdate(), now=timezone.now(), staff=staff, names=pool[:NAME_POOL]
    )
    total = max(1, round(YOUTHS * scale))
    active = round(ACTIVE_SIGNALS * scale)
    archived = round(ARCHIVED_SIGNALS * scale)
    done = done_active = done_archived = 0
    bar = progress(total=total, desc="verwijsindex", enabled=show_progress)
    while done < total:
        n = min(CHUNK, total - done)
        want_active = round(active * (done + n) / total) - done_active
        want_archived = round(archived * (done + n) / total) - done_archived
        chunk = builder.chunk(n, want_active, want_archived)
        builder.write(chunk)
        done += n
        done_active += want_active
        done_archived += want_archived
        bar.update(n)
    bar.close()
    for model in (Youth, ParentKey, ParentLink, Signal, Match, MatchParticipant):
        reset_sequence(model)
    return builder.counts
