"""Reads of informatie delen, limited to what the actor may see; the pages and the API use the same.

By sub-domain: :mod:`.disclosures` (a dossier's log, an organisation's disclosures, the counts),
:mod:`.consents`, :mod:`.grants` (what a recipient sees), :mod:`.convenants`, :mod:`.recipients`
(the deelhulp's look-up) and :mod:`.persons` (the family members a form offers). Reads of client
data are audited here, with the family's pseudonym.
"""

from keten.sharing.selectors.consents import (
    consent_for_change,
    consent_of_dossier,
    consent_shown,
    consents_of_dossier,
    consents_on_dossier_page,
)
from keten.sharing.selectors.convenants import convenants_list, convenants_of_municipality
from keten.sharing.selectors.disclosures import (
    LOG_PAGE_SIZE,
    RECENT_DISCLOSURES,
    DisclosureLogPage,
    DisclosureRow,
    RecentDisclosures,
    disclosure_log,
    disclosure_log_page,
    disclosures_of_dossier,
    municipality_counts,
    organisation_disclosures,
    organisation_disclosures_export,
    recent_disclosures,
    with_running_grants,
)
from keten.sharing.selectors.grants import active_grants, grant_of_dossier, my_grants, shared_part, shared_view
from keten.sharing.selectors.persons import person_choices, person_id_in_dossier
from keten.sharing.selectors.recipients import DeelhulpLookup, deelhulp_lookup, professionals_in_municipality

__all__ = [
    "LOG_PAGE_SIZE",
    "RECENT_DISCLOSURES",
    "DeelhulpLookup",
    "DisclosureLogPage",
    "DisclosureRow",
    "RecentDisclosures",
    "active_grants",
    "consent_for_change",
    "consent_of_dossier",
    "consent_shown",
    "consents_of_dossier",
    "consents_on_dossier_page",
    "convenants_list",
    "convenants_of_municipality",
    "deelhulp_lookup",
    "disclosure_log",
    "disclosure_log_page",
    "disclosures_of_dossier",
    "grant_of_dossier",
    "municipality_counts",
    "my_grants",
    "organisation_disclosures",
    "organisation_disclosures_export",
    "person_choices",
    "person_id_in_dossier",
    "professionals_in_municipality",
    "recent_disclosures",
    "shared_part",
    "shared_view",
    "with_running_grants",
]
