"""The large profile's entry point: Amstelmere, then the case modules' large data on top."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Municipality, Organisation, Role, User
from keten.dossiers.models import CaseTeamMember, Dossier, DossierNote, Family, Person
from keten.seeding.common import SeedError, analyze, explicit_timestamps
from keten.seeding.large.city import CityBuilder, NamePools
from keten.seeding.large.data import (
    AUDIT_EVENTS,
    BENCH_ACCOUNTS,
    BENCH_CASE_TEAMS,
    FAMILIES,
    MUNICIPALITY_CODE,
    MUNICIPALITY_NAME,
    ORG_PLAN,
    WIJK_NAMES,
)
from keten.seeding.meldcode_large import seed_meldcode_large
from keten.seeding.network_large import seed_network_large
from keten.seeding.overleg_large import seed_overleg_large


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
