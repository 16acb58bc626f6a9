"""The discussion records and agreements (in every state, with their versions) of held meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from keten.overleg.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    DiscussionEntry,
    MeetingStatus,
)
from keten.seeding.common import BATCH_SIZE
from keten.seeding.overleg_large.data import AGREEMENTS, SUMMARIES
from keten.seeding.overleg_large.state import OverlegState, Spec


class AgreementSeeding(OverlegState):
    def _owner(self, spec: Spec) -> tuple[int | None, int | None]:
        if self.rng.random() < 0.35:
            _uid, oid = self.rng.choice(spec.attendees[1:] or spec.attendees)
            return None, oid
        if spec.owner_weights:
            users, weights = zip(*spec.owner_weights, strict=True)
            return self.rng.choices(users, weights=weights)[0], None
        return self.rng.choice(spec.attendees)[0], None

    def _discussions_and_agreements(self, spec: Spec, items: list[AgendaItem], running_ids: set[int]) -> None:
        rng = self.rng
        discussions: list[DiscussionEntry] = []
        agreements: list[Agreement] = []
        closing: list[tuple[str, date, str] | None] = []
        org_of = dict(spec.attendees)
        last_held: dict[int, AgendaItem] = {}
        for item in items:
            meeting = item.meeting
            if meeting.status != MeetingStatus.HELD:
                continue
            last_held[id(item.registration)] = item
            author = rng.choice(spec.attendees)[0]
            four = rng.random() < 0.3
            discussions.append(
                DiscussionEntry(
                    agenda_item=item,
                    author_id=author,
                    organisation_id=org_of[author],
                    created_at=meeting.starts_at + timedelta(minutes=10 + item.order * 5),
                    summary=None if four else rng.choice(SUMMARIES),
                    mensen="Ouders en kinderen; betrokken hulpverleners." if four else None,
                    feiten="Meldingen en observaties sinds de vorige bespreking." if four else None,
                    weging="Zorgen blijven; veiligheid nog niet stabiel." if four else None,
                    volgende_stappen="Afspraken hieronder." if four else None,
                )
            )
            day = timezone.localdate(meeting.starts_at)
            for _n in range(rng.randint(1, 2)):
                user_id, org_id = self._owner(spec)
                due = day + timedelta(days=rng.randint(5, 21))
                agreements.append(
                    Agreement(
                        registration=item.registration,
                        agenda_item=item,
                        owner_user_id=user_id,
                        owner_organisation_id=org_id,
                        what=rng.choice(AGREEMENTS),
                        due_on=due,
                        created_by_id=spec.chair,
                        created_at=meeting.starts_at + timedelta(minutes=60),
                        updated_at=meeting.starts_at + timedelta(minutes=60),
                    )
                )
                roll = rng.random()
                if due < self.today:
                    if roll < 0.72:
                        closing.append((AgreementStatus.DONE, due - timedelta(days=rng.randint(0, 4)), "Uitgevoerd."))
                    elif roll < 0.85:
                        closing.append(
                            (
                                AgreementStatus.DONE,
                                due + timedelta(days=rng.randint(1, 9)),
                                "Uitgevoerd, later dan afgesproken.",
                            )
                        )
                    elif roll < 0.92:
                        closing.append((AgreementStatus.CANCELLED, due - timedelta(days=1), "Niet meer nodig."))
                    else:
                        closing.append(None)  # open and overdue
                else:
                    closing.append(
                        (AgreementStatus.DONE, min(self.today, day + timedelta(days=3)), "Uitgevoerd.")
                        if roll < 0.15
                        else None
                    )
        # The cases on the next planned meeting keep at least one open agreement each.
        for key in running_ids:
            last = last_held.get(key)
            if last is None:
                continue
            item = last
            day = timezone.localdate(item.meeting.starts_at)
            user_id, org_id = self._owner(spec)
            agreements.append(
                Agreement(
                    registration=item.registration,
                    agenda_item=item,
                    owner_user_id=user_id,
                    owner_organisation_id=org_id,
                    what=rng.choice(AGREEMENTS),
                    due_on=max(self.today, day + timedelta(days=14)),
                    created_by_id=spec.chair,
                    created_at=item.meeting.starts_at + timedelta(minutes=70),
                    updated_at=item.meeting.starts_at + timedelta(minutes=70),
                )
            )
            closing.append(None)
        for agreement, closed in zip(agreements, closing, strict=True):
            if closed is not None:
                status, on, result = closed
                on = min(on, self.today)
                agreement.status = status
                agreement.result = result
                agreement.closed_at = datetime.combine(on, time(16, 0), tzinfo=self.tz)
                agreement.updated_at = max(agreement.closed_at, agreement.created_at)
                agreement.version = 2
            elif agreement.due_on < self.today:
                agreement.overdue_notified_at = datetime.combine(agreement.due_on, time(7, 0), tzinfo=self.tz)
        DiscussionEntry.objects.bulk_create(discussions, batch_size=BATCH_SIZE)
        Agreement.objects.bulk_create(agreements, batch_size=BATCH_SIZE)
        versions: list[AgreementVersion] = []
        for agreement in agreements:
            values: dict[str, Any] = {
                "owner_user": agreement.owner_user_id,
                "owner_organisation": agreement.owner_organisation_id,
                "what": agreement.what,
                "due_on": agreement.due_on.isoformat(),
                "status": "open",
                "result": "",
            }
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    version=1,
                    kind=AgreementVersion.Kind.CREATED,
                    changed_by_id=spec.chair,
                    changed_at=agreement.created_at,
                    fields=["due_on", "owner", "what"],
                    values=values,
                )
            )
            if agreement.version == 2:
                assert agreement.closed_at is not None
                versions.append(
                    AgreementVersion(
                        agreement=agreement,
                        version=2,
                        kind=(
                            AgreementVersion.Kind.DONE
                            if agreement.status == AgreementStatus.DONE
                            else AgreementVersion.Kind.CANCELLED
                        ),
                        changed_by_id=agreement.owner_user_id or spec.chair,
                        changed_at=agreement.closed_at,
                        fields=["result", "status"],
                        values={**values, "status": agreement.status, "result": agreement.result},
                    )
                )
        AgreementVersion.objects.bulk_create(versions, batch_size=BATCH_SIZE)
        self.stats.discussions += len(discussions)
        self.stats.agreements += len(agreements)
