"""Reads of the sociale kaart, the one path for its pages and its API.

``text`` folds words and reads postcodes, ``scope`` decides which municipality a reader sees,
``words`` and ``filters`` narrow a search, ``search`` finds organisations and builds their cards,
``agreements`` reads samenwerkingsafspraken, ``entries`` what an editor needs, and ``directory``
what the API gives anonymous callers, professionals and partner systems.
"""

from keten.network.kaart.selectors.agreements import agreement_get, agreements_list, applicable_agreements
from keten.network.kaart.selectors.directory import (
    MAX_ORGANISATIONS,
    NETWORK_READ_SCOPE,
    PUBLIC_ORGANISATION_FIELDS,
    audit_professionals_read,
    authenticated_organisations,
    professionals,
    public_organisations,
    wijken_of,
)
from keten.network.kaart.selectors.entries import (
    Editor,
    StaleEntries,
    entry_editors,
    entry_for_edit,
    organisation_choices,
    stale_entries,
    stale_entries_to_confirm,
)
from keten.network.kaart.selectors.filters import filter_organisations, serving, wijk_in
from keten.network.kaart.selectors.scope import (
    api_municipality_id,
    kaart_municipality_id,
    municipality_by_code,
    stale_before,
)
from keten.network.kaart.selectors.search import (
    KaartOrganisation,
    SearchMatches,
    SearchResult,
    officers_of,
    organisation_detail,
    organisations_for_cards,
    sociale_kaart_matches,
    sociale_kaart_search,
)
from keten.network.kaart.selectors.text import format_postcode, normalise, parse_postcode, wijk_for_postcode
from keten.network.kaart.selectors.words import STOPWORDS, filter_by_words, query_words

__all__ = [
    "MAX_ORGANISATIONS",
    "NETWORK_READ_SCOPE",
    "PUBLIC_ORGANISATION_FIELDS",
    "STOPWORDS",
    "Editor",
    "KaartOrganisation",
    "SearchMatches",
    "SearchResult",
    "StaleEntries",
    "agreement_get",
    "agreements_list",
    "api_municipality_id",
    "applicable_agreements",
    "audit_professionals_read",
    "authenticated_organisations",
    "entry_editors",
    "entry_for_edit",
    "filter_by_words",
    "filter_organisations",
    "format_postcode",
    "kaart_municipality_id",
    "municipality_by_code",
    "normalise",
    "officers_of",
    "organisation_choices",
    "organisation_detail",
    "organisations_for_cards",
    "parse_postcode",
    "professionals",
    "public_organisations",
    "query_words",
    "serving",
    "sociale_kaart_matches",
    "sociale_kaart_search",
    "stale_before",
    "stale_entries",
    "stale_entries_to_confirm",
    "wijk_for_postcode",
    "wijk_in",
    "wijken_of",
]
