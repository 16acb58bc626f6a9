"""The ``national`` profile: persons and families at verwijsindex scale.

Many municipalities, each with wijken, a wijkteam per wijk and a small set of partner
organisations and staff, ``1,000,000 × --scale`` families (about 3 persons each) without dossiers,
and the verwijsindex at ``4,500,000 × --scale`` young people (see
:mod:`keten.seeding.verwijsindex_national`). Only about 909 persons get a BSN (the elfproef-valid numbers of the test
range); everyone else has none. It does not run in CI.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType
from keten.dossiers.models import Family, Person
from keten.seeding.common import SeedError, analyze, explicit_timestamps
from keten.seeding.large.city import CityBuilder, NamePools
from keten.seeding.verwijsindex_national import seed_verwijsindex_national

FAMILIES = 1_000_000
MUNICIPALITIES = 40
CODE_PREFIX = "GM97"
ORG_PLAN: dict[str, tuple[int, int]] = {
    OrganisationType.WIJKTEAM: (0, 6),
    OrganisationType.JGZ: (1, 4),
    OrganisationType.ONDERWIJS: (4, 2),
    OrganisationType.HUISARTS: (2, 1),
    OrganisationType.VEILIG_THUIS: (1, 4),
    OrganisationType.GEMEENTE: (1, 3),
}


def seed_national(*, seed: int = 2026, scale: float = 1.0, progress: bool = True) -> dict[str, int]:
    if Municipality.objects.filter(cbs_code__startswith=CODE_PREFIX).exists():
        raise SeedError(_("Deze database bevat het profiel national al. Gebruik --reset om opnieuw te beginnen."))
    rng = random.Random(seed)  # noqa: S311 (reproducible fake data, not security)
    builder = CityBuilder(rng=rng, pools=NamePools.build(seed), now=timezone.now(), show_progress=progress)
    n_municipalities = max(1, min(99, round(MUNICIPALITIES * min(scale, 2.0))))
    total = max(n_municipalities, round(FAMILIES * scale))
    persons = minors = 0
    with explicit_timestamps(Organisation, Membership, Family, Person):
        for m in range(n_municipalities):
            with transaction.atomic():
                builder.municipality(
                    f"Testgemeente {m + 1:02d}", f"{CODE_PREFIX}{m + 1:02d}", [f"Wijk {w + 1}" for w in range(8)]
                )
                builder.organisations(ORG_PLAN, 1.0)
                builder.staff_members()
            share = total // n_municipalities + (1 if m < total % n_municipalities else 0)
            stats = builder.families(
                share, with_dossiers=False, desc=_("gezinnen %(m)d/%(n)d") % {"m": m + 1, "n": n_municipalities}
            )
            persons += stats.persons
            minors += stats.minors
    vi = seed_verwijsindex_national(
        seed=seed,
        scale=scale,
        municipality_ids=list(
            Municipality.objects.filter(cbs_code__startswith=CODE_PREFIX).values_list("pk", flat=True)
        ),
        names=[f"{rng.choice(builder.pools.female + builder.pools.male)} {last}" for last in builder.pools.last],
        show_progress=progress,
    )
    analyze()
    return {
        "municipalities": n_municipalities,
        "organisations": Organisation.objects.filter(municipality__cbs_code__startswith=CODE_PREFIX).count(),
        "professionals": len(builder.staff),
        "families": total,
        "persons": persons,
        "minors": minors,
        "persons_with_test_bsn": builder.bsns.used,
        **{f"verwijsindex_{name}": value for name, value in vi.__dict__.items()},
    }
