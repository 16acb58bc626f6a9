"""Overleg en afspraken: case conferences, their agendas, discussion records and agreements.

An :class:`OverlegType` is a standing conference of a municipality (an afstemmingsoverleg
straf–zorg, an MDA++ triage, a wijk-casusoverleg, an MDO) with member organisations, a chair, a
recurrence and the process steps by which cases are admitted. A professional registers a case
(:class:`CaseRegistration`) from a dossier; the chair's triage admits it onto a :class:`Meeting`'s
agenda or declines it. At a meeting each case gets a discussion record and :class:`Agreement` s —
who does what by when.

History is appended, never edited: agenda changes are :class:`AgendaEvent` rows, discussion
records are :class:`DiscussionEntry` rows (a correction is a new entry), and every change of an
agreement is an :class:`AgreementVersion` row. Case content (reason, goal, notes, what was agreed)
is encrypted at rest; the plain columns (dates, statuses, steps) hold no client data and feed the
municipality's aggregate figures.

One module per part of the overleg; every model is importable from ``keten.overleg.models``.
"""

from keten.overleg.models.agreements import Agreement, AgreementStatus, AgreementVersion
from keten.overleg.models.base import AppendOnlyError
from keten.overleg.models.calendar import CalendarFeed
from keten.overleg.models.discussions import DiscussionEntry
from keten.overleg.models.meetings import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Attendance,
    Meeting,
    MeetingStatus,
)
from keten.overleg.models.registrations import CaseRegistration, RegistrationStatus
from keten.overleg.models.types import OverlegKind, OverlegType, ProcessStep

__all__ = [
    "AgendaEvent",
    "AgendaItem",
    "AgendaSource",
    "AgendaState",
    "Agreement",
    "AgreementStatus",
    "AgreementVersion",
    "AppendOnlyError",
    "Attendance",
    "CalendarFeed",
    "CaseRegistration",
    "DiscussionEntry",
    "Meeting",
    "MeetingStatus",
    "OverlegKind",
    "OverlegType",
    "ProcessStep",
    "RegistrationStatus",
]
