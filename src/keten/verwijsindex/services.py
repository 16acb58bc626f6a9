"""Writes of the verwijsindex: register and withdraw signals, make matches, follow them up.

Matching happens in the registering transaction and is exact under concurrency: the rows of the
young person and of their parents are locked (``SELECT … FOR UPDATE``, parents first in id order,
then the young person) before the active signals are read, so two simultaneous registrations on
the same child or on siblings are serialised and the second always sees the first. On SQLite the
database serialises writers itself. A deadlock between two registrations is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Municipality, OrganisationType, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import blind_index, is_valid_bsn, name_birth_index, normalise_bsn
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.meldcode.workdays import add_working_days
from keten.notifications.services import notification_send
from keten.verwijsindex import webhooks
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    EndReason,
    IndexSettings,
    Match,
    MatchEvent,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    ParentKey,
    ParentLink,
    Regievoerder,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
)

logger = logging.getLogger(__name__)

MAX_AGE = 23
ARCHIVE_YEARS = 5
NOTICE_REMINDER_DAYS = 14
#: Signals the nightly job ends per statement.
LIFECYCLE_CHUNK = 10_000
MIN_MOTIVATION = 10
RISK_CATEGORIES = tuple("abcdefghijkl")
LIVE = LIVE_STATUSES

#: Used where a municipality has not set its own rules.
DEFAULT_REGISTERING_TYPES = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.ONDERWIJS,
    OrganisationType.KINDEROPVANG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.POLITIE,
    OrganisationType.RVDK,
    OrganisationType.GI,
    OrganisationType.JEUGDHULP,
    OrganisationType.GGZ,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.SCHULDHULP,
    OrganisationType.WELZIJN,
]
DEFAULT_COORDINATOR_PREFERENCE = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JEUGDHULP,
    OrganisationType.GI,
    OrganisationType.JGZ,
    OrganisationType.GGZ,
    OrganisationType.WELZIJN,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
]
DEFAULT_COORDINATOR_EXCLUDED = [OrganisationType.ONDERWIJS, OrganisationType.POLITIE, OrganisationType.KINDEROPVANG]


class NotAuthorisedError(DomainError):
    """The actor's organisation may not register in the verwijsindex of its municipality."""

    status_code = 403
    code = "forbidden"


class IdentityConfirmationError(DomainError):
    """Without a BSN, a young person with the same name and birth date exists: a human must decide."""

    status_code = 409
    code = "confirm_identity"

    def __init__(self, message: str, *, candidates: list[int]) -> None:
        super().__init__(message, field="identity")
        self.candidates = candidates


def settings_for(municipality_id: int) -> IndexSettings:
    found = IndexSettings.objects.filter(municipality_id=municipality_id).first()
    if found is not None:
        return found
    return IndexSettings(
        municipality_id=municipality_id,
        registering_types=list(DEFAULT_REGISTERING_TYPES),
        coordinator_preference=list(DEFAULT_COORDINATOR_PREFERENCE),
        coordinator_excluded=list(DEFAULT_COORDINATOR_EXCLUDED),
    )


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def youth_key(bsn: str) -> str:
    """The index's own keyed pseudonym of a BSN (a separate key space from the dossiers)."""
    return blind_index("vi_bsn", normalise_bsn(bsn))


def parent_key(bsn: str) -> str:
    return blind_index("vi_parent", normalise_bsn(bsn))


# --- registration ------------------------------------------------------------------------------


@dataclass
class Identity:
    date_of_birth: date | None
    bsn: str = ""
    first_name: str = ""
    last_name: str = ""
    parent_bsns: list[str] = field(default_factory=list)


@dataclass
class Registration:
    identity: Identity
    risk_categories: list[str]
    criteria_confirmed: bool
    parents_informed_on: date | None = None
    youth_informed_on: date | None = None
    notice_postponed: bool = False
    postpone_motivation: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    #: Without BSN: the young person the professional confirmed as the same (from the proposal).
    confirm_youth_id: int | None = None
    #: Without BSN: the professional confirmed it is someone new despite the proposal.
    confirm_new_youth: bool = False
    #: API: the professional the signal is registered for (a member of the client's organisation).
    professional_id: int | None = None
    idempotency_key: str = ""


@dataclass
class RegistrationResult:
    signal: Signal
    created: bool
    matches: list[Match]
    #: Number of earlier (archived) signals on this young person; look them up with youth_history.
    history: int = 0


def _registering_party(actor: Actor, data: Registration) -> tuple[User, Membership]:
    """The professional and membership the signal is registered for; NotAuthorisedError if not allowed."""
    if actor.api_client is not None:
        if data.professional_id is None:
            raise DomainError(_("Geef aan voor welke professional het signaal wordt afgegeven."), field="professional")
        membership = (
            Membership.objects.filter(
                user_id=data.professional_id,
                organisation_id=actor.api_client.organisation_id,
                is_active=True,
                user__is_active=True,
            )
            .select_related("organisation", "user", "team")
            .first()
        )
        if membership is None:
            raise DomainError(
                _("Deze professional werkt niet (meer) bij de organisatie van deze koppeling."), field="professional"
            )
        return membership.user, membership
    if actor.user is None or actor.membership is None:
        raise NotFoundError
    return actor.user, actor.membership


def _check_authorised(membership: Membership) -> IndexSettings:
    organisation = membership.organisation
    rules = settings_for(organisation.municipality_id)
    if organisation.type not in rules.registering_types or not organisation.is_active:
        raise NotAuthorisedError(
            _(
                "Uw organisatie is in deze gemeente niet aangewezen om signalen in de verwijsindex af te geven. "
                "Neem contact op met de regievoerder van de gemeente."
            )
        )
    return rules


def _check_registration(data: Registration, today: date) -> tuple[int, str, str]:
    """Validate; returns (age, bsn key or "", name-birth key)."""
    ident = data.identity
    if ident.date_of_birth is None:
        raise DomainError(_("Vul de geboortedatum van de jongere in."), field="date_of_birth")
    if ident.date_of_birth > today:
        raise DomainError(_("De geboortedatum ligt in de toekomst."), field="date_of_birth")
    age = age_on(ident.date_of_birth, today)
    if age >= MAX_AGE:
        raise DomainError(
            _("De verwijsindex is voor jongeren tot 23 jaar; deze jongere is %(age)d.") % {"age": age},
            field="date_of_birth",
        )
    bsn = (ident.bsn or "").strip()
    if bsn and not is_valid_bsn(bsn):
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")
    if not ident.first_name.strip() or not ident.last_name.strip():
        raise DomainError(_("Vul de voornaam en de achternaam van de jongere in."), field="last_name")
    for parent in ident.parent_bsns:
        if not is_valid_bsn(parent):
            raise DomainError(_("Het BSN van een ouder klopt niet (elfproef)."), field="parent_bsns")
        if bsn and normalise_bsn(parent) == normalise_bsn(bsn):
            raise DomainError(_("Het BSN van de ouder is gelijk aan dat van de jongere."), field="parent_bsns")
    if not data.criteria_confirmed:
        raise DomainError(
            _("Bevestig dat een van de registratiecriteria van de gemeente van toepassing is."), field="criteria"
        )
    cats = [c.strip().lower() for c in data.risk_categories if c.strip()]
    if not cats or any(c not in RISK_CATEGORIES for c in cats):
        raise DomainError(_("Kies minstens één risico (a tot en met l) uit de wet."), field="risk_categories")
    for name, value in (
        ("parents_informed_on", data.parents_informed_on),
        ("youth_informed_on", data.youth_informed_on),
    ):
        if value is not None and value > today:
            raise DomainError(_("Deze datum ligt in de toekomst."), field=name)
    needs_parents = age < 16
    needs_youth = age >= 12
    missing = (needs_parents and data.parents_informed_on is None) or (needs_youth and data.youth_informed_on is None)
    if missing and not data.notice_postponed:
        if needs_parents and needs_youth:
            message = _(
                "Leg vast wanneer de ouders en de jongere zijn geïnformeerd, of stel dit uit met een motivering."
            )
        elif needs_parents:
            message = _("Leg vast wanneer de ouders zijn geïnformeerd, of stel dit uit met een motivering.")
        else:
            message = _("Leg vast wanneer de jongere is geïnformeerd, of stel dit uit met een motivering.")
        raise DomainError(message, field="notice")
    if data.notice_postponed and len(data.postpone_motivation.strip()) < MIN_MOTIVATION:
        raise DomainError(
            _("Motiveer waarom u het informeren uitstelt (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
            field="postpone_motivation",
        )
    name_key = name_birth_index(ident.first_name, ident.last_name, ident.date_of_birth)
    return age, (youth_key(bsn) if bsn else ""), name_key


def _youth_for(data: Registration, bsn_key: str, name_key: str, destroy_on: date) -> Youth:
    """Find or create the young person. With a BSN: exact on its key. Without: only on confirmation."""
    ident = data.identity
    display = f"{ident.first_name.strip()} {ident.last_name.strip()}"
    if bsn_key:
        youth = Youth.objects.filter(bsn_key=bsn_key).first()
        if youth is not None:
            return youth
        try:
            with transaction.atomic():
                return Youth.objects.create(
                    bsn_key=bsn_key,
                    name_birth_key=name_key,
                    display_name=display,
                    date_of_birth=ident.date_of_birth,
                    destroy_on=destroy_on,
                )
        except IntegrityError:
            # Registered at the same moment by someone else: theirs is the one.
            return Youth.objects.get(bsn_key=bsn_key)
    candidates = list(Youth.objects.filter(name_birth_key=name_key).order_by("pk").values_list("pk", flat=True))
    if data.confirm_youth_id is not None:
        if data.confirm_youth_id not in candidates:
            raise DomainError(_("Kies een jongere uit het voorstel."), field="confirm_youth_id")
        return Youth.objects.get(pk=data.confirm_youth_id)
    if candidates and not data.confirm_new_youth:
        raise IdentityConfirmationError(
            _(
                "Er is al een jongere met deze naam en geboortedatum bekend, zonder BSN-koppeling. "
                "Bevestig of het om dezelfde jongere gaat, of dat het iemand anders is."
            ),
            candidates=candidates,
        )
    return Youth.objects.create(
        bsn_key=None,
        name_birth_key=name_key,
        display_name=display,
        date_of_birth=ident.date_of_birth,
        destroy_on=destroy_on,
    )


def _parent_keys(bsns: Iterable[str]) -> list[ParentKey]:
    keys: list[ParentKey] = []
    for bsn in dict.fromkeys(normalise_bsn(b) for b in bsns):
        key = parent_key(bsn)
        found = ParentKey.objects.filter(key=key).first()
        if found is None:
            try:
                with transaction.atomic():
                    found = ParentKey.objects.create(key=key)
            except IntegrityError:
                found = ParentKey.objects.get(key=key)
        keys.append(found)
    return keys


def _lock(youth: Youth, parent_ids: set[int]) -> set[int]:
    """Lock the parents (in id order) and then the young person; returns the locked parent ids."""
    if parent_ids:
        list(
            ParentKey.objects.select_for_update().filter(pk__in=parent_ids).order_by("pk").values_list("pk", flat=True)
        )
    Youth.objects.select_for_update().filter(pk=youth.pk).values_list("pk", flat=True).first()
    return set(parent_ids)


def _propose_coordinator(signals: list[Signal], rules: IndexSettings) -> Signal | None:
    preference = list(rules.coordinator_preference or DEFAULT_COORDINATOR_PREFERENCE)
    excluded = set(rules.coordinator_excluded or DEFAULT_COORDINATOR_EXCLUDED)
    eligible = [s for s in signals if s.organisation.type not in excluded]
    if not eligible:
        return None
    rank = {t: i for i, t in enumerate(preference)}
    return min(eligible, key=lambda s: (rank.get(s.organisation.type, len(rank)), s.registered_on, s.pk))


def _join_match(
    *,
    kind: str,
    youth: Youth | None,
    parent: ParentKey | None,
    signals: list[Signal],
    rules: IndexSettings,
    today: date,
) -> tuple[Match, list[Signal]]:
    """Get or create the live match and add the signals not in it yet; returns the match and the newcomers."""
    live = Match.objects.filter(kind=kind, status__in=LIVE)
    match = (live.filter(youth=youth) if youth is not None else live.filter(parent=parent)).first()
    if match is None:
        match = Match.objects.create(
            kind=kind,
            youth=youth,
            parent=parent,
            contact_due=add_working_days(today, rules.contact_deadline_workdays),
        )
    present = set(MatchParticipant.objects.filter(match=match).values_list("signal_id", flat=True))
    newcomers = [s for s in signals if s.pk not in present]
    MatchParticipant.objects.bulk_create(
        [MatchParticipant(match=match, signal=s, municipality_id=s.municipality_id) for s in newcomers]
    )
    all_signals = list(signals)
    municipalities = {s.municipality_id for s in all_signals} | set(
        MatchParticipant.objects.filter(match=match).values_list("municipality_id", flat=True)
    )
    changes: dict[str, Any] = {}
    if len(municipalities) > 1 and not match.cross_municipality:
        changes["cross_municipality"] = True
    if match.coordinator_id is None:
        proposed = _propose_coordinator(all_signals, rules)
        if proposed is not None:
            changes["coordinator"] = proposed
    if changes:
        for key, value in changes.items():
            setattr(match, key, value)
        match.save(update_fields=[*changes.keys()])
    return match, newcomers


def _active_signals(q: Q) -> list[Signal]:
    return list(
        Signal.objects.filter(q, status=SignalStatus.ACTIEF)
        .select_related("organisation", "professional")
        .order_by("pk")
    )


def _match_for(
    signal: Signal, youth: Youth, parent_ids: set[int], rules: IndexSettings, today: date
) -> list[tuple[Match, list[Signal]]]:
    results: list[tuple[Match, list[Signal]]] = []
    on_youth = _active_signals(Q(youth=youth))
    if len(on_youth) >= 2:
        results.append(
            _join_match(kind=MatchKind.CLIENT, youth=youth, parent=None, signals=on_youth, rules=rules, today=today)
        )
    for parent_id in sorted(parent_ids):
        siblings = ParentLink.objects.filter(parent_id=parent_id).values_list("youth_id", flat=True)
        in_family = _active_signals(Q(youth_id__in=siblings))
        if len({s.youth_id for s in in_family}) >= 2:
            parent = ParentKey.objects.get(pk=parent_id)
            results.append(
                _join_match(
                    kind=MatchKind.FAMILY, youth=None, parent=parent, signals=in_family, rules=rules, today=today
                )
            )
    return results


def signal_register(*, actor: Actor, data: Registration, today: date | None = None) -> RegistrationResult:
    """Register that a professional is involved with a young person; match at once."""
    today = today or timezone.localdate()
    professional, membership = _registering_party(actor, data)
    rules = _check_authorised(membership)
    if actor.api_client is not None and data.idempotency_key:
        previous = Signal.objects.filter(api_client=actor.api_client, idempotency_key=data.idempotency_key).first()
        if previous is not None:
            return RegistrationResult(signal=previous, created=False, matches=[])
    _age, bsn_key, name_key = _check_registration(data, today)
    assert data.identity.date_of_birth is not None
    destroy_on = data.identity.date_of_birth + relativedelta(years=MAX_AGE)
    for attempt in range(3):
        try:
            return _register(actor, data, professional, membership, rules, bsn_key, name_key, destroy_on, today)
        except OperationalError as exc:  # deadlock between two registrations: try again
            if attempt == 2 or "deadlock" not in str(exc).lower():
                raise
            logger.info("verwijsindex registration retried after a deadlock")
    raise AssertionError("unreachable")


def _register(
    actor: Actor,
    data: Registration,
    professional: User,
    membership: Membership,
    rules: IndexSettings,
    bsn_key: str,
    name_key: str,
    destroy_on: date,
    today: date,
) -> RegistrationResult:
    with transaction.atomic():
        youth = _youth_for(data, bsn_key, name_key, destroy_on)
        new_parents = _parent_keys(data.identity.parent_bsns)
        known = set(ParentLink.objects.filter(youth=youth).values_list("parent_id", flat=True))
        locked = _lock(youth, known | {p.pk for p in new_parents})
        # A parent linked by a registration that committed while we waited: lock it too.
        now_known = set(ParentLink.objects.filter(youth=youth).values_list("parent_id", flat=True))
        if now_known - locked:
            list(ParentKey.objects.select_for_update().filter(pk__in=now_known - locked).values_list("pk", flat=True))
        for parent in new_parents:
            ParentLink.objects.get_or_create(youth=youth, parent=parent)
        parent_ids = now_known | {p.pk for p in new_parents}
        if Signal.objects.filter(youth=youth, professional=professional, status=SignalStatus.ACTIEF).exists():
            raise DomainError(
                _("U heeft al een actief signaal op deze jongere. Een tweede signaal is niet nodig."), field="identity"
            )
        active_until = min(
            today + relativedelta(months=rules.active_months) - timedelta(days=1), destroy_on - timedelta(days=1)
        )
        signal = Signal.objects.create(
            youth=youth,
            municipality_id=membership.organisation.municipality_id,
            organisation=membership.organisation,
            professional=professional,
            wijk_id=membership.team.wijk_id if membership.team_id and membership.team else None,
            contact_phone=(data.contact_phone or getattr(professional, "phone", "") or membership.organisation.phone)[
                :40
            ],
            contact_email=data.contact_email or professional.email,
            registered_on=today,
            active_until=active_until,
            api_client=actor.api_client,
            idempotency_key=data.idempotency_key if actor.api_client is not None else "",
        )
        SignalRecord.objects.create(
            signal=signal,
            risk_categories=sorted({c.strip().lower() for c in data.risk_categories if c.strip()}),
            criteria_confirmed=True,
            parents_informed_on=data.parents_informed_on,
            youth_informed_on=data.youth_informed_on,
            notice_postponed=data.notice_postponed,
            postpone_motivation=data.postpone_motivation.strip() or None,
            remind_on=today + timedelta(days=NOTICE_REMINDER_DAYS) if data.notice_postponed else None,
        )
        signal = Signal.objects.select_related("organisation", "professional").get(pk=signal.pk)
        joined = _match_for(signal, youth, parent_ids, rules, today)
        history = Signal.objects.filter(youth=youth, status=SignalStatus.GEARCHIVEERD).count()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="vi.signal",
            object_id=signal.pk,
            client_pseudonym=f"J{youth.pk}",
            details={"matches": [m.pk for m, _n in joined], "history": history},
        )
        for match, newcomers in joined:
            audit.record(
                actor=actor,
                action=AuditAction.CREATE if len(newcomers) == match.participants.count() else AuditAction.UPDATE,
                object_type="vi.match",
                object_id=match.pk,
                client_pseudonym=f"J{youth.pk}",
                details={"kind": match.kind, "signals": [s.pk for s in newcomers]},
            )
            _notify_match(match)
        webhooks.match_changes_record([(m, [s.pk for s in n]) for m, n in joined])
    return RegistrationResult(signal=signal, created=True, matches=[m for m, _n in joined], history=history)


def _notify_match(match: Match) -> None:
    users = list(
        User.objects.filter(vi_signals__participations__match=match, vi_signals__status=SignalStatus.ACTIEF).distinct()
    )
    notification_send(
        recipients=users,
        kind="verwijsindex.match",
        title=_("Match in de verwijsindex"),
        body=_("Een of meer collega's zijn ook betrokken bij een jongere op wie u een signaal heeft afgegeven."),
        link=reverse("verwijsindex:match", args=[match.pk]),
    )


# --- ending signals ----------------------------------------------------------------------------


def _archive_until(signal: Signal, today: date) -> date:
    return min(today + relativedelta(years=ARCHIVE_YEARS), signal.youth.destroy_on)


def _close_matches_without_pairs(match_ids: Iterable[int] | None = None) -> int:
    """End live matches that no longer have two active signals (two young people for a family match)."""
    qs = Match.objects.filter(status__in=LIVE)
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
    qs = Signal.objects.select_related("youth").filter(pk=signal_id, status=SignalStatus.ACTIEF)
    if actor.api_client is not None:
        qs = qs.filter(organisation_id=actor.api_client.organisation_id)
    elif actor.user is not None:
        qs = qs.filter(professional=actor.user)
    else:
        raise NotFoundError
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
            client_pseudonym=f"J{signal.youth_id}",
            details={"ended": EndReason.INGETROKKEN},
        )
    return signal


# --- after a match ---------------------------------------------------------------------------


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
        client_pseudonym=f"J{match.youth_id}" if match.youth_id else "",
        details={"event": kind, **details},
    )


def _bump(match: Match, expected_version: int | None, **changes: Any) -> None:
    qs = Match.objects.filter(pk=match.pk, status__in=LIVE)
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
        SignalRecord.objects.filter(signal_id=signal_id, signal__professional=actor.user)
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


# --- scheduled jobs ----------------------------------------------------------------------------


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
    if not Regievoerder.objects.filter(
        user=actor.user, municipality_id=actor.membership.organisation.municipality_id
    ).exists():
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


def index_settings_update(*, actor: Actor, municipality: Municipality, **values: Any) -> IndexSettings:
    """The functioneel beheerder of the gemeente sets the municipality's verwijsindex rules."""
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    if actor.membership.organisation.municipality_id != municipality.pk:
        raise NotFoundError
    months = values.get("active_months", 24)
    if not 1 <= int(months) <= 24:
        raise DomainError(_("Kies een looptijd van 1 tot en met 24 maanden."), field="active_months")
    unknown = [t for t in values.get("registering_types", []) if t not in OrganisationType.values]
    if unknown:
        raise DomainError(_("Onbekende soort organisatie."), field="registering_types")
    with transaction.atomic():
        obj, _created = IndexSettings.objects.update_or_create(municipality=municipality, defaults=values)
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="vi.settings", object_id=municipality.pk)
    return obj


def _manager_municipality(actor: Actor) -> int:
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    return int(actor.membership.organisation.municipality_id)


def regievoerder_add(*, actor: Actor, username: str) -> Regievoerder:
    """The functioneel beheerder of the gemeente designates a regievoerder (a member of an organisation there)."""
    municipality_id = _manager_municipality(actor)
    name = username.strip()
    user = (
        User.objects.filter(
            Q(username__iexact=name) | Q(email__iexact=name),
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__municipality_id=municipality_id,
        )
        .distinct()
        .first()
        if name
        else None
    )
    if user is None:
        raise DomainError(
            _("Er is geen actieve medewerker met deze gebruikersnaam of dit e-mailadres in uw gemeente."),
            field="username",
        )
    if Regievoerder.objects.filter(municipality_id=municipality_id, user=user).exists():
        raise DomainError(_("Deze medewerker is al regievoerder."), field="username")
    with transaction.atomic():
        designation = Regievoerder.objects.create(municipality_id=municipality_id, user=user)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="vi.regievoerder",
            object_id=designation.pk,
            details={"user": user.pk},
        )
    return designation


def regievoerder_remove(*, actor: Actor, regievoerder_id: int) -> None:
    """End a regievoerder designation of the actor's municipality."""
    municipality_id = _manager_municipality(actor)
    with transaction.atomic():
        designation = (
            Regievoerder.objects.select_for_update().filter(pk=regievoerder_id, municipality_id=municipality_id).first()
        )
        if designation is None:
            raise NotFoundError
        user_id = designation.user_id
        designation.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="vi.regievoerder",
            object_id=regievoerder_id,
            details={"user": user_id},
        )
