"""Writes of the verwijsindex, one module per sub-domain; the use cases are importable from here.

- :mod:`.registration`: register signals (one or a bulk call) and match at once, set-based
  (:mod:`.validation`, :mod:`.parties`, :mod:`.index_rows`, :mod:`.matching`);
- :mod:`.coordination`: what professionals record after a match, and the alerts;
- :mod:`.lifecycle`: withdrawing, expiring and destroying signals;
- :mod:`.settings`: a municipality's rules and regievoerders.
"""

from keten.verwijsindex.services.coordination import (
    alerts_run,
    match_invite,
    match_record_contact,
    match_record_coordinated,
    match_set_coordinator,
    notice_record,
)
from keten.verwijsindex.services.lifecycle import (
    ARCHIVE_YEARS,
    LifecycleReport,
    lifecycle_run,
    signal_withdraw,
    youth_deceased,
)
from keten.verwijsindex.services.parties import (
    NotAuthorisedError,
    professionals_named,
)
from keten.verwijsindex.services.registration import (
    BULK_MAX,
    BulkOutcome,
    gc_paused,
    signal_register,
    signal_register_idempotent,
    signals_register_bulk,
)
from keten.verwijsindex.services.settings import (
    DEFAULT_COORDINATOR_EXCLUDED,
    DEFAULT_COORDINATOR_PREFERENCE,
    DEFAULT_REGISTERING_TYPES,
    SETTINGS_CACHE_SECONDS,
    index_settings_update,
    regievoerder_add,
    regievoerder_remove,
    settings_for,
)
from keten.verwijsindex.services.validation import (
    MAX_AGE,
    MIN_MOTIVATION,
    RISK_CATEGORIES,
    Identity,
    IdentityConfirmationError,
    Registration,
    RegistrationResult,
    age_on,
    parent_key,
    youth_key,
)

__all__ = [
    "ARCHIVE_YEARS",
    "BULK_MAX",
    "DEFAULT_COORDINATOR_EXCLUDED",
    "DEFAULT_COORDINATOR_PREFERENCE",
    "DEFAULT_REGISTERING_TYPES",
    "MAX_AGE",
    "MIN_MOTIVATION",
    "RISK_CATEGORIES",
    "SETTINGS_CACHE_SECONDS",
    "BulkOutcome",
    "Identity",
    "IdentityConfirmationError",
    "LifecycleReport",
    "NotAuthorisedError",
    "Registration",
    "RegistrationResult",
    "age_on",
    "alerts_run",
    "gc_paused",
    "index_settings_update",
    "lifecycle_run",
    "match_invite",
    "match_record_contact",
    "match_record_coordinated",
    "match_set_coordinator",
    "notice_record",
    "parent_key",
    "professionals_named",
    "regievoerder_add",
    "regievoerder_remove",
    "settings_for",
    "signal_register",
    "signal_register_idempotent",
    "signal_withdraw",
    "signals_register_bulk",
    "youth_deceased",
    "youth_key",
]
