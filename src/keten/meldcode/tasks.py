"""Background jobs of the meldcode: signalling handelingsverlegenheid and overdue Veilig Thuis feedback.

A traject that is still undecided (status ``open``) and has had no recorded entry for
``KETEN_MELDCODE_STALL_DAYS`` days is flagged once to the professional who started it. When nothing
is recorded for a further ``KETEN_MELDCODE_ESCALATE_DAYS`` days, the aandachtsfunctionarissen of the
organisation are told once, with the suggestion to consult. Both flags are cleared as soon as
something is recorded again, so a traject that stalls a second time is flagged again. A melding whose
feedback from Veilig Thuis is overdue is signalled once to the professional.

The notifications hold no client data: only the traject's reference (a pseudonym) and a link.
Running the job twice on one day sends nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keten.accounts.models import Membership, Role, User
from keten.meldcode.models import Status, Traject
from keten.meldcode.trajecten import selectors
from keten.notifications.models import Notification
from keten.notifications.services import notification_send

KIND_STALLED = "meldcode.stalled"
KIND_ESCALATED = "meldcode.stalled_escalated"
KIND_FEEDBACK_OVERDUE = "meldcode.feedback_overdue"


@dataclass
class ReminderResult:
    reset: int = 0
    stalled: int = 0
    escalated: int = 0
    feedback_overdue: int = 0


def _traject_link(traject: Traject) -> str:
    return reverse("meldcode:traject", args=[traject.reference])


def _overview_link() -> str:
    try:
        return reverse("meldcode:organisation")
    except NoReverseMatch:
        return reverse("meldcode:inbox")


def _reset_flags() -> int:
    """Trajecten with activity after they were flagged lose their flags (a new stall flags again)."""
    return Traject.objects.filter(
        stalled_notified_at__isnull=False, last_activity_at__gt=F("stalled_notified_at")
    ).update(stalled_notified_at=None, stalled_escalated_at=None)


def _flag_stalled(now: datetime) -> int:
    threshold = now - timedelta(days=settings.KETEN_MELDCODE_STALL_DAYS)
    rows = list(
        Traject.objects.filter(status=Status.OPEN, last_activity_at__lt=threshold, stalled_notified_at__isnull=True)
        .select_related("started_by")
        .order_by("pk")
    )
    for traject in rows:
        days = (now - traject.last_activity_at).days
        notification_send(
            recipients=[traject.started_by] if traject.started_by.is_active else [],
            kind=KIND_STALLED,
            title=_("Een meldcode-traject staat stil"),
            body=_(
                "In traject %(ref)s is al %(days)d dagen niets vastgelegd. Kijk wat de volgende stap is. "
                "Twijfelt u? Overleg met uw aandachtsfunctionaris of vraag Veilig Thuis om advies."
            )
            % {"ref": traject.reference, "days": days},
            link=_traject_link(traject),
        )
    Traject.objects.filter(pk__in=[t.pk for t in rows]).update(stalled_notified_at=now)
    return len(rows)


def _escalate(now: datetime) -> int:
    threshold = now - timedelta(days=settings.KETEN_MELDCODE_ESCALATE_DAYS)
    rows = list(
        Traject.objects.filter(
            status=Status.OPEN,
            stalled_notified_at__lt=threshold,
            stalled_escalated_at__isnull=True,
            last_activity_at__lte=F("stalled_notified_at"),
        ).order_by("pk")
    )
    if not rows:
        return 0
    officers: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        organisation_id__in={t.organisation_id for t in rows},
        role=Role.AANDACHTSFUNCTIONARIS,
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        officers.setdefault(membership.organisation_id, []).append(membership.user)
    link = _overview_link()
    for traject in rows:
        days = (now - traject.last_activity_at).days
        notification_send(
            recipients=officers.get(traject.organisation_id, []),
            kind=KIND_ESCALATED,
            title=_("Meldcode-traject staat lang stil: bied consultatie aan"),
            body=_(
                "In traject %(ref)s van uw organisatie is al %(days)d dagen niets vastgelegd, ook niet na een "
                "herinnering aan de professional. Bied collegiale consultatie aan om het traject verder te helpen."
            )
            % {"ref": traject.reference, "days": days},
            link=link,
        )
    Traject.objects.filter(pk__in=[t.pk for t in rows]).update(stalled_escalated_at=now)
    return len(rows)


def _feedback_overdue() -> int:
    rows = list(selectors.feedback_overdue().select_related("started_by").order_by("pk"))
    links = {t.pk: _traject_link(t) for t in rows}
    # The newest notice per professional and traject: a notice sent after the current due date was
    # about this melding; an older one was about an earlier melding (a hermelding is signalled again).
    newest: dict[tuple[int, str], datetime] = {}
    for recipient_id, link, created_at in Notification.objects.filter(
        kind=KIND_FEEDBACK_OVERDUE, link__in=list(links.values())
    ).values_list("recipient_id", "link", "created_at"):
        key = (recipient_id, link)
        newest[key] = max(created_at, newest.get(key, created_at))
    sent = 0
    for traject in rows:
        last = newest.get((traject.started_by_id, links[traject.pk]))
        if (
            last is not None
            and traject.vt_feedback_due is not None
            and timezone.localdate(last) > traject.vt_feedback_due
        ):
            continue
        notification_send(
            recipients=[traject.started_by],
            kind=KIND_FEEDBACK_OVERDUE,
            title=_("Terugkoppeling van Veilig Thuis is te laat"),
            body=_(
                "Veilig Thuis had uiterlijk %(due)s moeten terugkoppelen over de melding in traject %(ref)s. "
                "Neem contact op met Veilig Thuis en leg de terugkoppeling vast zodra u die heeft."
            )
            % {
                "due": traject.vt_feedback_due.strftime("%d-%m-%Y") if traject.vt_feedback_due else "",
                "ref": traject.reference,
            },
            link=links[traject.pk],
        )
        sent += 1
    return sent


def meldcode_reminders_send(now: datetime | None = None) -> ReminderResult:
    """Do the daily meldcode signalling; safe to run more than once a day."""
    now = now or timezone.now()
    result = ReminderResult()
    with transaction.atomic():
        result.reset = _reset_flags()
        result.stalled = _flag_stalled(now)
        result.escalated = _escalate(now)
        result.feedback_overdue = _feedback_overdue()
    return result


@task()
def send_meldcode_reminders() -> int:
    """Queued by ``manage.py meldcode_reminders --enqueue``; returns the number of trajecten signalled."""
    result = meldcode_reminders_send()
    return result.stalled + result.escalated + result.feedback_overdue
