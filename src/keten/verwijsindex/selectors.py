"""Reads of the verwijsindex, each limited to what the actor may see.

A professional sees their own signals and the matches they take part in; in a match they see the
other professionals' names, organisations and contact details — nothing else. The regievoerder of a
municipality sees the matches with a participant of that municipality. Every match view and every
history look-up is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.listing import Filter, Listing, ListSpec, Page, Sort, paginate
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.smallcells import hide_small, suppress
from keten.verwijsindex.audit_names import record_read
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    IndexSettings,
    Match,
    MatchEvent,
    MatchParticipant,
    MatchStatus,
    Regievoerder,
    Signal,
    SignalStatus,
    Youth,
)
from keten.verwijsindex.rules import (  # is_regievoerder: also imported from here by other apps
    is_regievoerder,
    matches_of_municipality,
    matches_taken_part_in,
    matches_to_act_on,
    matches_visible_to,
    signals_of_system,
    signals_visible_to,
)
from keten.verwijsindex.services.settings import settings_for

#: Signals per page of the API's list.
PAGE_SIZE = 100


def my_signals(*, actor: Actor, include_archived: bool = False) -> list[Signal]:
    if actor.user is None:
        raise NotFoundError
    qs = signals_visible_to(actor.user).select_related("youth", "organisation", "record")
    if not include_archived:
        qs = qs.filter(status=SignalStatus.ACTIEF)
    return list(qs.order_by("-registered_on", "-pk")[:500])


def signal_get(*, actor: Actor, signal_id: int) -> Signal:
    """One of the actor's own signals (with the professional's own record); not audited: a page that
    shows it audits with :func:`signal_shown` or :func:`signal_page`."""
    if actor.user is None:
        raise NotFoundError
    signal = (
        signals_visible_to(actor.user).filter(pk=signal_id).select_related("youth", "organisation", "record").first()
    )
    if signal is None:
        raise NotFoundError
    return signal


def signal_shown(*, actor: Actor, signal: Signal) -> None:
    """Audit a page that shows one of the actor's own signals (the young person's name)."""
    record_read(actor=actor, object_type="vi.signal", object_id=signal.pk, youths=[signal.youth], about=signal.youth_id)


@dataclass
class SignalPage:
    matches: list[Match]
    history: int


def signal_page(*, actor: Actor, signal: Signal) -> SignalPage:
    """What the page of one of the actor's own signals (from :func:`signal_get`) shows besides the
    signal: its live matches and how many earlier signals exist on the young person. Audited."""
    page = SignalPage(matches=signal_matches(signal=signal), history=history_count(signal=signal))
    signal_shown(actor=actor, signal=signal)
    return page


def _ends_within(value: str) -> Q:
    today = timezone.localdate()
    return Q(active_until__lte=today + timedelta(days=int(value)))


#: "My active signals" on the overview: newest first by default.
MY_SIGNALS = ListSpec(
    sorts=(
        Sort("geregistreerd", _l("Sinds"), ("registered_on",)),
        Sort("tot", _l("Actief tot en met"), ("active_until",)),
        Sort("organisatie", _l("Organisatie"), ("organisation__name",)),
    ),
    default_sort="-geregistreerd",
    filters=(
        Filter(
            "loopt-af", _l("Loopt af"), (("30", _l("Binnen 30 dagen")), ("90", _l("Binnen 90 dagen"))), q=_ends_within
        ),
        Filter(
            "informeren",
            _l("Informeren"),
            (("uitgesteld", _l("Uitgesteld")), ("niet-uitgesteld", _l("Niet uitgesteld"))),
            q=lambda value: Q(record__notice_postponed=value == "uitgesteld"),
        ),
    ),
    page_size=25,
)


@dataclass
class Overview:
    signals: list[Signal]
    matches: list[Match]
    signal_page: Page[Signal]


def overview(*, actor: Actor, listing: Listing | None = None) -> Overview:
    """The actor's live matches and one page of their active signals, as ``listing`` (:data:`MY_SIGNALS`)
    asks (a fixed number of queries). Audited with the young people shown and their Keten families."""
    if actor.user is None:
        raise NotFoundError
    listing = listing or MY_SIGNALS.parse({})
    signal_page = paginate(
        signals_visible_to(actor.user)
        .filter(status=SignalStatus.ACTIEF)
        .select_related("youth", "organisation", "record"),
        listing,
    )
    page = Overview(signals=signal_page.rows, matches=my_matches(actor=actor), signal_page=signal_page)
    record_read(
        actor=actor,
        object_type="vi.overview",
        youths=[s.youth for s in page.signals] + _match_youths(page.matches),
        signals=len(page.signals),
        matches=len(page.matches),
    )
    return page


def _match_youths(matches: list[Match]) -> list[Youth]:
    """The young people of matches, from their participants' signals (prefetched: no query)."""
    return [p.signal.youth for m in matches for p in m.participants.all()]


def _participants() -> Prefetch[Any]:
    return Prefetch(
        "participants",
        queryset=MatchParticipant.objects.select_related(
            "signal", "signal__organisation", "signal__professional", "signal__youth"
        ).order_by("signal__registered_on", "signal_id"),
    )


def my_matches(*, actor: Actor) -> list[Match]:
    """Live matches in which the actor has an active signal (fixed number of queries)."""
    if actor.user is None:
        raise NotFoundError
    return list(
        matches_to_act_on(actor.user)
        .filter(status__in=LIVE_STATUSES)
        .select_related("coordinator__organisation", "coordinator__professional", "youth")
        .prefetch_related(_participants())
        .order_by("-created_at")[:200]
    )


def match_for_participant(*, actor: Actor, match_id: int) -> Match:
    """A live match in which the actor has an active signal (to act on it); NotFoundError otherwise."""
    if actor.user is None:
        raise NotFoundError
    match = matches_to_act_on(actor.user).filter(pk=match_id).first()
    if match is None:
        raise NotFoundError
    return match


@dataclass
class MatchView:
    match: Match
    participants: list[MatchParticipant]
    events: list[MatchEvent]
    my_signal: Signal | None
    is_coordinator: bool
    overdue: bool


def match_get(*, actor: Actor, match_id: int) -> MatchView:
    """A match for one of its professionals, or for a regievoerder of a participating municipality. Audited."""
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    match = (
        matches_visible_to(actor.user)
        .filter(pk=match_id)
        .select_related("coordinator__organisation", "coordinator__professional", "youth")
        .prefetch_related(_participants())
        .first()
    )
    if match is None:
        raise NotFoundError
    participants = list(match.participants.all())
    mine = next(
        (p.signal for p in participants if p.signal.professional_id == actor.user.pk and p.signal.status == "actief"),
        None,
    )
    municipality_id = actor.membership.organisation.municipality_id
    as_regie = (
        mine is None and any(p.municipality_id == municipality_id for p in participants) and is_regievoerder(actor.user)
    )
    if mine is None and not as_regie:
        raise NotFoundError
    record_read(
        actor=actor,
        object_type="vi.match",
        object_id=match.pk,
        youths=_match_youths([match]),
        youth_ids=[match.youth_id],
        about=match.youth_id,
        reason="regievoerder" if as_regie else "",
    )
    return MatchView(
        match=match,
        participants=participants,
        events=list(match.events.select_related("actor")),
        my_signal=mine,
        is_coordinator=mine is not None and match.coordinator_id == mine.pk,
        overdue=match.status == MatchStatus.OPEN and match.contact_due < timezone.localdate(),
    )


def youth_history(*, actor: Actor, signal_id: int, reason: str) -> list[Signal]:
    """Earlier (archived) signals on the young person of one of the actor's own signals. Audited with a reason."""
    signal = signal_get(actor=actor, signal_id=signal_id)
    if len(reason.strip()) < 10:
        raise DomainError(_("Geef aan waarom u de geschiedenis raadpleegt (minstens 10 tekens)."), field="reason")
    rows = list(
        Signal.objects.filter(youth_id=signal.youth_id, status=SignalStatus.GEARCHIVEERD)
        .select_related("organisation", "professional")
        .order_by("-registered_on")
    )
    record_read(
        actor=actor,
        object_type="vi.history",
        object_id=signal.pk,
        youths=[signal.youth],
        about=signal.youth_id,
        reason=reason.strip()[:200],
        signals=len(rows),
    )
    return rows


@dataclass
class RegieOverview:
    overdue: list[Match]
    cross_municipality: list[Match]
    counts: dict[str, int]


def regie_overview(*, actor: Actor, today: date | None = None) -> RegieOverview:
    """For the regievoerder: open matches past the contact deadline, matches across borders, and counts."""
    if actor.user is None or actor.membership is None or not is_regievoerder(actor.user):
        raise NotFoundError
    today = today or timezone.localdate()
    municipality_id = actor.membership.organisation.municipality_id
    live = matches_of_municipality(municipality_id).filter(status__in=LIVE_STATUSES)
    base = live.select_related("coordinator__organisation", "coordinator__professional").prefetch_related(
        _participants()
    )
    overdue = list(base.filter(status=MatchStatus.OPEN, contact_due__lt=today).order_by("contact_due")[:200])
    cross = list(base.filter(cross_municipality=True).order_by("-created_at")[:200])
    counts = dict(live.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts["signals"] = Signal.objects.filter(municipality_id=municipality_id, status=SignalStatus.ACTIEF).count()
    counts["overdue"] = live.filter(status=MatchStatus.OPEN, contact_due__lt=today).count()
    # Match numbers, professionals and counts: no young person's identity, so no client rows.
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="vi.regie", details={"overdue": len(overdue)})
    return RegieOverview(overdue=overdue, cross_municipality=cross, counts=counts)


def aggregates(*, actor: Actor) -> dict[str, Any]:
    """Counts for the municipality (beleidsmedewerker): signals and matches per organisation type and wijk.

    Cells under 5 are suppressed, and so are the cells that would give one away by subtraction from
    the shown total of active signals (:mod:`keten.core.smallcells`). Median days from match to
    contact over the last year.
    """
    if actor.user is None or actor.membership is None or not allows("core.view_aggregates", actor.user):
        raise NotFoundError
    municipality_id = actor.membership.organisation.municipality_id
    signals = Signal.objects.filter(municipality_id=municipality_id, status=SignalStatus.ACTIEF)
    type_rows = list(signals.values_list("organisation__type").annotate(n=Count("pk")).order_by("organisation__type"))
    wijk_rows = list(signals.values_list("wijk__name").annotate(n=Count("pk")).order_by("wijk__name"))
    counts: dict[tuple[str, Any], int] = {("total", ""): sum(n for _type, n in type_rows)}
    counts.update({("type", t): n for t, n in type_rows})
    counts.update({("wijk", w): n for w, n in wijk_rows})
    shown = suppress(
        counts,
        [
            [*(("type", t) for t, _n in type_rows), ("total", "")],
            [*(("wijk", w) for w, _n in wijk_rows), ("total", "")],
        ],
    )
    by_type = [{"type": t, "n": shown[("type", t)]} for t, _n in type_rows]
    by_wijk = [{"wijk": w or "—", "n": shown[("wijk", w)]} for w, _n in wijk_rows]
    ours = MatchParticipant.objects.filter(match_id=OuterRef("pk"), municipality_id=municipality_id)
    matches = Match.objects.filter(Exists(ours))
    per_kind = {row["kind"]: hide_small(row["n"]) for row in matches.values("kind").annotate(n=Count("pk"))}
    since = timezone.now() - timedelta(days=365)
    delays = sorted(
        (m.contact_at - m.created_at).days
        for m in matches.filter(created_at__gte=since, contact_at__isnull=False).only("created_at", "contact_at")
        if m.contact_at is not None
    )
    median = delays[len(delays) // 2] if len(delays) >= 5 else None
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="vi.aggregates")
    return {
        "signals_by_type": by_type,
        "signals_by_wijk": by_wijk,
        "matches_by_kind": per_kind,
        "open_without_contact": hide_small(matches.filter(status=MatchStatus.OPEN).count()),
        "median_days_to_contact": median,
        "total_signals": shown[("total", "")],
    }


def signal_matches(*, signal: Signal) -> list[Match]:
    """Live matches one of the actor's own signals (from :func:`signal_get`) takes part in."""
    return list(
        Match.objects.filter(participants__signal=signal, status__in=LIVE_STATUSES)
        .select_related("coordinator__organisation", "coordinator__professional")
        .order_by("-created_at")
    )


def history_count(*, signal: Signal) -> int:
    """How many earlier (archived) signals exist on the young person of one of the actor's own signals."""
    return Signal.objects.filter(youth_id=signal.youth_id, status=SignalStatus.GEARCHIVEERD).count()


def open_matches(*, user: Any) -> QuerySet[Match]:
    """Live matches without recorded contact in which the user has an active signal (menu count)."""
    return matches_taken_part_in(user).filter(status=MatchStatus.OPEN)


@dataclass
class WithoutContact:
    """Live matches without recorded contact: the first rows (earliest contact deadline first) and the total."""

    rows: list[Match]
    total: int


def matches_without_contact(*, actor: Actor, limit: int = 5) -> WithoutContact:
    """The matches without contact in which the actor has an active signal (as the menu counts them),
    earliest contact deadline first. Match numbers and dates only, no young person's identity: two
    queries, not audited."""
    if actor.user is None:
        return WithoutContact(rows=[], total=0)
    qs = matches_to_act_on(actor.user).filter(status=MatchStatus.OPEN)
    total = qs.count()
    rows = (
        list(qs.only("pk", "kind", "created_at", "contact_due").order_by("contact_due", "pk")[:limit]) if total else []
    )
    return WithoutContact(rows=rows, total=total)


def regie_overdue_count(*, actor: Actor, today: date | None = None) -> int | None:
    """For a regievoerder: the matches of the municipality past their contact deadline (as the regie
    page counts them); None for anyone else. One count, no client data."""
    if actor.user is None or actor.membership is None or not is_regievoerder(actor.user):
        return None
    today = today or timezone.localdate()
    municipality_id = actor.membership.organisation.municipality_id
    return matches_of_municipality(municipality_id).filter(status=MatchStatus.OPEN, contact_due__lt=today).count()


def regievoerders(*, actor: Actor) -> list[Regievoerder]:
    """The regievoerders of the actor's municipality (for its functioneel beheerder)."""
    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    return list(
        Regievoerder.objects.filter(municipality_id=actor.membership.organisation.municipality_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def index_settings(*, actor: Actor) -> IndexSettings:
    """The rules of the actor's municipality, as its functioneel beheerder opens them. Audited."""
    if actor.membership is None:
        raise NotFoundError
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="vi.settings")
    return settings_for(actor.membership.organisation.municipality_id)


# --- the signals a caller of the API answers for ---------------------------------------------


@dataclass(frozen=True)
class SignalWithMatches:
    """A signal with the live matches it takes part in (the API shows them together)."""

    signal: Signal
    matches: list[Match]


@dataclass(frozen=True)
class SignalsPage:
    count: int
    page: int
    rows: list[SignalWithMatches]


def _live_participations() -> Prefetch[Any]:
    return Prefetch(
        "participations",
        queryset=MatchParticipant.objects.filter(match__status__in=LIVE_STATUSES)
        .select_related("match")
        .order_by("match_id"),
    )


def _answered_for(actor: Actor) -> QuerySet[Signal]:
    """The signals the actor answers for: its organisation's (a system) or their own (a professional)."""
    qs = Signal.objects.select_related("organisation", "professional").prefetch_related(_live_participations())
    own = signals_of_system(actor.api_client) if actor.api_client is not None else signals_visible_to(actor.user)
    return qs.filter(pk__in=own.values("pk"))


def _with_matches(signal: Signal) -> SignalWithMatches:
    return SignalWithMatches(signal=signal, matches=[p.match for p in signal.participations.all()])


def signals_page(*, actor: Actor, status: str = "", page: int = 1) -> SignalsPage:
    """One page of the signals the actor answers for (``status``: actief, gearchiveerd or all), newest
    first, with their live matches. Audited with the young people of the page."""
    qs = _answered_for(actor)
    if status in SignalStatus.values:
        qs = qs.filter(status=status)
    elif status:
        raise DomainError(_("Kies actief of gearchiveerd."), field="status")
    total = qs.count()
    rows = list(qs.order_by("-pk")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    record_read(actor=actor, object_type="vi.signals", youth_ids=[r.youth_id for r in rows], count=len(rows))
    return SignalsPage(count=total, page=page, rows=[_with_matches(r) for r in rows])


def signal_answered_for(*, actor: Actor, signal_id: int, permission: str) -> Signal:
    """One signal the actor answers for, if the policy allows ``permission`` on it; not audited (to act on it)."""
    signal = _answered_for(actor).filter(pk=signal_id).first()
    if signal is None or not allows(permission, actor, signal):
        raise NotFoundError
    return signal


def signal_read(*, actor: Actor, signal_id: int) -> SignalWithMatches:
    """One signal the actor answers for, with its live matches. Audited."""
    signal = signal_answered_for(actor=actor, signal_id=signal_id, permission="verwijsindex.view_signal")
    record_read(
        actor=actor,
        object_type="vi.signal",
        object_id=signal.pk,
        youth_ids=[signal.youth_id],
        about=signal.youth_id,
    )
    return _with_matches(signal)


def signal_written(*, signal: Signal) -> SignalWithMatches:
    """A signal the actor just registered or withdrew, as the answer shows it (the write is audited)."""
    row = Signal.objects.select_related("organisation", "professional").get(pk=signal.pk)
    matches = [
        p.match
        for p in MatchParticipant.objects.filter(signal=row, match__status__in=LIVE_STATUSES).select_related("match")
    ]
    return SignalWithMatches(signal=row, matches=matches)
