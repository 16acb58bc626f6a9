"""Reads of meetings: the calendar data of the meetings the actor may see, the attendance list and a
meeting's agenda with the cases the actor may see.

Meeting data (overleg name, time, place) is not client data. The meeting page must stay fast: it
runs a fixed number of queries however many cases it shows, and audits each case shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows, may_see_client_data
from keten.core.queries import ORGANISATION_NAME, USER_NAMES, defer_except, display_name
from keten.dossiers.models import Dossier, Family
from keten.overleg.models import (
    AgendaItem,
    AgendaSource,
    AgendaState,
    Agreement,
    AgreementStatus,
    Attendance,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
)
from keten.overleg.rules import (
    attendee_q,
    invited_membership_q,
    meeting_visibility_q,
)
from keten.overleg.selectors import (
    acting_user,
    audit_case_ids,
    audit_case_reads,
    shorten,
)


def meetings_for(
    *,
    actor: Actor,
    overleg_type: OverlegType | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: tuple[str, ...] | None = None,
) -> QuerySet[Meeting]:
    """Meetings the actor may see (chair, on the list, or member organisation); calendar data only."""
    user = acting_user(actor)
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


def meetings_attended(*, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[Meeting]:
    """The planned meetings between ``start`` and ``end`` that the actor chairs or is on the list of
    (not recorded absent), earliest first; calendar data only, one query."""
    user = acting_user(actor)
    attending = Attendance.objects.filter(attendee_q(user.pk)).values("meeting_id")
    return list(
        Meeting.objects.filter(Q(overleg_type__chair_id=user.pk) | Q(pk__in=attending))
        .filter(starts_at__gte=start, starts_at__lt=end, status=MeetingStatus.PLANNED)
        .select_related("overleg_type")
        .only("pk", "starts_at", "ends_at", "location", "status", "overleg_type__name")
        .order_by("starts_at", "pk")
    )


def upcoming_meetings(*, overleg_type: OverlegType, limit: int = 12) -> list[Meeting]:
    """Planned meetings of an overleg that are still to come (to choose from in triage)."""
    return list(
        Meeting.objects.filter(overleg_type=overleg_type, status=MeetingStatus.PLANNED, ends_at__gt=timezone.now())
        .select_related("overleg_type")
        .order_by("starts_at")[:limit]
    )


def visible_meeting_ids(*, actor: Actor, meetings: list[Meeting]) -> set[int]:
    """Of these meetings, the ones the actor may open (:func:`meeting_get` answers): to link only those."""
    if not meetings:
        return set()
    user = acting_user(actor)
    return set(
        Meeting.objects.filter(meeting_visibility_q(user), pk__in=[m.pk for m in meetings]).values_list("pk", flat=True)
    )


def meeting_of_overleg(*, pk: int, overleg_type_id: int) -> Meeting | None:
    """A meeting of this overleg (to admit a case onto), or None; the caller checks the triage rule."""
    return Meeting.objects.select_related("overleg_type").filter(pk=pk, overleg_type_id=overleg_type_id).first()


def meeting_get(*, actor: Actor, pk: int) -> Meeting:
    """A meeting the actor may see (no case content); NotFoundError otherwise."""
    user = acting_user(actor)
    meeting = Meeting.objects.select_related("overleg_type", "overleg_type__chair").filter(pk=pk).first()
    if meeting is None or not allows("overleg.view_meeting", user, meeting):
        raise NotFoundError
    return meeting


def meeting_for_management(*, actor: Actor, pk: int) -> Meeting:
    user = acting_user(actor)
    meeting = Meeting.objects.select_related("overleg_type", "overleg_type__chair").filter(pk=pk).first()
    if meeting is None or not allows("overleg.manage_meeting", user, meeting):
        raise NotFoundError
    return meeting


def attendee_candidates(*, actor: Actor, meeting: Meeting, limit: int = 1000) -> list[User]:
    """Invited participants (:func:`keten.overleg.rules.invited_membership_q`) not yet on the meeting's
    list, for its chair: the only people the deelnemerslijst accepts."""
    user = acting_user(actor)
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
    user = acting_user(actor)
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
    user = acting_user(actor)
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
        return shorten(self.what)


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
    user = acting_user(actor)
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
    audit_case_ids(actor, "meeting_case", {line.registration_id: line.pseudonym for line in visible}, meeting=pk)
    return MeetingAgenda(
        meeting=meeting,
        attendances=attendances,
        rows=visible,
        hidden=len(items) - len(visible),
        can_manage=seen.can_manage,
        can_record=seen.can_record,
    )


def attending_meeting_ids(user: Any, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, the ones where the user is on the list and not recorded absent."""
    return set(
        Attendance.objects.filter(attendee_q(user.pk), meeting_id__in=meeting_ids).values_list("meeting_id", flat=True)
    )


def meeting_minutes(*, actor: Actor, pk: int) -> MeetingPage:
    """:func:`meeting_page` for the minutes (without the case texts), audited as an export besides the
    read of each case shown."""
    page = meeting_page(actor=actor, pk=pk, with_case_texts=False)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="overleg.minutes",
        object_id=page.meeting.pk,
        details={"format": "pdf", "cases": len(page.rows), "left_out": page.hidden},
    )
    return page
