"""The ``demo`` profile: Gemeente Lindeveld, a small fictional municipality with every kind of partner.

Five wijken, an organisation of every :class:`~keten.accounts.models.OrganisationType`, about 150
professionals in every role, fixed demo logins (one per role), fifty fictional families (Faker
``nl_NL`` with a fixed seed) with dossiers in varied states, case teams that mix organisations,
notes, a break-the-glass event, notifications and a hash-chained audit history, so that every
role's dashboard has something to show on first login.
"""

from keten.seeding.demo.profile import DemoResult, seed_demo

__all__ = ["DemoResult", "seed_demo"]
