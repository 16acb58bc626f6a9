"""User-scoped reads of the overleg: types, triage queue, meetings, cases and agreements.

Case content (reason, goal, discussion records, what was agreed) is returned only through the
policy (``overleg.*`` permissions, see :mod:`keten.overleg.rules`) and every such read is audited
with the family's pseudonym. Meeting data (overleg name, time, place) is not client data. A case
or agreement the actor may not see is :class:`NotFoundError` (404). The pages that must stay fast
(a meeting's agenda with its open agreements, "my agreements") run a fixed number of queries,
however many cases or agreements they show.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows, may_see_client_data
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except, display_name
from keten.core.smallcells import SMALL_CELL, suppress
from keten.dossiers.models import Dossier, Family
from keten.overleg.models import (
    AgendaItem,
    AgendaSource,
    AgendaState,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attendance,
    CalendarFeed,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)

# The row filters are stated beside their rules; importable from here as before.
from keten.overleg.rules import (  # noqa: F401
    agreement_owner_q,
    agreement_visibility_q,
    attendee_q,
    invited_membership_q,
    meeting_cases_q,
    meeting_visibility_q,
    registration_visibility_q,
    triage_q,
)


def _user_or_404(actor: Actor) -> Any:
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user


def audit_case_reads(actor: Actor, what: str, registrations: list[CaseRegistration], **details: Any) -> None:
    """One audit event per case read (one chain lock, one INSERT), with the family's pseudonym."""
    _audit_case_ids(actor, what, {r.pk: r.dossier.family.pseudonym for r in registrations}, **details)


def _audit_case_ids(actor: Actor, what: str, pseudonyms: dict[int, str], **details: Any) -> None:
    """``audit_case_reads`` for registration ids with their families' pseudonyms."""
    if not pseudonyms:
        return
    audit.record_many(
        actor=actor,
        entries=[
            audit.Entry(
                action=AuditAction.VIEW,
                object_type=f"overleg.{what}",
                object_id=pk,
                client_pseudonym=pseudonym,
                details=details,
            )
            for pk, pseudonym in pseudonyms.items()
        ],
    )


def audit_list_read(actor: Actor, what: str, registrations: list[CaseRegistration], **details: Any) -> None:
    """One audit event for a list that shows a little of many cases (as the dossier list does): the
    cases and the families' pseudonyms are in its details. Opening a case is audited per case."""
    _audit_list_ids(actor, what, {r.pk: r.dossier.family.pseudonym for r in registrations}, **details)


def _audit_list_ids(actor: Actor, what: str, pseudonyms: dict[int, str], **details: Any) -> None:
    """``audit_list_read`` for registration ids with their families' pseudonyms."""
    if not pseudonyms:
        return
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=f"overleg.{what}",
        details={**details, "registrations": sorted(pseudonyms), "clients": sorted(set(pseudonyms.values()))},
        clients=pseudonyms.values(),
    )


# --- overleg types ----------------------------------------------------------------------------


def overleg_types_for(*, actor: Actor, include_inactive: bool = False) -> QuerySet[OverlegType]:
    """The overleg types of the actor's municipality (set-up data, no client data)."""
    _user_or_404(actor)
    assert actor.membership is not None
    qs = OverlegType.objects.filter(municipality_id=actor.membership.organisation.municipality_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("lead_organisation", "chair", "convenant").order_by("name")


def overleg_type_get(*, actor: Actor, pk: int) -> OverlegType:
    overleg_type = overleg_types_for(actor=actor, include_inactive=True).filter(pk=pk).first()
    if overleg_type is None:
        raise NotFoundError
    return overleg_type


def process_steps(overleg_type: OverlegType) -> list[ProcessStep]:
    return list(overleg_type.steps.filter(is_active=True).order_by("order"))


def dossier_for_registration(*, actor: Actor, reference: str) -> Dossier:
    """A dossier the actor may register for an overleg (on its case team); NotFoundError otherwise."""
    user = _user_or_404(actor)
    dossier = Dossier.objects.select_related("family").filter(reference=reference).first()
    if dossier is None or not allows("overleg.register", user, dossier):
        raise NotFoundError
    return dossier


# --- registrations ----------------------------------------------------------------------------


def _registrations() -> QuerySet[CaseRegistration]:
    return CaseRegistration.objects.select_related(
        "overleg_type",
        "dossier__family",
        "process_step",
        "registered_by",
        "organisation",
        "casusregisseur",
    )


def registrations_visible_to(actor: Actor) -> QuerySet[CaseRegistration]:
    """Registrations whose content the actor may see (see :mod:`keten.overleg.rules`)."""
    if actor.user is None or actor.membership is None or not may_see_client_data(actor.user):
        return CaseRegistration.objects.none()
    return _registrations().filter(registration_visibility_q(actor.user))


def triage_queue(*, actor: Actor) -> list[CaseRegistration]:
    """Registrations waiting for the chair's decision, for the overleg types the actor chairs."""
    user = _user_or_404(actor)
    if not may_see_client_data(user):
        return []
    rows = list(
        _registrations()
        .filter(triage_q(user), status=RegistrationStatus.AANGEMELD)
        .prefetch_related("invited_organisations")
        .order_by("registered_at")[:200]
    )
    audit_list_read(actor, "triage_queue", rows)
    return rows


def my_registrations(*, actor: Actor, open_only: bool = False) -> list[CaseRegistration]:
    """The registrations the actor made."""
    user = _user_or_404(actor)
    if not may_see_client_data(user):
        return []
    qs = _registrations().filter(registered_by=user)
    if open_only:
        qs = qs.filter(status__in=(RegistrationStatus.AANGEMELD, RegistrationStatus.TOEGELATEN))
    rows = list(qs.order_by("-registered_at")[:200])
    audit_list_read(actor, "my_registrations", rows)
    return rows


def registration_get(*, actor: Actor, pk: int, audit_read: bool = True) -> CaseRegistration:
    """One registration the actor may see, or NotFoundError. The read is audited."""
    user = _user_or_404(actor)
    registration = _registrations().filter(pk=pk).first()
    if registration is None or not allows("overleg.view_registration", user, registration):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "registration", [registration])
    return registration


def registration_for_triage(*, actor: Actor, pk: int, audit_read: bool = True) -> CaseRegistration:
    """A registration the actor may triage (the chair); NotFoundError otherwise. The read is audited."""
    user = _user_or_404(actor)
    registration = _registrations().filter(pk=pk).first()
    if registration is None or not allows("overleg.triage", user, registration):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "registration", [registration])
    return registration


@dataclass
class RegistrationDetail:
    registration: CaseRegistration
    agenda: list[AgendaItem]
    discussion: list[DiscussionEntry]
    agreements: list[Agreement]
    can_triage: bool
    can_close: bool


def registration_detail(*, actor: Actor, pk: int) -> RegistrationDetail:
    """A case with its agenda history, discussion records and agreements (fixed number of queries)."""
    registration = registration_get(actor=actor, pk=pk)
    agenda = list(
        AgendaItem.objects.filter(registration=registration)
        .select_related("meeting", "meeting__overleg_type")
        .order_by("meeting__starts_at", "id")
    )
    discussion = list(
        DiscussionEntry.objects.filter(agenda_item__registration=registration)
        .select_related("author", "organisation", "agenda_item__meeting")
        .order_by("created_at", "id")
    )
    agreements = list(
        Agreement.objects.filter(registration=registration)
        .select_related("owner_user", "owner_organisation", "agenda_item__meeting")
        .order_by("status", "due_on", "id")
    )
    user = actor.user
    return RegistrationDetail(
        registration=registration,
        agenda=agenda,
        discussion=discussion,
        agreements=agreements,
        can_triage=allows("overleg.triage", user, registration),
        can_close=allows("overleg.close_registration", user, registration),
    )


# --- meetings ---------------------------------------------------------------------------------


def meetings_for(
    *,
    actor: Actor,
    overleg_type: OverlegType | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: tuple[str, ...] | None = None,
) -> QuerySet[Meeting]:
    """Meetings the actor may see (chair, on the list, or member organisation); calendar data only."""
    user = _user_or_404(actor)
    qs = Meeting.objects.filter(meeting_visibility_q(user)).distinct()
    if overleg_type is not None:
        qs = qs.filter(overleg_type=overleg_type)
    if start is not None:
        qs = qs.filter(starts_at__gte=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs.select_related("overleg_type").order_by("starts_at")


def upcoming_meetings(*, overleg_type: OverlegType, limit: int = 12) -> list[Meeting]:
    """Planned meetings of an overleg that are still to come (to choose from in triage)."""
    return list(
        Meeting.objects.filter(overleg_type=overleg_type, status=MeetingStatus.PLANNED, ends_at__gt=timezone.now())
        .select_related("overleg_type")
        .order_by("starts_at")[:limit]
    )


def meeting_get(*, actor: Actor, pk: int) -> Meeting:
    """A meeting the actor may see (no case content); NotFoundError otherwise."""
    user = _user_or_404(actor)
    meeting = Meeting.objects.select_related("overleg_type", "overleg_type__chair").filter(pk=pk).first()
    if meeting is None or not allows("overleg.view_meeting", user, meeting):
        raise NotFoundError
    return meeting


def meeting_for_management(*, actor: Actor, pk: int) -> Meeting:
    user = _user_or_404(actor)
    meeting = Meeting.objects.select_related("overleg_type", "overleg_type__chair").filter(pk=pk).first()
    if meeting is None or not allows("overleg.manage_meeting", user, meeting):
        raise NotFoundError
    return meeting


def attendee_candidates(*, actor: Actor, meeting: Meeting, limit: int = 1000) -> list[User]:
    """Invited participants (:func:`keten.overleg.rules.invited_membership_q`) not yet on the meeting's
    list, for its chair: the only people the deelnemerslijst accepts."""
    user = _user_or_404(actor)
    if not allows("overleg.manage_meeting", user, meeting):
        raise NotFoundError
    invited = Membership.objects.filter(invited_membership_q(meeting.overleg_type)).values("user_id")
    return list(
        User.objects.filter(pk__in=invited)
        .exclude(overleg_attendances__meeting=meeting)
        .order_by("first_name", "last_name", "username")[:limit]
    )


def agenda_item_get(
    *, actor: Actor, pk: int, permission: str = "overleg.record_discussion", audit_read: bool = True
) -> AgendaItem:
    """An agenda item the actor may act on (record discussion / agreements); NotFoundError otherwise.
    The read of its case is audited."""
    user = _user_or_404(actor)
    item = (
        AgendaItem.objects.select_related(
            "meeting",
            "meeting__overleg_type",
            "registration",
            "registration__overleg_type",
            "registration__dossier__family",
        )
        .filter(pk=pk)
        .first()
    )
    if item is None or not allows(permission, user, item if permission != "overleg.manage_meeting" else item.meeting):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "agenda_item", [item.registration], meeting=item.meeting_id)
    return item


@dataclass
class AgendaRow:
    item: AgendaItem
    registration: CaseRegistration
    open_agreements: list[Agreement]
    discussion: list[DiscussionEntry]


@dataclass
class MeetingPage:
    meeting: Meeting
    attendances: list[Attendance]
    rows: list[AgendaRow]
    hidden: int
    can_manage: bool
    can_record: bool
    extra: dict[str, Any] = field(default_factory=dict)


#: The registration's own texts, which the meeting page and the minutes do not show.
_CASE_TEXTS = (
    "registration__reason",
    "registration__goal",
    "registration__criteria",
    "registration__family_not_informed_reason",
)


def meeting_page(*, actor: Actor, pk: int, with_case_texts: bool = True) -> MeetingPage:
    """A meeting with its attendance list and, for each case the actor may see, its open agreements
    and discussion records.

    Attendees (not recorded absent) and the chair see every case on the agenda; anyone else who
    may see the meeting sees only the cases they registered or coordinate (so the minutes of a
    meeting never show a case the reader may not see). A fixed number of queries, whatever the
    number of cases; each case shown is audited. ``with_case_texts=False`` leaves the registration's
    reason, goal and criteria unread (the page and the minutes do not show them).
    """
    user = _user_or_404(actor)
    meeting = Meeting.objects.select_related("overleg_type").filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError
    attendances = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user", "organisation")
        .defer(*defer_except("user", User, USER_NAMES), *defer_except("organisation", Organisation, ORGANISATION_NAME))
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    items = list(
        AgendaItem.objects.filter(meeting=meeting, state=AgendaState.ON_AGENDA)
        .select_related(
            "registration",
            "registration__overleg_type",
            "registration__dossier__family",
            "registration__process_step",
            "registration__casusregisseur",
            "registration__registered_by",
            "registration__organisation",
        )
        # Closing notes of a case are not part of the meeting page, nor the dossier's summary or the
        # family's address: not read or decrypted here; of the people and organisations only names.
        .defer(
            "registration__decline_reason",
            "registration__close_reason",
            "registration__follow_up",
            *(() if with_case_texts else _CASE_TEXTS),
            *defer_except("registration__dossier", Dossier, ("reference", "status")),
            *defer_except("registration__dossier__family", Family, ("name", "pseudonym")),
            *defer_except("registration__casusregisseur", User, USER_NAMES),
            *defer_except("registration__registered_by", User, USER_NAMES),
            *defer_except("registration__organisation", Organisation, ORGANISATION_NAME),
        )
        .order_by("order", "id")
    )
    seen = _visible(user, meeting, {a.user_id: a.present for a in attendances}, [i.registration for i in items])
    shown_ids = {r.pk for r in seen.visible}
    visible = [i for i in items if i.registration_id in shown_ids]
    reg_ids = [i.registration_id for i in visible]
    by_id = {i.registration_id: i.registration for i in visible}
    agreements: dict[int, list[Agreement]] = defaultdict(list)
    discussion: dict[int, list[DiscussionEntry]] = defaultdict(list)
    if reg_ids:
        for agreement in (
            Agreement.objects.filter(registration_id__in=reg_ids, status=AgreementStatus.OPEN)
            .select_related("owner_user", "owner_organisation", "agenda_item")
            .defer(
                "result",  # open agreements have no result yet
                *defer_except("owner_user", User, USER_NAMES),
                *defer_except("owner_organisation", Organisation, ORGANISATION_NAME),
            )
            .order_by("due_on", "id")
        ):
            agreement.registration = by_id[agreement.registration_id]
            agreements[agreement.registration_id].append(agreement)
        for entry in (
            DiscussionEntry.objects.filter(agenda_item_id__in=[i.pk for i in visible])
            .select_related("author", "organisation")
            .defer(
                *defer_except("author", User, USER_NAMES),
                *defer_except("organisation", Organisation, ORGANISATION_NAME),
            )
            .order_by("created_at", "id")
        ):
            discussion[entry.agenda_item_id].append(entry)
    rows = [AgendaRow(i, i.registration, agreements[i.registration_id], discussion[i.pk]) for i in visible]
    audit_case_reads(actor, "meeting_case", [r.registration for r in rows], meeting=meeting.pk)
    return MeetingPage(
        meeting=meeting,
        attendances=attendances,
        rows=rows,
        hidden=len(items) - len(visible),
        can_manage=seen.can_manage,
        can_record=seen.can_record,
    )


def _short(text: str, limit: int = 120) -> str:
    """An agreement in at most ``limit`` characters, as the ``truncatechars`` filter shortens it."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(slots=True)
class AgreementLine:
    """An open agreement as the meeting page lists it."""

    pk: int
    what: str
    owner: str
    due_on: dt.date
    #: Filled in by the view.
    url: str = ""

    @property
    def what_short(self) -> str:
        return _short(self.what)


@dataclass(slots=True)
class AgendaLine:
    """One case on the meeting page: names and counts only, no case texts."""

    item_id: int
    registration_id: int
    source: str
    family_name: str
    step_name: str | None
    casusregisseur: str | None
    discussions: int
    open_agreements: list[AgreementLine]
    #: For the audit trail only; the page does not show it.
    pseudonym: str = ""
    registered_by_id: int | None = None
    casusregisseur_id: int | None = None


@dataclass(slots=True)
class AttendanceLine:
    user_id: int
    name: str
    organisation: str
    present: bool | None


@dataclass(slots=True)
class MeetingAgenda:
    meeting: Meeting
    attendances: list[AttendanceLine]
    rows: list[AgendaLine]
    hidden: int
    can_manage: bool
    can_record: bool


@dataclass(slots=True)
class _Visibility:
    visible: list[Any]
    can_manage: bool
    can_record: bool


def _visible(user: Any, meeting: Meeting, attendee_ids: dict[int, bool | None], items: list[Any]) -> _Visibility:
    """Which agenda items the user sees on a meeting's page, and whether they chair it or may record.

    Attendees (not recorded absent) and the chair see every case on the agenda; anyone else with a
    case role sees only the cases they registered or coordinate. ``items`` need ``registered_by_id``
    and ``casusregisseur_id``. NotFoundError when the user may not see the meeting at all.
    """
    case_role = may_see_client_data(user)
    is_chair = meeting.overleg_type.chair_id == user.pk
    attends = user.pk in attendee_ids and attendee_ids[user.pk] is not False
    sees_all = case_role and (is_chair or attends)
    if sees_all:
        visible = items
    elif case_role:
        visible = [i for i in items if user.pk in (i.registered_by_id, i.casusregisseur_id)]
    else:
        visible = []
    if not visible and not (is_chair or attends or allows("overleg.view_meeting", user, meeting)):
        raise NotFoundError
    return _Visibility(
        visible=visible,
        can_manage=case_role and is_chair,
        can_record=sees_all and meeting.status != MeetingStatus.CANCELLED,
    )


def meeting_agenda(*, actor: Actor, pk: int) -> MeetingAgenda:
    """The meeting page: the list of people, and per visible case the names, the number of
    discussion records and the open agreements, read as plain rows (no model instances, no case
    texts). Six queries whatever the number of cases; each case shown is audited.

    The same visibility as :func:`meeting_page`, which the API and the minutes use.
    """
    user = _user_or_404(actor)
    meeting = Meeting.objects.select_related("overleg_type").filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError
    attendances = [
        AttendanceLine(row[0], display_name(row[1], row[2], row[3]), row[4] or "", row[5])
        for row in Attendance.objects.filter(meeting=meeting)
        .order_by("organisation__name", "user__last_name", "user__first_name")
        .values_list(
            "user_id", "user__first_name", "user__last_name", "user__username", "organisation__name", "present"
        )
    ]
    sources = dict(AgendaSource.choices)
    # Four joins only: the registration, its dossier's family, the process step and the regisseur.
    items = [
        AgendaLine(
            item_id=row["id"],
            registration_id=row["registration_id"],
            source=str(sources.get(row["source"], row["source"])),
            family_name=row["registration__dossier__family__name"],
            step_name=row["registration__process_step__name"],
            casusregisseur=display_name(
                row["registration__casusregisseur__first_name"],
                row["registration__casusregisseur__last_name"],
                row["registration__casusregisseur__username"],
            )
            if row["registration__casusregisseur_id"]
            else None,
            discussions=0,
            open_agreements=[],
            pseudonym=row["registration__dossier__family__pseudonym"],
            registered_by_id=row["registration__registered_by_id"],
            casusregisseur_id=row["registration__casusregisseur_id"],
        )
        for row in AgendaItem.objects.filter(meeting=meeting, state=AgendaState.ON_AGENDA)
        .order_by("order", "id")
        .values(
            "id",
            "registration_id",
            "source",
            "registration__dossier__family__name",
            "registration__dossier__family__pseudonym",
            "registration__process_step__name",
            "registration__casusregisseur_id",
            "registration__casusregisseur__first_name",
            "registration__casusregisseur__last_name",
            "registration__casusregisseur__username",
            "registration__registered_by_id",
        )
    ]
    seen = _visible(user, meeting, {a.user_id: a.present for a in attendances}, items)
    visible = seen.visible
    if visible:
        by_registration = {line.registration_id: line for line in visible}
        for row in (
            Agreement.objects.filter(registration_id__in=list(by_registration), status=AgreementStatus.OPEN)
            .order_by("due_on", "id")
            .values_list(
                "id",
                "registration_id",
                "what",
                "due_on",
                "owner_user_id",
                "owner_user__first_name",
                "owner_user__last_name",
                "owner_user__username",
                "owner_organisation__name",
            )
        ):
            owner = display_name(row[5], row[6], row[7]) if row[4] else (row[8] or "")
            by_registration[row[1]].open_agreements.append(AgreementLine(row[0], row[2], owner, row[3]))
        by_item = {line.item_id: line for line in visible}
        for item_id, n in (
            DiscussionEntry.objects.filter(agenda_item_id__in=list(by_item))
            .values("agenda_item_id")
            .annotate(n=Count("id"))
            .values_list("agenda_item_id", "n")
        ):
            by_item[item_id].discussions = n
    _audit_case_ids(actor, "meeting_case", {line.registration_id: line.pseudonym for line in visible}, meeting=pk)
    return MeetingAgenda(
        meeting=meeting,
        attendances=attendances,
        rows=visible,
        hidden=len(items) - len(visible),
        can_manage=seen.can_manage,
        can_record=seen.can_record,
    )


# --- agreements -------------------------------------------------------------------------------


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "registration",
        "registration__overleg_type",
        "registration__dossier__family",
        "owner_user",
        "owner_organisation",
        "agenda_item__meeting",
    )


#: What an agreements list shows (and audits): the agreement, its overleg and meeting, the owner's
#: name, the family's name, pseudonym and dossier — not the case's encrypted reason, goal and closing notes, whose
#: decryption would cost more than the rest of the list together.
_LIST_FIELDS = (
    "id",
    "registration",
    "agenda_item",
    "owner_user",
    "owner_organisation",
    "what",
    "due_on",
    "status",
    "result",
    "closed_at",
    "created_at",
    "version",
    "registration__overleg_type",
    "registration__overleg_type__name",
    "registration__status",
    "registration__dossier",
    "registration__dossier__family",
    "registration__dossier__family__pseudonym",
    "registration__dossier__family__name",
    "registration__dossier__reference",
    "agenda_item__meeting",
    "agenda_item__meeting__starts_at",
    "agenda_item__meeting__status",
    "owner_user__first_name",
    "owner_user__last_name",
    "owner_user__username",
    "owner_organisation__name",
)


def _agreement_list() -> QuerySet[Agreement]:
    return _agreements().only(*_LIST_FIELDS)


def _agreement_rows(qs: QuerySet[Agreement], limit: int, offset: int = 0) -> list[Agreement]:
    """The ids first (through the owner/status/due-date indexes), then those rows with their overleg,
    meeting, owner and family by primary key: the joins touch only the rows shown, however many
    agreements two years of meetings leave behind."""
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    by_id = {a.pk: a for a in _agreement_list().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids]


@dataclass(slots=True)
class AgreementListLine:
    """An agreement as the "my agreements" lists show it: names and dates, no case texts."""

    pk: int
    what: str
    family_name: str
    overleg: str
    owner: str
    due_on: dt.date
    status: str
    #: For the audit trail only.
    registration_id: int
    pseudonym: str
    #: Filled in by the view.
    url: str = ""

    @property
    def what_short(self) -> str:
        return _short(self.what)

    @property
    def is_open(self) -> bool:
        return self.status == AgreementStatus.OPEN

    @property
    def status_display(self) -> str:
        return str(AgreementStatus(self.status).label)


def _agreement_lines(qs: QuerySet[Agreement], limit: int, offset: int = 0) -> list[AgreementListLine]:
    """As :func:`_agreement_rows` (ids first, then the rows shown by primary key), as plain lines."""
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    if not ids:
        return []
    by_id = {
        row[0]: AgreementListLine(
            pk=row[0],
            what=row[1],
            family_name=row[9],
            overleg=row[11],
            owner=display_name(row[5], row[6], row[7]) if row[4] else (row[8] or ""),
            due_on=row[2],
            status=row[3],
            registration_id=row[12],
            pseudonym=row[10],
        )
        for row in Agreement.objects.filter(pk__in=ids).values_list(
            "id",
            "what",
            "due_on",
            "status",
            "owner_user_id",
            "owner_user__first_name",
            "owner_user__last_name",
            "owner_user__username",
            "owner_organisation__name",
            "registration__dossier__family__name",
            "registration__dossier__family__pseudonym",
            "registration__overleg_type__name",
            "registration_id",
        )
    }
    return [by_id[pk] for pk in ids]


def _owner_q(actor: Actor) -> Q:
    """The agreements the actor owns (:func:`keten.overleg.rules.agreement_owner_q`)."""
    return agreement_owner_q(actor.user)


def my_agreements(*, actor: Actor, include_closed: bool = False, limit: int = 200) -> list[Agreement]:
    """Agreements the actor owns, as a person or through their organisation, across all meetings.

    Open ones first by due date. Two queries plus the audit insert, however many there are.
    """
    user = _user_or_404(actor)
    if not may_see_client_data(user):
        return []
    qs = _agreement_list().filter(_owner_q(actor))
    if not include_closed:
        qs = qs.filter(status=AgreementStatus.OPEN)
    rows = _agreement_rows(qs.order_by("status", "due_on", "id"), limit)
    audit_list_read(actor, "my_agreements", [a.registration for a in rows])
    return rows


@dataclass
class AgreementsPage:
    """One page of the actor's open agreements, with counts over all of them."""

    rows: list[AgreementListLine]
    total: int
    overdue: int
    number: int


def my_agreements_page(
    *, actor: Actor, page: int = 1, page_size: int = 25, today: dt.date | None = None
) -> AgreementsPage:
    """The actor's open agreements (as a person or through their organisation), earliest due first,
    one page at a time (clamped to the last page), with the number of open and of overdue ones.

    Three queries plus the audit insert, whatever the number of agreements; the audit event names the
    cases of the rows shown.
    """
    user = _user_or_404(actor)
    if not may_see_client_data(user):
        return AgreementsPage(rows=[], total=0, overdue=0, number=1)
    today = today or timezone.localdate()
    qs = Agreement.objects.filter(_owner_q(actor), status=AgreementStatus.OPEN)
    counts = qs.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    pages = max(1, -(-counts["total"] // page_size))
    number = min(max(1, page), pages)
    rows = _agreement_lines(qs.order_by("due_on", "id"), page_size, (number - 1) * page_size)
    _audit_list_ids(actor, "my_agreements", {a.registration_id: a.pseudonym for a in rows}, page=number)
    return AgreementsPage(rows=rows, total=counts["total"], overdue=counts["overdue"], number=number)


def _overdue(actor: Actor, today: dt.date | None, others_only: bool) -> QuerySet[Agreement]:
    user = _user_or_404(actor)
    today = today or timezone.localdate()
    chaired = Q(registration__overleg_type__chair=user)
    scope = chaired & ~_owner_q(actor) if others_only else _owner_q(actor) | chaired
    return (
        Agreement.objects.filter(scope).filter(status=AgreementStatus.OPEN, due_on__lt=today).order_by("due_on", "id")
    )


def overdue_agreements(
    *, actor: Actor, today: dt.date | None = None, limit: int = 200, others_only: bool = False
) -> list[Agreement]:
    """Open agreements past their due date that the actor owns, or of the overleg types the actor chairs.

    ``others_only``: only those of overleg types the actor chairs that the actor does not own.
    """
    if not may_see_client_data(_user_or_404(actor)):
        return []
    rows = _agreement_rows(_overdue(actor, today, others_only), limit)
    audit_list_read(actor, "overdue_agreements", [a.registration for a in rows])
    return rows


def overdue_agreement_lines(
    *, actor: Actor, today: dt.date | None = None, limit: int = 200, others_only: bool = False
) -> list[AgreementListLine]:
    """:func:`overdue_agreements` as plain lines, for the "my agreements" page."""
    if not may_see_client_data(_user_or_404(actor)):
        return []
    rows = _agreement_lines(_overdue(actor, today, others_only), limit)
    _audit_list_ids(actor, "overdue_agreements", {a.registration_id: a.pseudonym for a in rows})
    return rows


def agreement_get(*, actor: Actor, pk: int, audit_read: bool = True) -> Agreement:
    """One agreement the actor may see (owner, or sees its case), or NotFoundError. Audited."""
    user = _user_or_404(actor)
    agreement = _agreements().filter(pk=pk).first()
    if agreement is None or not allows("overleg.view_agreement", user, agreement):
        raise NotFoundError
    if audit_read:
        audit_case_reads(actor, "agreement", [agreement.registration], agreement=agreement.pk)
    return agreement


def agreement_versions(agreement: Agreement) -> list[AgreementVersion]:
    """The history of an agreement (from :func:`agreement_get`), oldest first."""
    return list(agreement.versions.select_related("changed_by").order_by("version"))


def agreements_visible_to(actor: Actor) -> QuerySet[Agreement]:
    """Agreements the actor owns or whose case the actor may see (for lists and the API)."""
    if actor.user is None or actor.membership is None or not may_see_client_data(actor.user):
        return Agreement.objects.none()
    return _agreements().filter(agreement_visibility_q(actor.user))


# --- municipality figures (aggregates only) ---------------------------------------------------


def municipality_aggregates(*, actor: Actor, since: dt.date | None = None) -> list[dict[str, Any]]:
    """Per overleg of the actor's municipality: cases registered and admitted, days from registration
    to first discussion (median), agreements made / done on time / overdue, open cases per process
    step. Counts only — no name, reference or text. Cells under 5 are hidden, and so are the cells
    that would give a hidden one away by subtraction (:mod:`keten.core.smallcells`): per overleg the
    admitted cases are the running cases per step plus the closed ones, and the agreements made are
    those done on time, done late, open and (not shown, rare) cancelled."""
    user = _user_or_404(actor)
    if not allows("core.view_aggregates", user):
        raise NotFoundError
    assert actor.membership is not None
    today = timezone.localdate()
    types = list(
        OverlegType.objects.filter(municipality_id=actor.membership.organisation.municipality_id).order_by("name")
    )
    type_ids = [t.pk for t in types]
    regs = CaseRegistration.objects.filter(overleg_type_id__in=type_ids)
    agrs = Agreement.objects.filter(registration__overleg_type_id__in=type_ids)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        regs = regs.filter(registered_at__gte=start)
        agrs = agrs.filter(created_at__gte=start)
    reg_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in regs.values("overleg_type_id", "status").annotate(n=Count("pk")).order_by():
        reg_counts[row["overleg_type_id"]][row["status"]] = row["n"]
    agr_counts = {
        row["registration__overleg_type_id"]: row
        for row in agrs.values("registration__overleg_type_id")
        .annotate(
            made=Count("pk"),
            done_on_time=Count("pk", filter=Q(status=AgreementStatus.DONE, closed_at__date__lte=F("due_on"))),
            done_late=Count("pk", filter=Q(status=AgreementStatus.DONE, closed_at__date__gt=F("due_on"))),
            overdue=Count("pk", filter=Q(status=AgreementStatus.OPEN, due_on__lt=today)),
            open=Count("pk", filter=Q(status=AgreementStatus.OPEN)),
        )
        .order_by()
    }
    lead_days: dict[int, list[float]] = defaultdict(list)
    for type_id, registered_at, first in regs.filter(first_discussed_at__isnull=False).values_list(
        "overleg_type_id", "registered_at", "first_discussed_at"
    ):
        if first is not None:
            lead_days[type_id].append(max((first - registered_at).total_seconds() / 86400, 0.0))
    per_step: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for step_row in (
        regs.filter(status=RegistrationStatus.TOEGELATEN)
        .values("overleg_type_id", "process_step__order", "process_step__name")
        .annotate(n=Count("pk"))
        .order_by("overleg_type_id", "process_step__order")
    ):
        per_step[step_row["overleg_type_id"]].append((step_row["process_step__name"] or "—", step_row["n"]))
    result = []
    for t in types:
        counts = reg_counts.get(t.pk, {})
        agr: dict[str, Any] = dict(agr_counts.get(t.pk, {}))
        steps = per_step.get(t.pk, [])
        raw: dict[Any, int] = {
            "registered": sum(counts.values()),
            "admitted": counts.get(RegistrationStatus.TOEGELATEN, 0) + counts.get(RegistrationStatus.AFGESLOTEN, 0),
            "declined": counts.get(RegistrationStatus.AFGEWEZEN, 0),
            "closed": counts.get(RegistrationStatus.AFGESLOTEN, 0),
            **{
                f"agreements_{key}": int(agr.get(key, 0))
                for key in ("made", "done_on_time", "done_late", "overdue", "open")
            },
            **{("step", i): int(n) for i, (_name, n) in enumerate(steps)},
        }
        shown = suppress(
            raw,
            [
                [*(("step", i) for i in range(len(steps))), "closed", "admitted"],
                ["agreements_done_on_time", "agreements_done_late", "agreements_open", "agreements_made"],
            ],
        )
        days = lead_days.get(t.pk, [])
        result.append(
            {
                "overleg": t.name,
                "kind": t.get_kind_display(),
                **{key: value for key, value in shown.items() if isinstance(key, str)},
                "median_days_to_first_discussion": round(statistics.median(days), 1)
                if len(days) >= SMALL_CELL
                else None,
                "cases_per_step": [{"step": name, "open": shown[("step", i)]} for i, (name, _n) in enumerate(steps)],
            }
        )
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="overleg.aggregates")
    return result


def attending_meeting_ids(user: Any, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, the ones where the user is on the list and not recorded absent."""
    return set(
        Attendance.objects.filter(attendee_q(user.pk), meeting_id__in=meeting_ids).values_list("meeting_id", flat=True)
    )


def calendar_meetings(*, actor: Actor, days_back: int = 30, days_ahead: int = 120) -> list[Meeting]:
    """The meetings for the actor's calendar export (calendar data only, see :mod:`keten.overleg.ical`)."""
    now = timezone.now()
    return list(
        meetings_for(actor=actor, start=now - dt.timedelta(days=days_back), end=now + dt.timedelta(days=days_ahead))
    )


#: A token longer than this is not one Keten made (``secrets.token_urlsafe(32)`` gives 43 characters).
MAX_FEED_TOKEN = 100


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active calendar subscription of this token, for an active user; None otherwise.

    Looked up by the token's hash: the token itself is never stored.
    """
    if not token or len(token) > MAX_FEED_TOKEN:
        return None
    return (
        CalendarFeed.objects.filter(
            token_hash=CalendarFeed.hash_token(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )


def calendar_feed_active(*, actor: Actor) -> CalendarFeed | None:
    """The actor's own active calendar subscription (dates only, never the token)."""
    if actor.user is None:
        return None
    return CalendarFeed.objects.filter(user=actor.user, revoked_at__isnull=True).first()
