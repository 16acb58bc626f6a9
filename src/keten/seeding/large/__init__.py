"""The ``large`` profile: Gemeente Amstelmere, a fictional city the size of Amsterdam.

At ``--scale 1``: 22 wijken, about 350 organisations of every type, about 2,000 professionals,
100,000 families (150,000 minors, 1–3 children and 1–2 parents each), one dossier per family opened
over the past five years (most closed again), case teams of 2–4 professionals from mixed
organisations, notes, and 1,000,000 hash-chained audit events spread over organisations, actors,
actions and time. Two fixed accounts exist for the benchmarks (``make bench``):

* ``bench-professional`` is on exactly 50 case teams;
* ``bench-aandachtsfunctionaris`` works in the organisation with the most audit events.

Everything is written with bulk inserts in batches, with a fixed random seed. Client fields are
encrypted per value on insert, as on every save (a small pool of fake names is reused, so the same
plaintext name occurs many times, each with its own ciphertext). No history rows
(django-simple-history) are written for bulk-seeded records.
"""

from keten.seeding.large.city import CityBuilder, NamePools
from keten.seeding.large.data import MUNICIPALITY_CODE
from keten.seeding.large.profile import seed_large

__all__ = ["MUNICIPALITY_CODE", "CityBuilder", "NamePools", "seed_large"]
