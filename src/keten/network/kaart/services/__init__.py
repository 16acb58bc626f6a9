"""Writes of the sociale kaart: entries and their editors, postcode ranges, agreements, contact requests, reminders.

Each function is one use case in one transaction with its audit event inside that transaction; a
failed call changes nothing. Notifications go out after the commit.
"""

from keten.network.kaart.services.agreements import AgreementData, agreement_create, agreement_end, agreement_update
from keten.network.kaart.services.contact_requests import contact_request_create
from keten.network.kaart.services.entries import (
    EntryData,
    check_entry,
    entry_confirm,
    entry_editor_add,
    entry_editor_remove,
    entry_update,
)
from keten.network.kaart.services.postcode_ranges import postcode_range_create, postcode_range_delete
from keten.network.kaart.services.reminders import EntryReminder, entry_reminders_send

__all__ = [
    "AgreementData",
    "EntryData",
    "EntryReminder",
    "agreement_create",
    "agreement_end",
    "agreement_update",
    "check_entry",
    "contact_request_create",
    "entry_confirm",
    "entry_editor_add",
    "entry_editor_remove",
    "entry_reminders_send",
    "entry_update",
    "postcode_range_create",
    "postcode_range_delete",
]
