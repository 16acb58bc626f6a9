"""Registering signals: one (:func:`signal_register`) or many (:func:`signals_register_bulk`), matched at once.

Matching happens in the registering transaction and is exact under concurrency: the rows of the
young people and then of their parents are locked (``SELECT … FOR UPDATE``, each in id order)
before the active signals are read, so two simultaneous registrations on the same child or on
siblings are serialised and the second always sees the first. On SQLite the database serialises
writers itself. A deadlock or a race between two registrations is retried.

A single registration (:func:`signal_register`) and a bulk call (:func:`signals_register_bulk`)
share one set-based core: a registration is a batch of one, and a batch of 1,000 costs about the
same number of statements as one registration.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit, lookups
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError
from keten.core.models import AuditAction
from keten.notifications.services import NewNotification, notifications_create_many
from keten.verwijsindex import webhooks
from keten.verwijsindex.audit_names import youth_pseudonyms
from keten.verwijsindex.copying import any_args as _args
from keten.verwijsindex.copying import any_of as _in
from keten.verwijsindex.models import (
    IndexSettings,
    Match,
    Signal,
    SignalStatus,
)
from keten.verwijsindex.services.index_rows import (
    Retry,
    Row,
    already_made,
    create_youths,
    fetch,
    insert_signals,
    link_parents,
    lock_youths,
    prepare,
    resolve_youths,
)
from keten.verwijsindex.services.matching import match_link, match_rows
from keten.verwijsindex.services.parties import (
    check_authorised,
    registering_parties,
    registering_party,
)
from keten.verwijsindex.services.validation import (
    IdentityConfirmationError,
    Memo,
    Registration,
    RegistrationResult,
)

logger = logging.getLogger(__name__)

#: Attempts of one registration or batch before giving up (deadlocks and races with concurrent ones).
ATTEMPTS = 3


def _write_rows(actor: Actor, rows: list[Row], today: date) -> list[Row]:
    """Register prepared rows in the current transaction, set-based; returns the deferred rows.

    A row found bad here (a second signal of the same professional, an identity to confirm) gets
    its ``error`` and writes nothing. Statements per call do not grow with the number of rows.
    """
    new_by_bsn, new_plain = resolve_youths(rows)
    good = [r for r in rows if r.error is None and not r.deferred]
    if good:
        create_youths(good, new_by_bsn, new_plain)
        lock_youths(good)
        already_made(actor, good)
        good = [r for r in good if r.error is None and not r.existing]
    if good:
        links = link_parents(good, sorted({r.youth_id for r in good if r.youth_id is not None}))
        insert_signals(actor, good, today)
        joined = match_rows(good, links, today)
        youths = sorted({r.youth_id for r in good if r.youth_id is not None})
        history: dict[int, int] = dict(
            fetch(
                f"SELECT youth_id, COUNT(*) FROM {Signal._meta.db_table} WHERE status = %s "  # noqa: S608
                f"AND youth_id {_in(youths)} GROUP BY youth_id",
                [SignalStatus.GEARCHIVEERD.value, *_args(youths)],
            )
        )
        names = youth_pseudonyms(youths)
        # Each event in the name of its row's actor (for a system: acting for the row's professional).
        entries: list[audit.Entry] = []
        for row in good:
            assert row.signal is not None
            assert row.youth_id is not None
            row.history = history.get(row.youth_id, 0)
            entries.append(
                audit.Entry(
                    action=AuditAction.CREATE,
                    object_type="vi.signal",
                    object_id=row.signal.pk,
                    client_pseudonym=names.get(row.youth_id, ""),
                    details={"matches": [m.pk for m in row.matches], "history": row.history},
                    actor=row.actor,
                )
            )
        for j in joined:
            entries.append(
                audit.Entry(
                    action=AuditAction.CREATE if j.created else AuditAction.UPDATE,
                    object_type="vi.match",
                    object_id=j.match.pk,
                    client_pseudonym=names.get(j.row.youth_id or 0, ""),
                    details={"kind": j.match.kind, "signals": [s.pk for s in j.newcomers]},
                    actor=j.row.actor,
                )
            )
        if joined:
            title = _("Match in de verwijsindex")
            body = _("Een of meer collega's zijn ook betrokken bij een jongere op wie u een signaal heeft afgegeven.")
            notifications_create_many(
                [
                    NewNotification(user_id, "verwijsindex.match", title, body, match_link(j.match.pk))
                    for j in joined
                    for user_id in sorted(j.recipients)
                ]
            )
            webhooks.match_changes_record([(j.match, [s.pk for s in j.newcomers]) for j in joined])
        # Last: the audit chain lock is shared by every writer and held until the commit.
        audit.record_many(actor=actor, entries=entries)
    return [r for r in rows if r.deferred]


def _run(actor: Actor, rows: list[Row], today: date, deferred: Sequence[Row] = ()) -> None:
    """One transaction: the rows set-based, then the deferred ones one by one. Retried after a
    deadlock or a race with a concurrent registration (nothing of a failed attempt remains)."""
    for attempt in range(ATTEMPTS):
        for row in (*rows, *deferred):
            row.reset()
        try:
            with transaction.atomic():
                later = [*_write_rows(actor, rows, today), *deferred]
                for row in sorted(later, key=lambda r: r.index):
                    row.reset()
                    _write_deferred(actor, row, today)
            return
        except (OperationalError, IntegrityError, Retry) as exc:
            retry = isinstance(exc, IntegrityError | Retry) or "deadlock" in str(exc).lower()
            if not retry or attempt == ATTEMPTS - 1:
                if isinstance(exc, Retry):
                    raise ConflictError from exc
                raise
            logger.info("verwijsindex registration retried after %s", type(exc).__name__)


def _write_deferred(actor: Actor, row: Row, today: date) -> None:
    key = row.data.idempotency_key
    if actor.api_client is not None and key:
        previous = Signal.objects.filter(api_client=actor.api_client, idempotency_key=key).first()
        if previous is not None:
            row.signal = previous
            row.existing = True
            return
    _write_rows(actor, [row], today)


def _record_identity_questions(actor: Actor, rows: Sequence[Row]) -> None:
    """Each identity question is an existence look-up: audited with the young people proposed and
    counted per caller, after the registration's transaction (so it stays although nothing was
    registered). Over the limit the question becomes a refusal that proposes nobody."""
    for row in rows:
        if isinstance(row.error, IdentityConfirmationError):
            try:
                lookups.record_hit(
                    actor,
                    object_type="youth_lookup",
                    pseudonyms=sorted(youth_pseudonyms(row.error.candidates).values()),
                    field="identity",
                    details={"field": "name_birth"},
                )
            except DomainError as exc:
                row.error = exc


def signal_register(*, actor: Actor, data: Registration, today: date | None = None) -> RegistrationResult:
    """Register that a professional is involved with a young person; match at once."""
    today = today or timezone.localdate()
    party = registering_party(actor, data)
    assert party.membership is not None
    rules = check_authorised(party.membership)
    if actor.api_client is not None and data.idempotency_key:
        previous = Signal.objects.filter(api_client=actor.api_client, idempotency_key=data.idempotency_key).first()
        if previous is not None:
            return RegistrationResult(signal=previous, created=False, matches=[])
    row = prepare(0, data, party, rules, today)
    if not row.bsn_key:
        lookups.ensure_allowed(actor, object_type="youth_lookup", field="identity")
    _run(actor, [row], today)
    _record_identity_questions(actor, [row])
    if row.error is not None:
        raise row.error
    assert row.signal is not None
    if row.existing:  # a call with the same key committed while this one waited for the lock
        return RegistrationResult(signal=row.signal, created=False, matches=[])
    return RegistrationResult(signal=row.signal, created=True, matches=row.matches, history=row.history)


def _previous(actor: Actor, key: str) -> Signal | None:
    """The signal the calling system registered earlier with this idempotency key, if any."""
    if not key or actor.api_client is None:
        return None
    return Signal.objects.filter(api_client=actor.api_client, idempotency_key=key).first()


def signal_register_idempotent(*, actor: Actor, data: Registration) -> RegistrationResult:
    """One registration of the API (its own transaction); concurrent duplicates answer like sequential ones.

    ``data.confirm_same_youth`` is only used after the registration asked to confirm the identity
    (so the question is audited and counted as a look-up); then the one young person proposed is
    taken. A call with the same idempotency key that committed while this one waited for the locks
    answers with its signal instead of an error.
    """
    registration = replace(data, confirm_same_youth=False)
    try:
        try:
            return signal_register(actor=actor, data=registration)
        except IdentityConfirmationError as exc:
            if data.confirm_same_youth and len(exc.candidates) == 1:
                registration.confirm_youth_id = exc.candidates[0]
                return signal_register(actor=actor, data=registration)
            raise
    except IntegrityError as exc:
        previous = _previous(actor, registration.idempotency_key)
        if previous is not None:
            return RegistrationResult(signal=previous, created=False, matches=[])
        raise DomainError(
            _("Deze professional heeft al een actief signaal op deze jongere."), field="identity"
        ) from exc
    except DomainError:
        previous = _previous(actor, registration.idempotency_key)
        if previous is not None:
            return RegistrationResult(signal=previous, created=False, matches=[])
        raise


@dataclass
class BulkOutcome:
    """What became of one registration of a bulk call: ``created``, ``existing`` or ``error``."""

    status: str
    signal: Signal | None = None
    matches: list[Match] = field(default_factory=list)
    error: DomainError | None = None


#: Rows of one bulk call at most (the API's limit).
BULK_MAX = 1000


def signals_register_bulk(
    *, actor: Actor, registrations: Sequence[Registration], today: date | None = None
) -> list[BulkOutcome]:
    """Register many signals in one transaction, set-based, each row with its own outcome.

    The same rules, matching, audit, notifications and feed events as :func:`signal_register`, with
    statements per call instead of per row: the young people and parents are looked up and created
    with one statement each, locked once (young people, then parents, each in id order), the
    signals and records written with one INSERT each, the matches found with grouped queries, every
    registration audited in one multi-row append (one chain lock), one notification per match and
    recipient and one e-mail per recipient. A bad row (invalid, not authorised, a second signal of
    the same professional, an identity to confirm) gets its error and changes nothing; the good rows
    are kept. A row whose idempotency key was used before answers ``existing``. A row that depends
    on an earlier row of the same call (the same idempotency key; without BSN, the same name and
    birth date as a young person the call creates) is handled after the others, as if sent later.
    """
    if len(registrations) > BULK_MAX:
        raise DomainError(_("Stuur hoogstens %(n)d signalen per keer.") % {"n": BULK_MAX}, field="signals")
    with gc_paused():
        return _register_bulk(actor, registrations, today or timezone.localdate())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's automatic cycle collection for one bulk call (at most :data:`BULK_MAX` rows;
    the API's bulk endpoint holds it over its per-row validation too).

    A call keeps tens of thousands of objects alive until it ends; with collection on, they push
    the collector into full passes over the whole process heap (about a tenth of a second, once
    or more per call), although nearly all of them are freed by reference counting when the call
    ends. Afterwards only the youngest generation is collected (what the call left alive).
    """
    if not gc.isenabled():  # paused already (a nested call or another thread's)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _register_bulk(actor: Actor, registrations: Sequence[Registration], today: date) -> list[BulkOutcome]:
    outcomes: list[BulkOutcome | None] = [None] * len(registrations)
    parties = registering_parties(actor, registrations)
    keys = (
        sorted({r.idempotency_key for r in registrations if r.idempotency_key}) if actor.api_client is not None else []
    )
    previous = (
        {s.idempotency_key: s for s in Signal.objects.filter(api_client=actor.api_client, idempotency_key__in=keys)}
        if keys
        else {}
    )
    authorised: dict[int, IndexSettings | DomainError] = {}
    memo = Memo()
    rows: list[Row] = []
    deferred: list[Row] = []
    seen_keys: set[str] = set()
    for index, data in enumerate(registrations):
        party = parties[index]
        if isinstance(party, DomainError):
            outcomes[index] = BulkOutcome("error", error=party)
            continue
        membership = party.membership
        assert membership is not None
        rules = authorised.get(membership.organisation_id)
        if rules is None:
            try:
                rules = check_authorised(membership)
            except DomainError as exc:
                rules = exc
            authorised[membership.organisation_id] = rules
        if isinstance(rules, DomainError):
            outcomes[index] = BulkOutcome("error", error=rules)
            continue
        key = data.idempotency_key if actor.api_client is not None else ""
        if key in previous:
            outcomes[index] = BulkOutcome("existing", signal=previous[key])
            continue
        try:
            row = prepare(index, data, party, rules, today, memo)
        except DomainError as exc:
            outcomes[index] = BulkOutcome("error", error=exc)
            continue
        if key and key in seen_keys:
            deferred.append(row)
        else:
            seen_keys.add(key)
            rows.append(row)
    if any(not row.bsn_key for row in (*rows, *deferred)):
        try:
            lookups.ensure_allowed(actor, object_type="youth_lookup", field="identity")
        except DomainError as exc:
            for row in (*rows, *deferred):
                if not row.bsn_key:
                    outcomes[row.index] = BulkOutcome("error", error=exc)
            rows = [row for row in rows if row.bsn_key]
            deferred = [row for row in deferred if row.bsn_key]
    if rows or deferred:
        _run(actor, rows, today, deferred)
        _record_identity_questions(actor, [*rows, *deferred])
    for row in (*rows, *deferred):
        if row.error is not None:
            outcomes[row.index] = BulkOutcome("error", error=row.error)
        elif row.existing:
            outcomes[row.index] = BulkOutcome("existing", signal=row.signal)
        else:
            outcomes[row.index] = BulkOutcome("created", signal=row.signal, matches=row.matches)
    return [o if o is not None else BulkOutcome("error", error=DomainError()) for o in outcomes]
