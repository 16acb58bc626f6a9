"""The verwijsindex: *that* a professional is involved with a young person, and the matches it makes.

The index tables (:class:`Youth`, :class:`ParentKey`, :class:`ParentLink`, :class:`Signal`,
:class:`Match`, :class:`MatchParticipant`) hold no BSN (only a keyed HMAC), no risk category and no
free text about the young person. The risk category and the motivation of a postponed notice live
in the registering professional's own record (:class:`SignalRecord`), encrypted and visible to that
professional only. Names and date of birth of the young person are kept encrypted for display to
the professionals of a match, who each already know their own client.
"""

from keten.verwijsindex.models.delivery import FeedEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription
from keten.verwijsindex.models.index import (
    YOUTH_PSEUDONYM_LENGTH,
    EndReason,
    ParentKey,
    ParentLink,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
    youth_pseudonym,
)
from keten.verwijsindex.models.matches import LIVE_STATUSES, Match, MatchEvent, MatchKind, MatchParticipant, MatchStatus
from keten.verwijsindex.models.settings import IndexSettings, Regievoerder

__all__ = [
    "LIVE_STATUSES",
    "YOUTH_PSEUDONYM_LENGTH",
    "EndReason",
    "FeedEvent",
    "IndexSettings",
    "Match",
    "MatchEvent",
    "MatchKind",
    "MatchParticipant",
    "MatchStatus",
    "ParentKey",
    "ParentLink",
    "Regievoerder",
    "Signal",
    "SignalRecord",
    "SignalStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
    "Youth",
    "youth_pseudonym",
]
