"""Background jobs of the overleg: agreement reminders, overdue flags and the meeting calendar.

Daily (``manage.py overleg_reminders``): an open agreement due within ``REMIND_DAYS`` days is
reminded once to its owner; an open agreement past its due date is flagged once to its owner and to
the chair of the overleg. The owner of an organisation-owned agreement is reached through the
members of that organisation on the attendance list of the meeting where it was made (the chair
when there are none). Changing the due date clears both flags, so a new date is reminded again.
Running the job twice on a day sends nothing the second time.

``manage.py overleg_meetings`` keeps the next weeks of meetings planned from each recurrence.

Notifications (in-app and the e-mail that follows them) hold no client details: the overleg's
name, the due date and a link.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keten.core import audit
from keten.core.models import AuditAction
from keten.notifications.models import Notification
from keten.notifications.services import notification_emails_enqueue
from keten.overleg.meetings.services import WEEKS_AHEAD, meetings_generate
from keten.overleg.models import Agreement, AgreementStatus, Attendance

#: Days before the due date that the owner is reminded.
REMIND_DAYS = 2

KIND_DUE_SOON = "overleg.agreement_due"
KIND_OVERDUE = "overleg.agreement_overdue"


@dataclass
class ReminderResult:
    reminded: int = 0
    overdue: int = 0
    notifications: int = 0


def _link() -> str:
    try:
        return reverse("overleg:my_agreements")
    except NoReverseMatch:
        return ""


def _owners(rows: list[Agreement]) -> dict[int, set[int]]:
    """Agreement id → the user ids that answer for it (person, or the organisation's attendees)."""
    owners: dict[int, set[int]] = defaultdict(set)
    org_rows = [a for a in rows if a.owner_user_id is None and a.owner_organisation_id is not None]
    attendees: dict[tuple[int, int], set[int]] = defaultdict(set)
    if org_rows:
        for meeting_id, org_id, user_id in Attendance.objects.filter(
            meeting_id__in={a.agenda_item.meeting_id for a in org_rows if a.agenda_item is not None},
            organisation_id__in={a.owner_organisation_id for a in org_rows},
            user__is_active=True,
        ).values_list("meeting_id", "organisation_id", "user_id"):
            attendees[(meeting_id, org_id)].add(user_id)
    for agreement in rows:
        if agreement.owner_user_id is not None:
            owners[agreement.pk].add(agreement.owner_user_id)
            continue
        meeting_id = agreement.agenda_item.meeting_id if agreement.agenda_item is not None else 0
        found = attendees.get((meeting_id, agreement.owner_organisation_id or 0), set())
        chair = agreement.registration.overleg_type.chair_id
        owners[agreement.pk] |= found or ({chair} if chair else set())
    return owners


def _due_rows(**filters: object) -> list[Agreement]:
    return list(
        Agreement.objects.select_for_update(of=("self",))
        .filter(status=AgreementStatus.OPEN, **filters)
        .select_related("registration__overleg_type", "agenda_item")
        .order_by("pk")
    )


def _remind_due_soon(today: dt.date, now: dt.datetime, link: str) -> tuple[int, list[Notification]]:
    rows = _due_rows(due_on__gte=today, due_on__lte=today + dt.timedelta(days=REMIND_DAYS), reminded_at__isnull=True)
    owners = _owners(rows)
    notes = [
        Notification(
            recipient_id=user_id,
            kind=KIND_DUE_SOON,
            title=_("Afspraak uit %(name)s verloopt binnenkort") % {"name": a.registration.overleg_type.name},
            body=_(
                "Een afspraak waar u voor staat moet uiterlijk %(day)s zijn uitgevoerd. Sluit hem af met het resultaat."
            )
            % {"day": a.due_on.strftime("%d-%m-%Y")},
            link=link,
        )
        for a in rows
        for user_id in sorted(owners[a.pk])
    ]
    Agreement.objects.filter(pk__in=[a.pk for a in rows]).update(reminded_at=now)
    return len(rows), notes


def _flag_overdue(today: dt.date, now: dt.datetime, link: str) -> tuple[int, list[Notification]]:
    rows = _due_rows(due_on__lt=today, overdue_notified_at__isnull=True)
    owners = _owners(rows)
    notes = []
    for a in rows:
        name = a.registration.overleg_type.name
        day = a.due_on.strftime("%d-%m-%Y")
        for user_id in sorted(owners[a.pk]):
            notes.append(
                Notification(
                    recipient_id=user_id,
                    kind=KIND_OVERDUE,
                    title=_("Afspraak uit %(name)s is over de datum") % {"name": name},
                    body=_("Een afspraak waar u voor staat had uiterlijk %(day)s uitgevoerd moeten zijn.")
                    % {"day": day},
                    link=link,
                )
            )
        chair = a.registration.overleg_type.chair_id
        if chair and chair not in owners[a.pk]:
            notes.append(
                Notification(
                    recipient_id=chair,
                    kind=KIND_OVERDUE,
                    title=_("Afspraak in %(name)s is over de datum") % {"name": name},
                    body=_("Een afspraak in het overleg dat u voorzit had uiterlijk %(day)s uitgevoerd moeten zijn.")
                    % {"day": day},
                    link=link,
                )
            )
    Agreement.objects.filter(pk__in=[a.pk for a in rows]).update(overdue_notified_at=now)
    return len(rows), notes


def _notify(notes: list[Notification]) -> int:
    """One INSERT for all notifications; after commit one e-mail (without client details) per recipient."""
    if not notes:
        return 0
    Notification.objects.bulk_create(notes)
    recipients = sorted({n.recipient_id for n in notes})
    transaction.on_commit(lambda: notification_emails_enqueue(recipients))
    return len(notes)


def overleg_reminders_send(now: dt.datetime | None = None) -> ReminderResult:
    """Do the daily reminders and overdue flags; safe to run more than once a day."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    link = _link()
    result = ReminderResult()
    with transaction.atomic():
        result.reminded, soon = _remind_due_soon(today, now, link)
        result.overdue, late = _flag_overdue(today, now, link)
        result.notifications = _notify(soon + late)
        if result.reminded or result.overdue:
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                object_type="overleg.reminders",
                details={"reminded": result.reminded, "overdue": result.overdue},
                user_label="systeem: overleg",
            )
    return result


@task()
def send_overleg_reminders() -> int:
    """Queued by ``manage.py overleg_reminders --enqueue``; returns the number of agreements signalled."""
    result = overleg_reminders_send()
    return result.reminded + result.overdue


@task()
def generate_overleg_meetings(weeks: int = WEEKS_AHEAD) -> int:
    """Queued by ``manage.py overleg_meetings --enqueue``; returns the number of meetings made."""
    return meetings_generate(weeks=weeks)
