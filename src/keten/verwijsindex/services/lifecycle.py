"""How signals end: withdrawn by their professional, expired after their period, destroyed when the
young person turns 23 or dies or the archive period ends; matches without a pair end with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import is_valid_bsn
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.verwijsindex import webhooks
from keten.verwijsindex.audit_names import youth_pseudonyms
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    EndReason,
    Match,
    MatchEvent,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    Signal,
    SignalStatus,
    Youth,
)
from keten.verwijsindex.rules import is_regievoerder, signals_of_system, signals_visible_to
from keten.verwijsindex.services.validation import (
    youth_key,
)

ARCHIVE_YEARS = 5


#: Signals the nightly job ends per statement.
LIFECYCLE_CHUNK = 10_000


def _archive_until(signal: Signal, today: date) -> date:
    return min(today + relativedelta(years=ARCHIVE_YEARS), signal.youth.destroy_on)


def _close_matches_without_pairs(match_ids: Iterable[int] | None = None) -> int:
    """End live matches that no longer have two active signals (two young people for a family match)."""
    qs = Match.objects.filter(status__in=LIVE_STATUSES)
    if match_ids is not None:
        qs = qs.filter(pk__in=list(match_ids))
    client = (
        qs.filter(kind=MatchKind.CLIENT)
        .annotate(active=Count("participants", filter=Q(participants__signal__status=SignalStatus.ACTIEF)))
        .filter(active__lt=2)
        .values_list("pk", flat=True)
    )
    family = (
        qs.filter(kind=MatchKind.FAMILY)
        .annotate(
            youths=Count(
                "participants__signal__youth",
                filter=Q(participants__signal__status=SignalStatus.ACTIEF),
                distinct=True,
            )
        )
        .filter(youths__lt=2)
        .values_list("pk", flat=True)
    )
    ended = list(client) + list(family)
    if ended:
        Match.objects.filter(pk__in=ended).update(status=MatchStatus.BEEINDIGD, version=F("version") + 1)
        MatchEvent.objects.bulk_create(
            [MatchEvent(match_id=pk, kind=MatchEvent.Kind.GESLOTEN, actor=None) for pk in ended]
        )
        webhooks.matches_ended_record(ended)
    return len(ended)


def signal_withdraw(*, actor: Actor, signal_id: int, today: date | None = None) -> Signal:
    """The professional withdraws their own signal; it moves to the archive and stops matching."""
    today = today or timezone.localdate()
    if actor.api_client is not None:
        own = signals_of_system(actor.api_client)
    elif actor.user is not None:
        own = signals_visible_to(actor.user)
    else:
        raise NotFoundError
    qs = own.select_related("youth").filter(pk=signal_id, status=SignalStatus.ACTIEF)
    with transaction.atomic():
        signal = qs.select_for_update().first()
        if signal is None:
            raise NotFoundError
        signal.status = SignalStatus.GEARCHIVEERD
        signal.ended_on = today
        signal.end_reason = EndReason.INGETROKKEN
        signal.archive_until = _archive_until(signal, today)
        signal.save(update_fields=["status", "ended_on", "end_reason", "archive_until"])
        matches = list(MatchParticipant.objects.filter(signal=signal).values_list("match_id", flat=True))
        _close_matches_without_pairs(matches)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="vi.signal",
            object_id=signal.pk,
            client_pseudonym=youth_pseudonyms([signal.youth_id]).get(signal.youth_id, ""),
            details={"ended": EndReason.INGETROKKEN},
        )
    return signal


@dataclass
class LifecycleReport:
    expired: int = 0
    aged_out_youths: int = 0
    archive_purged: int = 0
    matches_ended: int = 0


def lifecycle_run(*, today: date | None = None) -> LifecycleReport:
    """The nightly job: expire, age out at 23, purge the archive after 5 years. Logs counts, never content."""
    today = today or timezone.localdate()
    report = LifecycleReport()
    with transaction.atomic():
        # 1. Young people who turned 23: everything about them goes, whatever its status.
        aged = Youth.objects.filter(destroy_on__lte=today)
        aged_ids = list(aged.values_list("pk", flat=True)[:100_000])
        if aged_ids:
            Match.objects.filter(youth_id__in=aged_ids).delete()
            Signal.objects.filter(youth_id__in=aged_ids).delete()
            report.aged_out_youths = Youth.objects.filter(pk__in=aged_ids).delete()[1].get("verwijsindex.Youth", 0)
        # 2. Active signals past their period move to the archive.
        # Work by id, in chunks: the planner cannot see that status and active_until are correlated
        # (every archived signal has an old active_until), overestimates the batch by orders of
        # magnitude and would scan every match participant for a subquery on the signals.
        expiring = list(
            Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=today).values_list("pk", flat=True)
        )
        touched_ids: set[int] = set()
        for start in range(0, len(expiring), LIFECYCLE_CHUNK):
            ids = expiring[start : start + LIFECYCLE_CHUNK]
            touched_ids.update(MatchParticipant.objects.filter(signal_id__in=ids).values_list("match_id", flat=True))
            report.expired += Signal.objects.filter(pk__in=ids, status=SignalStatus.ACTIEF).update(
                status=SignalStatus.GEARCHIVEERD,
                ended_on=today,
                end_reason=EndReason.VERLOPEN,
                archive_until=today + relativedelta(years=ARCHIVE_YEARS),
            )
        touched = sorted(touched_ids)
        # 3. Archived signals past 5 years are destroyed; so are young people left without signals.
        purge = Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=today)
        purge_youths = set(purge.values_list("youth_id", flat=True))
        report.archive_purged = purge.delete()[1].get("verwijsindex.Signal", 0)
        if purge_youths:
            Youth.objects.filter(pk__in=purge_youths, signals__isnull=True).delete()
        # Family matches lost with a family member: end matches without two active signals.
        report.matches_ended = _close_matches_without_pairs(touched or None) if touched else 0
        audit.record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="vi.lifecycle",
            user_label="verwijsindex-levenscyclus",
            details=report.__dict__,
        )
    return report


def youth_deceased(*, actor: Actor, bsn: str) -> int:
    """Destroy everything about a young person who died (by the regievoerder). Returns signals removed."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    if not is_regievoerder(actor.user):
        raise NotFoundError
    if not is_valid_bsn(bsn):
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")
    youth = Youth.objects.filter(bsn_key=youth_key(bsn)).first()
    if youth is None:
        raise DomainError(_("Deze jongere staat niet in de verwijsindex."), field="bsn")
    with transaction.atomic():
        Match.objects.filter(youth=youth).delete()
        removed = Signal.objects.filter(youth=youth).delete()[1].get("verwijsindex.Signal", 0)
        youth.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="vi.youth",
            reason=EndReason.OVERLEDEN,
            details={"signals": removed},
        )
    return removed
