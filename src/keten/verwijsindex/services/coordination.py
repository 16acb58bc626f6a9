"""After a match: the professionals record contact and coordination, choose a coordinator and invite
to a case conference; a postponed notice is recorded later; overdue matches and notices are alerted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.notifications.services import notification_send
from keten.verwijsindex.audit_names import youth_pseudonyms
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    Match,
    MatchEvent,
    MatchStatus,
    Regievoerder,
    Signal,
    SignalRecord,
    SignalStatus,
)
from keten.verwijsindex.rules import signals_visible_to


def _participant_signal(actor: Actor, match: Match) -> Signal:
    if actor.user is None:
        raise NotFoundError
    signal = (
        Signal.objects.filter(participations__match=match, professional=actor.user, status=SignalStatus.ACTIEF)
        .select_related("organisation")
        .first()
    )
    if signal is None:
        raise NotFoundError
    return signal


def _event(actor: Actor, match: Match, kind: str, **details: Any) -> None:
    MatchEvent.objects.create(match=match, kind=kind, actor=actor.user, details=details)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="vi.match",
        object_id=match.pk,
        client_pseudonym=youth_pseudonyms([match.youth_id]).get(match.youth_id or 0, ""),
        details={"event": kind, **details},
    )


def _bump(match: Match, expected_version: int | None, **changes: Any) -> None:
    qs = Match.objects.filter(pk=match.pk, status__in=LIVE_STATUSES)
    if expected_version is not None:
        qs = qs.filter(version=expected_version)
    if qs.update(version=F("version") + 1, **changes) != 1:
        raise ConflictError
    match.refresh_from_db()


def match_record_contact(*, actor: Actor, match: Match) -> Match:
    """A professional of the match records that contact between them was made."""
    _participant_signal(actor, match)
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if match.contact_at is None:
            changes["contact_at"] = timezone.now()
        if match.status == MatchStatus.OPEN:
            changes["status"] = MatchStatus.CONTACT
        _bump(match, None, **changes)
        _event(actor, match, MatchEvent.Kind.CONTACT)
    return match


def match_record_coordinated(*, actor: Actor, match: Match) -> Match:
    """The professionals agreed who does what: the help is coordinated."""
    _participant_signal(actor, match)
    with transaction.atomic():
        _bump(
            match,
            None,
            status=MatchStatus.AFGESTEMD,
            coordinated_at=timezone.now(),
            contact_at=match.contact_at or timezone.now(),
        )
        _event(actor, match, MatchEvent.Kind.AFGESTEMD)
    return match


def match_set_coordinator(*, actor: Actor, match: Match, signal_id: int, expected_version: int | None = None) -> Match:
    """Accept the proposed coordinator (same signal) or choose another participant of the match."""
    _participant_signal(actor, match)
    chosen = (
        Signal.objects.filter(pk=signal_id, participations__match=match, status=SignalStatus.ACTIEF)
        .select_related("organisation")
        .first()
    )
    if chosen is None:
        raise DomainError(_("Kies een professional die bij deze match hoort."), field="coordinator")
    with transaction.atomic():
        _bump(match, expected_version, coordinator=chosen, coordinator_accepted=True)
        _event(actor, match, MatchEvent.Kind.COORDINATOR, signal=chosen.pk)
    return match


def match_invite(*, actor: Actor, match: Match, proposed_on: date | None) -> Match:
    """The coordinator invites the other professionals of the match to a case conference."""
    signal = _participant_signal(actor, match)
    if match.coordinator_id != signal.pk:
        raise DomainError(_("Alleen de coördinator van de match nodigt uit voor een casusoverleg."))
    if proposed_on is None or proposed_on < timezone.localdate():
        raise DomainError(_("Kies een datum vanaf vandaag voor het overleg."), field="proposed_on")
    others = list(
        User.objects.filter(vi_signals__participations__match=match, vi_signals__status=SignalStatus.ACTIEF)
        .exclude(pk=signal.professional_id)
        .distinct()
    )
    with transaction.atomic():
        _bump(match, None)
        _event(actor, match, MatchEvent.Kind.UITNODIGING, proposed_on=proposed_on.isoformat())
        notification_send(
            recipients=others,
            kind="verwijsindex.invite",
            title=_("Uitnodiging voor een casusoverleg"),
            body=_("De coördinator van een match in de verwijsindex stelt een overleg voor op %(day)s.")
            % {"day": proposed_on.strftime("%d-%m-%Y")},
            link=reverse("verwijsindex:match", args=[match.pk]),
        )
    return match


def notice_record(
    *, actor: Actor, signal_id: int, parents_informed_on: date | None, youth_informed_on: date | None
) -> SignalRecord:
    """Record later that the parents and/or the young person were informed (after a postponement)."""
    if actor.user is None:
        raise NotFoundError
    record = (
        SignalRecord.objects.filter(signal_id=signal_id, signal__in=signals_visible_to(actor.user))
        .select_related("signal")
        .first()
    )
    if record is None:
        raise NotFoundError
    today = timezone.localdate()
    for name, value in (("parents_informed_on", parents_informed_on), ("youth_informed_on", youth_informed_on)):
        if value is not None and value > today:
            raise DomainError(_("Deze datum ligt in de toekomst."), field=name)
    if parents_informed_on is None and youth_informed_on is None:
        raise DomainError(_("Vul minstens één datum in."), field="parents_informed_on")
    with transaction.atomic():
        record.parents_informed_on = parents_informed_on or record.parents_informed_on
        record.youth_informed_on = youth_informed_on or record.youth_informed_on
        record.notice_postponed = False
        record.remind_on = None
        record.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="vi.notice", object_id=record.signal_id)
    return record


def alerts_run(*, today: date | None = None) -> dict[str, int]:
    """Alert regievoerders to matches without contact past the deadline; remind postponed notices."""
    today = today or timezone.localdate()
    overdue = list(
        Match.objects.filter(status=MatchStatus.OPEN, contact_due__lt=today, regievoerder_alerted_at__isnull=True)
    )
    alerted = 0
    for match in overdue:
        municipalities = set(match.participants.values_list("municipality_id", flat=True))
        users = [r.user for r in Regievoerder.objects.filter(municipality_id__in=municipalities).select_related("user")]
        with transaction.atomic():
            if Match.objects.filter(pk=match.pk, regievoerder_alerted_at__isnull=True).update(
                regievoerder_alerted_at=timezone.now()
            ):
                notification_send(
                    recipients=users,
                    kind="verwijsindex.overdue",
                    title=_("Match zonder contact"),
                    body=_(
                        "Bij een match in de verwijsindex is na de afgesproken termijn nog geen contact vastgelegd."
                    ),
                    link=reverse("verwijsindex:regie"),
                )
                alerted += 1
    reminders = 0
    for record in SignalRecord.objects.filter(
        notice_postponed=True, remind_on__lte=today, reminded_at__isnull=True, signal__status=SignalStatus.ACTIEF
    ).select_related("signal__professional"):
        with transaction.atomic():
            if SignalRecord.objects.filter(pk=record.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                notification_send(
                    recipients=[record.signal.professional],
                    kind="verwijsindex.notice",
                    title=_("Informeren nog niet vastgelegd"),
                    body=_(
                        "U heeft het informeren over een signaal in de verwijsindex uitgesteld. "
                        "Is het inmiddels gebeurd?"
                    ),
                    link=reverse("verwijsindex:signal", args=[record.signal_id]),
                )
                reminders += 1
    return {"alerted": alerted, "reminders": reminders}
