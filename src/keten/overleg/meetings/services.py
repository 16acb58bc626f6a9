"""Writes of meetings: planning (by hand and from the recurrence), cancelling, holding, the agenda and the
attendance list.

Agenda changes leave append-only :class:`~keten.overleg.models.AgendaEvent` rows. The helpers
:func:`add_to_agenda`, :func:`remove_from_agenda` and :func:`check_open_for_agenda` are the agenda
steps the registration services share; they neither ask the policy nor audit (their callers do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.notifications.services import notification_send
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    AgreementStatus,
    Attendance,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    RegistrationStatus,
)
from keten.overleg.rules import invited_membership_q
from keten.overleg.services import (
    audit_change,
    check_transition,
    clean_text,
    lock,
    page_link,
    require,
)

WEEKS_AHEAD = 6


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


def check_open_for_agenda(meeting: Meeting, field: str = "meeting") -> None:
    """DomainError on ``field`` unless the meeting is planned and not yet over."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast. Kies een andere bijeenkomst."), field=field)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError(_("Deze bijeenkomst is al gehouden. Kies een bijeenkomst die nog komt."), field=field)
    if meeting.ends_at < timezone.now():
        raise DomainError(_("Deze bijeenkomst is al voorbij. Kies een bijeenkomst die nog komt."), field=field)


def add_to_agenda(actor_user: User | None, meeting: Meeting, registration: CaseRegistration, source: str) -> AgendaItem:
    """Put the case last on the meeting's agenda, with its history row; DomainError when it is on it already."""
    order = (AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(
                meeting=meeting, registration=registration, order=order, source=source, added_by=actor_user
            )
    except IntegrityError as exc:
        raise DomainError(_("Deze casus staat al op de agenda van deze bijeenkomst."), field="meeting") from exc
    AgendaEvent.objects.create(item=item, kind=AgendaEvent.Kind.ADDED, actor=actor_user, details={"source": source})
    return item


def remove_from_agenda(actor_user: User | None, item: AgendaItem, reason: str) -> None:
    """Take the case off the agenda (the item stays, marked removed), with its history row."""
    AgendaItem.objects.filter(pk=item.pk).update(state=AgendaState.REMOVED)
    item.state = AgendaState.REMOVED
    AgendaEvent.objects.create(item=item, kind=AgendaEvent.Kind.REMOVED, actor=actor_user, reason=reason[:300])


def next_planned_meeting(overleg_type_id: int, after: dt.datetime) -> Meeting | None:
    """The overleg's first planned meeting that starts after ``after``."""
    return (
        Meeting.objects.filter(overleg_type_id=overleg_type_id, status=MeetingStatus.PLANNED, starts_at__gt=after)
        .select_related("overleg_type")
        .order_by("starts_at")
        .first()
    )


# --- meetings ---------------------------------------------------------------------------------


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def meeting_create(
    *,
    actor: Actor,
    overleg_type: OverlegType,
    starts_at: dt.datetime | None,
    duration_minutes: int | None = None,
    location: str | None = None,
    online_link: str | None = None,
) -> Meeting:
    """An extra meeting, planned by the chair (or the overleg's manager)."""
    require("overleg.plan_meeting", actor, overleg_type)
    if starts_at is None:
        raise DomainError(_("Vul de datum en tijd van de bijeenkomst in."), field="starts_at")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at < timezone.now():
        raise DomainError(_("Deze datum ligt in het verleden. Kies een moment dat nog komt."), field="starts_at")
    minutes = duration_minutes or overleg_type.duration_minutes
    with transaction.atomic():
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    overleg_type=overleg_type,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(minutes=minutes),
                    location=(location if location is not None else overleg_type.location).strip(),
                    online_link=(online_link if online_link is not None else overleg_type.online_link).strip(),
                )
        except IntegrityError as exc:
            raise DomainError(_("Op dit moment is er al een bijeenkomst van dit overleg."), field="starts_at") from exc
        _copy_attendance(meeting)
        audit_change(actor, AuditAction.CREATE, "meeting", meeting.pk, starts_at=starts_at.isoformat())
    return meeting


def _copy_attendance(meeting: Meeting) -> int:
    """A new meeting starts with the attendance list of the overleg's latest meeting that has one."""
    source = (
        Attendance.objects.filter(meeting__overleg_type_id=meeting.overleg_type_id)
        .exclude(meeting=meeting)
        .order_by("-meeting__starts_at")
        .values_list("meeting_id", flat=True)
        .first()
    )
    if source is None:
        return 0
    # Only who is still an invited participant (someone may have left, or their organisation no longer
    # takes part): being on the list opens the cases on the agenda.
    invited = Membership.objects.filter(invited_membership_q(meeting.overleg_type)).values("user_id")
    rows = [
        Attendance(meeting=meeting, user_id=uid, organisation_id=oid)
        for uid, oid in Attendance.objects.filter(meeting_id=source, user_id__in=invited).values_list(
            "user_id", "organisation_id"
        )
    ]
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def meetings_generate(
    *, overleg_type: OverlegType | None = None, weeks: int = WEEKS_AHEAD, now: dt.datetime | None = None
) -> int:
    """Keep the next ``weeks`` weeks of meetings planned from each overleg's recurrence (idempotent).

    A meeting that was cancelled is not made again: its row keeps its place. New meetings copy the
    attendance list of the latest meeting, and their agenda gets the open agreements of the cases.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    types = OverlegType.objects.filter(is_active=True).exclude(weekdays=[]).exclude(start_time=None)
    if overleg_type is not None:
        types = types.filter(pk=overleg_type.pk)
    made = 0
    for ot in types:
        assert ot.start_time is not None
        wanted = [
            _aware(day, ot.start_time)
            for day in (today + dt.timedelta(days=i) for i in range(weeks * 7 + 1))
            if day.isoweekday() in ot.weekdays
        ]
        wanted = [w for w in wanted if w > now]
        if not wanted:
            continue
        existing = set(
            Meeting.objects.filter(overleg_type=ot, starts_at__gte=wanted[0], starts_at__lte=wanted[-1]).values_list(
                "starts_at", flat=True
            )
        )
        created: list[Meeting] = []
        with transaction.atomic():
            for starts_at in wanted:
                if starts_at in existing:
                    continue
                try:
                    with transaction.atomic():
                        meeting = Meeting.objects.create(
                            overleg_type=ot,
                            starts_at=starts_at,
                            ends_at=starts_at + dt.timedelta(minutes=ot.duration_minutes),
                            location=ot.location,
                            online_link=ot.online_link,
                            generated=True,
                        )
                except IntegrityError:
                    continue  # made meanwhile by another run
                _copy_attendance(meeting)
                created.append(meeting)
            if created:
                audit_change(None, AuditAction.CREATE, "meeting.generate", ot.pk, meetings=len(created))
            # The next meeting's agenda gets the cases whose agreements are still open.
            upcoming = next_planned_meeting(ot.pk, now)
            if upcoming is not None:
                agenda_build(actor=None, meeting=upcoming)
        made += len(created)
    return made


def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str, expected_version: int | None = None) -> Meeting:
    """Cancel a planned meeting; its cases move to the overleg's next planned meeting."""
    user = require("overleg.manage_meeting", actor, meeting)
    reason = clean_text(reason, "reason", _("Geef de reden van de afgelasting."))
    with transaction.atomic():
        locked = lock(Meeting.objects, meeting.pk, expected_version)
        check_transition(
            MEETING_TRANSITIONS,
            locked.status,
            MeetingStatus.CANCELLED,
            _("Alleen een geplande bijeenkomst kan worden afgelast."),
        )
        locked.status = MeetingStatus.CANCELLED
        locked.cancel_reason = reason[:300]
        locked.version += 1
        locked.save()
        items = list(
            AgendaItem.objects.filter(meeting=locked, state=AgendaState.ON_AGENDA)
            .select_related("registration")
            .order_by("order", "id")
        )
        target = next_planned_meeting(locked.overleg_type_id, locked.starts_at)
        moved = 0
        for item in items:
            remove_from_agenda(user, item, _("bijeenkomst afgelast"))
            if (
                target is not None
                and not AgendaItem.objects.filter(
                    meeting=target, registration=item.registration, state=AgendaState.ON_AGENDA
                ).exists()
            ):
                add_to_agenda(user, target, item.registration, item.source)
                moved += 1
        audit_change(actor, AuditAction.UPDATE, "meeting.cancel", locked.pk, moved=moved)
        attendees = [a.user for a in Attendance.objects.filter(meeting=locked).select_related("user")]
        if attendees:
            notification_send(
                recipients=attendees,
                kind="overleg.meeting_cancelled",
                title=_("Bijeenkomst van %(name)s afgelast") % {"name": locked.overleg_type.name},
                body=_("De bijeenkomst van %(day)s gaat niet door.")
                % {"day": timezone.localtime(locked.starts_at).strftime("%d-%m-%Y %H:%M")},
                link=page_link("overleg:meeting", locked.pk),
            )
    return locked


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting closed as held, and how many cases with open agreements went onto the next agenda."""

    meeting: Meeting
    carried: int


def meeting_hold(*, actor: Actor, meeting: Meeting, expected_version: int | None = None) -> HeldMeeting:
    """Close a meeting as held: its cases count as discussed and their open agreements go onto the next agenda."""
    require("overleg.manage_meeting", actor, meeting)
    now = timezone.now()
    if meeting.starts_at > now:
        raise DomainError(_("Een bijeenkomst die nog moet beginnen kan niet als gehouden worden afgesloten."))
    with transaction.atomic():
        locked = lock(Meeting.objects, meeting.pk, expected_version)
        check_transition(
            MEETING_TRANSITIONS,
            locked.status,
            MeetingStatus.HELD,
            _("Alleen een geplande bijeenkomst kan als gehouden worden afgesloten."),
        )
        locked.status = MeetingStatus.HELD
        locked.held_at = now
        locked.version += 1
        locked.save()
        CaseRegistration.objects.filter(
            agenda_items__meeting=locked,
            agenda_items__state=AgendaState.ON_AGENDA,
            first_discussed_at__isnull=True,
        ).update(first_discussed_at=locked.starts_at)
        audit_change(actor, AuditAction.UPDATE, "meeting.hold", locked.pk)
        carried = 0
        target = next_planned_meeting(locked.overleg_type_id, locked.starts_at)
        if target is not None:
            carried = agenda_build(actor=actor, meeting=target)
    return HeldMeeting(meeting=locked, carried=carried)


def agenda_build(*, actor: Actor | None, meeting: Meeting) -> int:
    """Put every admitted case of the overleg that still has open agreements on this meeting's agenda.

    Only cases that were discussed at an earlier meeting of the overleg come back this way (new
    cases arrive through triage), and not when they are already on this or a later planned agenda.
    Idempotent. Returns how many were added.
    """
    if meeting.status != MeetingStatus.PLANNED:
        return 0
    if actor is not None:
        require("overleg.manage_meeting", actor, meeting)
    scheduled = AgendaItem.objects.filter(
        meeting__overleg_type_id=meeting.overleg_type_id,
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__gte=min(meeting.starts_at, timezone.now()),
        state=AgendaState.ON_AGENDA,
    ).values("registration_id")
    earlier = AgendaItem.objects.filter(meeting__starts_at__lt=meeting.starts_at, state=AgendaState.ON_AGENDA).values(
        "registration_id"
    )
    candidates = list(
        CaseRegistration.objects.filter(
            overleg_type_id=meeting.overleg_type_id,
            status=RegistrationStatus.TOEGELATEN,
            agreements__status=AgreementStatus.OPEN,
            pk__in=earlier,
        )
        .exclude(pk__in=scheduled)
        .select_related("dossier__family")
        .distinct()
        .order_by("pk")
    )
    if not candidates:
        return 0
    user = actor.user if actor is not None else None
    with transaction.atomic():
        for registration in candidates:
            add_to_agenda(user, meeting, registration, AgendaSource.FOLLOW_UP)
        audit.record_many(
            actor=actor,
            entries=[
                audit.Entry(
                    action=AuditAction.UPDATE,
                    object_type="overleg.agenda.follow_up",
                    object_id=r.pk,
                    client_pseudonym=r.dossier.family.pseudonym,
                    details={"meeting": meeting.pk},
                )
                for r in candidates
            ],
            user_label="" if actor is not None else "systeem: overleg",
        )
    return len(candidates)


def agenda_item_add(*, actor: Actor, meeting: Meeting, registration: CaseRegistration) -> AgendaItem:
    """The chair schedules an admitted case on a planned meeting of its overleg."""
    user = require("overleg.manage_meeting", actor, meeting)
    if registration.overleg_type_id != meeting.overleg_type_id:
        raise NotFoundError
    check_open_for_agenda(meeting)
    if registration.status != RegistrationStatus.TOEGELATEN:
        raise DomainError(_("Alleen een toegelaten casus kan op de agenda."), field="registration")
    with transaction.atomic():
        item = add_to_agenda(user, meeting, registration, AgendaSource.MANUAL)
        audit_change(actor, AuditAction.UPDATE, "agenda.add", item.pk, registration, meeting=meeting.pk)
    return item


def agenda_item_remove(*, actor: Actor, item: AgendaItem, reason: str) -> AgendaItem:
    """Take a case off a meeting's agenda (the item and its history stay)."""
    user = require("overleg.manage_meeting", actor, item.meeting)
    reason = clean_text(reason, "reason", _("Geef de reden waarom de casus van de agenda gaat."))
    if item.state != AgendaState.ON_AGENDA:
        raise DomainError(_("Deze casus staat niet meer op de agenda."))
    if item.meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("De agenda van een gehouden of afgelaste bijeenkomst verandert niet meer."))
    with transaction.atomic():
        remove_from_agenda(user, item, reason)
        audit_change(actor, AuditAction.UPDATE, "agenda.remove", item.pk, item.registration, meeting=item.meeting_id)
    return item


def agenda_item_move(*, actor: Actor, item: AgendaItem, order: int) -> AgendaItem:
    """Change the position of a case on the agenda."""
    user = require("overleg.manage_meeting", actor, item.meeting)
    if item.state != AgendaState.ON_AGENDA or item.meeting.status != MeetingStatus.PLANNED:
        raise DomainError(_("De volgorde kan alleen op de agenda van een geplande bijeenkomst veranderen."))
    if order < 1:
        raise DomainError(_("Kies een positie van 1 of hoger."), field="order")
    with transaction.atomic():
        before = item.order
        AgendaItem.objects.filter(pk=item.pk).update(order=order)
        item.order = order
        AgendaEvent.objects.create(
            item=item, kind=AgendaEvent.Kind.MOVED, actor=user, details={"from": before, "to": order}
        )
        audit_change(actor, AuditAction.UPDATE, "agenda.move", item.pk, item.registration)
    return item


# --- attendance and discussion ----------------------------------------------------------------


def attendance_set(
    *,
    actor: Actor,
    meeting: Meeting,
    user_id: int,
    present: bool | None,
    organisation_id: int | None = None,
) -> Attendance:
    """Put someone on the attendance list (present None) or record presence/absence at the meeting."""
    require("overleg.manage_meeting", actor, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Deze bijeenkomst is afgelast."))
    # Only an invited participant (the candidates of the deelnemerslijst) goes on the list: being on it
    # opens every case on the agenda. Someone already on the list who is no longer one can still be
    # recorded absent (that takes access away).
    membership = (
        Membership.objects.filter(invited_membership_q(meeting.overleg_type), user_id=user_id)
        .filter(Q(organisation_id=organisation_id) if organisation_id else Q())
        .select_related("user")
        .order_by("id")
        .first()
    )
    listed = None if membership is not None else Attendance.objects.filter(meeting=meeting, user_id=user_id).first()
    if membership is None and not (present is False and listed is not None):
        raise DomainError(_("Kies iemand van een organisatie die aan dit overleg deelneemt."), field="user")
    if present is not None and meeting.starts_at > timezone.now() + dt.timedelta(hours=1):
        raise DomainError(_("Aanwezigheid legt u vast tijdens of na de bijeenkomst."), field="present")
    with transaction.atomic():
        if membership is None:
            assert listed is not None
            row, created = Attendance.objects.select_for_update().get(pk=listed.pk), False
        else:
            row, created = Attendance.objects.select_for_update().get_or_create(
                meeting=meeting, user=membership.user, defaults={"organisation_id": membership.organisation_id}
            )
            row.organisation_id = membership.organisation_id
        row.present = present
        if present is not None:
            row.recorded_by = actor.user
            row.recorded_at = timezone.now()
        row.save()
        audit_change(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            "attendance",
            row.pk,
            meeting=meeting.pk,
            user=row.user_id,
            present=present,
        )
    return row
