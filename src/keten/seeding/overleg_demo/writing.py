"""Plain inserts dated in the past: overleg types, held meetings, registrations, agenda items, discussion
records and agreements (the services refuse past dates, as they should for real use)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from keten.accounts.models import Organisation, User
from keten.dossiers.models import CaseTeamMember, Dossier
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attendance,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.seeding.overleg_demo.state import Case, OverlegDemoState


class OverlegWriting(OverlegDemoState):
    def _org(self, kind: str, name_part: str = "") -> Organisation:
        return next(o for o in self.orgs if o.type == kind and name_part in o.name)

    def _staff(self, org: Organisation, n: int) -> list[User]:
        return list(
            User.objects.filter(
                memberships__organisation=org,
                memberships__is_active=True,
                memberships__role__in=("professional", "vt_medewerker", "teamleider"),
            ).order_by("pk")[:n]
        )

    def _dossiers(self, user: User) -> list[Dossier]:
        ids = CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values_list("dossier_id", flat=True)
        return list(
            Dossier.objects.filter(pk__in=ids, status=Dossier.Status.OPEN).select_related("family").order_by("pk")
        )

    def _at(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz)

    def _type(
        self,
        *,
        name: str,
        kind: str,
        lead: Organisation,
        chair: User,
        members: list[Organisation],
        weekdays: list[int],
        start: time,
        location: str,
        steps: list[tuple[str, str]],
        convenant_id: int | None,
        basis: str,
    ) -> tuple[OverlegType, list[ProcessStep]]:
        overleg = OverlegType.objects.create(
            municipality_id=lead.municipality_id,
            name=name,
            kind=kind,
            lead_organisation=lead,
            chair=chair,
            weekdays=weekdays,
            start_time=start,
            duration_minutes=90,
            location=location,
            convenant_id=convenant_id,
            privacy_basis=basis,
            created_at=self.now - timedelta(days=120),
        )
        overleg.members.set(members)
        made = [
            ProcessStep.objects.create(overleg_type=overleg, order=i, name=step, criteria=criteria)
            for i, (step, criteria) in enumerate(steps, start=1)
        ]
        return overleg, made

    def _past_meetings(self, overleg: OverlegType, attendees: list[User], weeks: int) -> list[Meeting]:
        """Meetings of the recurrence in the past ``weeks`` weeks (before today), all held."""
        assert overleg.start_time is not None
        meetings = []
        for offset in range(weeks * 7, 0, -1):
            day = self.today - timedelta(days=offset)
            if day.isoweekday() not in overleg.weekdays:
                continue
            starts = self._at(day, overleg.start_time)
            meeting = Meeting.objects.create(
                overleg_type=overleg,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=overleg.duration_minutes),
                status=MeetingStatus.HELD,
                location=overleg.location,
                generated=True,
                held_at=starts + timedelta(minutes=overleg.duration_minutes),
                created_at=starts - timedelta(days=21),
            )
            for user in attendees:
                membership = user.memberships.filter(is_active=True).first()
                assert membership is not None
                Attendance.objects.create(
                    meeting=meeting,
                    user=user,
                    organisation_id=membership.organisation_id,
                    present=self.rng.random() > 0.1 or user.pk == overleg.chair_id,
                    recorded_by=overleg.chair,
                    recorded_at=starts + timedelta(minutes=5),
                )
            meetings.append(meeting)
        return meetings

    def _register(self, overleg: OverlegType, steps: list[ProcessStep], case: Case, by: User) -> CaseRegistration:
        registered = self.now - timedelta(days=case.registered_days_ago, hours=3)
        membership = by.memberships.filter(is_active=True).first()
        assert membership is not None
        reg = CaseRegistration.objects.create(
            overleg_type=overleg,
            dossier=case.dossier,
            registered_by=by,
            organisation_id=membership.organisation_id,
            reason=case.reason,
            goal=case.goal,
            process_step=steps[case.step],
            criteria=steps[case.step].criteria,
            family_informed=case.registered_days_ago % 3 != 0,
            family_not_informed_reason=(
                None
                if case.registered_days_ago % 3 != 0
                else "Informeren van de ouders kan de veiligheid van het kind nu in gevaar brengen."
            ),
            status=RegistrationStatus.AANGEMELD,
            registered_at=registered,
        )
        case.registration = reg
        return reg

    def _decide(self, reg: CaseRegistration, status: str, when: datetime, **extra: Any) -> None:
        CaseRegistration.objects.filter(pk=reg.pk).update(
            status=status, decided_by=reg.overleg_type.chair, decided_at=when, version=2, **extra
        )
        reg.refresh_from_db()

    def _on_agenda(self, meeting: Meeting, reg: CaseRegistration, order: int, source: str) -> AgendaItem:
        added = min(meeting.starts_at - timedelta(days=1), self.now)
        item = AgendaItem.objects.create(
            meeting=meeting, registration=reg, order=order, source=source, added_by=meeting.overleg_type.chair
        )
        AgendaItem.objects.filter(pk=item.pk).update(added_at=added)
        AgendaEvent.objects.bulk_create(
            [
                AgendaEvent(
                    item=item,
                    kind=AgendaEvent.Kind.ADDED,
                    actor=meeting.overleg_type.chair,
                    created_at=added,
                    details={"source": source},
                )
            ]
        )
        if reg.first_discussed_at is None and meeting.status == MeetingStatus.HELD:
            CaseRegistration.objects.filter(pk=reg.pk).update(first_discussed_at=meeting.starts_at)
            reg.first_discussed_at = meeting.starts_at
        return item

    def _discuss(self, item: AgendaItem, author: User, texts: dict[str, str]) -> None:
        membership = author.memberships.filter(is_active=True).first()
        assert membership is not None
        DiscussionEntry.objects.bulk_create(
            [
                DiscussionEntry(
                    agenda_item=item,
                    author=author,
                    organisation_id=membership.organisation_id,
                    created_at=item.meeting.starts_at + timedelta(minutes=20 + item.order * 10),
                    **texts,
                )
            ]
        )

    def _agree(
        self,
        item: AgendaItem,
        *,
        what: str,
        due: date,
        owner_user: User | None = None,
        owner_org: Organisation | None = None,
        closed: tuple[str, date, str] | None = None,
    ) -> Agreement:
        made = item.meeting.starts_at + timedelta(minutes=45)
        chair = item.meeting.overleg_type.chair
        assert chair is not None
        agreement = Agreement.objects.create(
            registration=item.registration,
            agenda_item=item,
            owner_user=owner_user,
            owner_organisation=owner_org,
            what=what,
            due_on=due,
            created_by=chair,
            created_at=made,
            updated_at=made,
        )
        values = {
            "owner_user": agreement.owner_user_id,
            "owner_organisation": agreement.owner_organisation_id,
            "what": what,
            "due_on": due.isoformat(),
            "status": "open",
            "result": "",
        }
        versions = [
            AgreementVersion(
                agreement=agreement,
                version=1,
                kind=AgreementVersion.Kind.CREATED,
                changed_by=chair,
                changed_at=made,
                fields=["due_on", "owner", "what"],
                values=values,
            )
        ]
        if closed is not None:
            status, on, result = closed
            at = self._at(on, time(16, 0))
            Agreement.objects.filter(pk=agreement.pk).update(
                status=status, result=result, closed_at=at, updated_at=at, version=2
            )
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    version=2,
                    kind=AgreementVersion.Kind.DONE
                    if status == AgreementStatus.DONE
                    else AgreementVersion.Kind.CANCELLED,
                    changed_by=owner_user or chair,
                    changed_at=at,
                    fields=["result", "status"],
                    values={**values, "status": status, "result": result},
                )
            )
        AgreementVersion.objects.bulk_create(versions)
        self.counts[f"agreements_{closed[0] if closed else 'open'}"] = (
            self.counts.get(f"agreements_{closed[0] if closed else 'open'}", 0) + 1
        )
        return agreement
