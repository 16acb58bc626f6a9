"""The outbox: match events written by the registering (or ending) transaction itself, once per
organisation in the match, with a delivery for each of that organisation's webhooks.

A payload holds ids, the match kind and status and the professionals' names, organisations and
contact details. It never holds the young person's name, date of birth, BSN or any risk category.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from keten.accounts.models import ApiClient, Organisation, User
from keten.core.queries import display_name
from keten.verwijsindex.copying import any_args, any_of, insert_rows
from keten.verwijsindex.models import (
    FeedEvent,
    Match,
    MatchParticipant,
    Signal,
    SignalStatus,
    WebhookDelivery,
    WebhookSubscription,
)
from keten.verwijsindex.webhooks.sending import enqueue


class _Participant(NamedTuple):
    """What a payload shows of one participant of a match (read as plain values, not model rows)."""

    signal_id: int
    active: bool
    organisation_id: int
    organisation_name: str
    professional: str
    phone: str
    email: str


def _participants(match_ids: Iterable[int]) -> dict[int, list[_Participant]]:
    ids = sorted(set(match_ids))
    out: dict[int, list[_Participant]] = {}
    if not ids:
        return out
    signal = Signal._meta.db_table
    organisation = Organisation._meta.db_table
    user = User._meta.db_table
    sql = (
        "SELECT p.match_id, p.signal_id, s.status, s.organisation_id, o.name, u.first_name, u.last_name, "  # noqa: S608
        f"u.username, s.contact_phone, s.contact_email FROM {MatchParticipant._meta.db_table} p "
        f"JOIN {signal} s ON s.id = p.signal_id JOIN {organisation} o ON o.id = s.organisation_id "
        f"JOIN {user} u ON u.id = s.professional_id WHERE p.match_id {any_of(ids)} "
        "ORDER BY s.registered_on, p.signal_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, any_args(ids))
        rows = cursor.fetchall()
    active = SignalStatus.ACTIEF.value
    names: dict[tuple[str, str, str], str] = {}
    for match_id, signal_id, status, org_id, org_name, first, last, username, phone, email in rows:
        name = names.get((first, last, username))
        if name is None:
            name = names[(first, last, username)] = display_name(first, last, username)
        found = out.get(match_id)
        if found is None:
            found = out[match_id] = []
        found.append(_Participant(signal_id, status == active, org_id, org_name, name, phone, email))
    return out


def _payload(
    match: Match,
    participants: list[_Participant],
    organisation_id: int,
    listed: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "match": {
            "id": match.pk,
            "kind": match.kind,
            "status": match.status,
            "contact_due": match.contact_due.isoformat() if match.contact_due else None,
            "coordinator_signal": match.coordinator_id,
            "cross_municipality": match.cross_municipality,
        },
        "own_signals": [p.signal_id for p in participants if p.organisation_id == organisation_id],
        "participants": listed if listed is not None else _listed(participants),
    }


def _listed(participants: list[_Participant]) -> list[dict[str, Any]]:
    return [
        {
            "signal": p.signal_id,
            "active": p.active,
            "organisation": {"id": p.organisation_id, "name": p.organisation_name},
            "professional": p.professional,
            "phone": p.phone,
            "email": p.email,
        }
        for p in participants
    ]


class _Event(NamedTuple):
    """A feed event to store (plain values: a registration writes many)."""

    organisation_id: int
    match_id: int
    kind: str
    payload: dict[str, Any]


def _write(events: list[_Event]) -> None:
    """Store the events and the deliveries to the subscriptions of their organisations; send after commit."""
    if not events:
        return
    organisation_ids = sorted({e.organisation_id for e in events})
    client = ApiClient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.id, c.organisation_id FROM {WebhookSubscription._meta.db_table} w "  # noqa: S608
            f"JOIN {client} c ON c.id = w.api_client_id WHERE w.is_active = %s AND c.is_active = %s "
            f"AND c.organisation_id {any_of(organisation_ids)}",
            [True, True, *any_args(organisation_ids)],
        )
        subscriptions = cursor.fetchall()
    now = timezone.now()
    event_ids = insert_rows(
        FeedEvent,
        ("organisation_id", "match_id", "kind", "payload", "created_at"),
        [(e.organisation_id, e.match_id, e.kind, e.payload, now) for e in events],
        ids=bool(subscriptions),
    )
    if not subscriptions:
        return
    ids = insert_rows(
        WebhookDelivery,
        ("subscription_id", "event_id", "status", "attempts", "created_at"),
        [
            (sub_id, event_id, WebhookDelivery.Status.PENDING.value, 0, now)
            for event, event_id in zip(events, event_ids, strict=True)
            for sub_id, org_id in subscriptions
            if org_id == event.organisation_id
        ],
        ids=True,
    )
    transaction.on_commit(lambda: enqueue(ids))


def match_changes_record(changes: Sequence[tuple[Match, Sequence[int]]]) -> None:
    """After a registration: each (match, ids of the signals that just joined it).

    An organisation whose every signal in the match just joined hears of a new match; the others
    hear that a professional was added. Called inside the registering transaction.
    """
    if not changes:
        return
    participants = _participants(m.pk for m, _new in changes)
    events: list[_Event] = []
    created, added = FeedEvent.Kind.MATCH_CREATED.value, FeedEvent.Kind.PARTICIPANT_ADDED.value
    for match, newcomers in changes:
        rows = participants.get(match.pk, [])
        joined = set(newcomers)
        listed = _listed(rows)  # the same for every organisation of the match
        for org_id in sorted({p.organisation_id for p in rows if p.active}):
            own = {p.signal_id for p in rows if p.organisation_id == org_id}
            kind = created if own <= joined else added
            events.append(_Event(org_id, match.pk, kind, _payload(match, rows, org_id, listed)))
    _write(events)


def matches_ended_record(match_ids: Iterable[int]) -> None:
    """Matches that just ended: every organisation that took part hears it. Inside the ending transaction."""
    ids = list(match_ids)
    for start in range(0, len(ids), 1000):  # the nightly job may end many at once
        chunk = ids[start : start + 1000]
        participants = _participants(chunk)
        events: list[_Event] = []
        for match in Match.objects.filter(pk__in=chunk):
            rows = participants.get(match.pk, [])
            listed = _listed(rows)
            for org_id in sorted({p.organisation_id for p in rows}):
                events.append(
                    _Event(org_id, match.pk, FeedEvent.Kind.MATCH_ENDED.value, _payload(match, rows, org_id, listed))
                )
        _write(events)
