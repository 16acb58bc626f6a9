"""Overleg en afspraken for the demo municipality Lindeveld.

Two overleg types:

* the *afstemmingsoverleg straf–zorg* of the Zorg- en Veiligheidshuis, chaired by demo-veiligthuis,
  on Tuesday and Thursday at 10:00, with four weeks of held meetings (one cancelled), and
* the *wijk-casusoverleg Lindeveld-Centrum*, chaired by demo-teamleider, on Wednesday at 14:00.

The history (past meetings, their agendas, discussion records and agreements) is written with plain
inserts and dated in the past: the services refuse past dates, as they should for real use. Today's
actions go through the services: a case waiting for the chair's triage, a case registered from a
verwijsindex match and admitted onto the next meeting, and the coming weeks of meetings generated
from the recurrence (which carries the open agreements onto the next agenda). Agreements exist in
every state: open, open and due soon, overdue, done on time, done late and cancelled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from keten.accounts.models import Membership, Organisation, OrganisationType, User
from keten.core.actor import Actor
from keten.dossiers.models import CaseTeamMember, Dossier
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Attendance,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegKind,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.registrations import services as registration_services
from keten.seeding.common import explicit_timestamps

STRAF_ZORG = "Afstemmingsoverleg straf–zorg Lindeveld"
WIJK = "Wijk-casusoverleg Lindeveld-Centrum"
HISTORY_WEEKS = 4

STRAF_ZORG_STEPS = [
    ("Signalering", "Zorgen over veiligheid bij ten minste twee ketenpartners, of een strafrechtelijk signaal."),
    ("Analyse en afstemming", "Er is een gezamenlijk beeld nodig van risico's en lopende trajecten in zorg en straf."),
    ("Inzet hulp en strafrecht", "Hulp en strafrechtelijke aanpak moeten op elkaar worden afgestemd."),
    ("Monitoring", "De veiligheid is hersteld maar moet nog een periode gevolgd worden."),
]
WIJK_STEPS = [
    ("Signalering", "Een professional maakt zich zorgen en wil meedenken van andere partners in de wijk."),
    ("Inzet hulp", "Hulp loopt vast of er zijn meerdere hulpverleners zonder afstemming."),
    ("Monitoring", "De situatie is stabiel; volgen of afspraken blijven werken."),
]


def _actor(username: str) -> Actor:
    user = User.objects.get(username=username)
    membership = Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()
    assert membership is not None
    user.__dict__["active_membership"] = membership
    return Actor(user=user, membership=membership)


@dataclass
class _Case:
    """One case of the demo's history."""

    dossier: Dossier
    step: int
    reason: str
    goal: str
    registered_days_ago: int
    outcome: str  # toegelaten, afgewezen or afgesloten
    registration: CaseRegistration | None = None
    items: list[AgendaItem] = field(default_factory=list)


class OverlegDemo:
    def __init__(self, *, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = min(now, timezone.now())
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_default_timezone()
        self.chair = User.objects.get(username="demo-veiligthuis")
        self.teamleider = User.objects.get(username="demo-teamleider")
        self.prof = User.objects.get(username="demo-professional")
        self.collega = User.objects.get(username="demo-collega")
        municipality_id = Membership.objects.filter(user=self.prof).values_list(
            "organisation__municipality_id", flat=True
        )[0]
        self.orgs = list(Organisation.objects.filter(municipality_id=municipality_id, is_active=True).order_by("pk"))
        self.counts: dict[str, int] = {}

    # -- helpers --------------------------------------------------------------------------------
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

    def _register(self, overleg: OverlegType, steps: list[ProcessStep], case: _Case, by: User) -> CaseRegistration:
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

    # -- the two overleg types ----------------------------------------------------------------
    def build(self) -> dict[str, int]:
        from keten.sharing.models import Convenant

        convenant = Convenant.objects.filter(municipality_id=self.orgs[0].municipality_id).order_by("pk").first()
        vt = self._org(OrganisationType.VEILIG_THUIS)
        politie = self._org(OrganisationType.POLITIE)
        om = self._org(OrganisationType.OM)
        gi = self._org(OrganisationType.GI)
        rvdk = self._org(OrganisationType.RVDK)
        gemeente = self._org(OrganisationType.GEMEENTE)
        wijkteam = self._org(OrganisationType.WIJKTEAM, "Centrum")
        jgz = self._org(OrganisationType.JGZ)
        school = self._org(OrganisationType.ONDERWIJS)
        huisarts = self._org(OrganisationType.HUISARTS)

        with explicit_timestamps(OverlegType, Meeting, CaseRegistration, AgendaEvent, DiscussionEntry, Agreement):
            straf, straf_steps = self._type(
                name=STRAF_ZORG,
                kind=OverlegKind.STRAF_ZORG,
                lead=vt,
                chair=self.chair,
                members=[vt, politie, om, gi, rvdk, gemeente, wijkteam],
                weekdays=[2, 4],
                start=time(10, 0),
                location="Zorg- en Veiligheidshuis Lindeveld, vergaderzaal 1",
                steps=STRAF_ZORG_STEPS,
                convenant_id=convenant.pk if convenant else None,
                basis="Convenant Zorg- en Veiligheidshuis Lindeveld; verwerking op grond van de Wet Veiligheidsregio "
                "en artikel 7.3.11 Jeugdwet, per casus getoetst aan proportionaliteit.",
            )
            agent = self._staff(politie, 1)[0]
            officier = self._staff(om, 1)[0]
            jeugdbeschermer = self._staff(gi, 1)[0]
            straf_attendees = [self.chair, self.prof, agent, officier, jeugdbeschermer]
            straf_meetings = self._past_meetings(straf, straf_attendees, HISTORY_WEEKS)
            self._straf_zorg_history(straf, straf_steps, straf_meetings, agent=agent, gi=gi, politie=politie, om=om)

            wijk, wijk_steps = self._type(
                name=WIJK,
                kind=OverlegKind.WIJK,
                lead=wijkteam,
                chair=self.teamleider,
                members=[wijkteam, jgz, school, huisarts],
                weekdays=[3],
                start=time(14, 0),
                location="Wijkcentrum Lindeveld-Centrum, zaal De Linde",
                steps=WIJK_STEPS,
                convenant_id=convenant.pk if convenant else None,
                basis="Convenant Zorg en Veiligheid Jeugd Lindeveld; casussen met toestemming van de ouders, "
                "anders alleen geanonimiseerd.",
            )
            jgz_nurse = self._staff(jgz, 1)[0]
            wijk_attendees = [self.teamleider, self.prof, self.collega, jgz_nurse]
            wijk_meetings = self._past_meetings(wijk, wijk_attendees, HISTORY_WEEKS)
            self._wijk_history(wijk, wijk_steps, wijk_meetings, jgz=jgz, nurse=jgz_nurse)

        # Today: the recurrence plans the coming weeks (and carries open agreements onto the next agenda).
        made = meeting_services.meetings_generate(weeks=3, now=self.now)
        self.counts["meetings_planned"] = made
        self._today(straf, straf_steps)
        self.counts["meetings_held"] = Meeting.objects.filter(status=MeetingStatus.HELD).count()
        self.counts["registrations"] = CaseRegistration.objects.count()
        return self.counts

    def _straf_zorg_history(
        self,
        overleg: OverlegType,
        steps: list[ProcessStep],
        meetings: list[Meeting],
        *,
        agent: User,
        gi: Organisation,
        politie: Organisation,
        om: Organisation,
    ) -> None:
        dossiers = self._dossiers(self.prof)
        cases = [
            _Case(
                dossiers[0],
                1,
                "Herhaald huiselijk geweld; politie en Veilig Thuis hebben meldingen, hulp loopt nog niet.",
                "Eén plan voor veiligheid, hulp en strafrechtelijke aanpak van de vader.",
                30,
                RegistrationStatus.TOEGELATEN,
            ),
            _Case(
                dossiers[1],
                2,
                "Ondertoezichtstelling loopt; een strafzaak tegen moeder's partner komt eraan.",
                "Afstemmen van de strafzaak met de hulp aan de kinderen.",
                23,
                RegistrationStatus.AFGESLOTEN,
            ),
            _Case(
                dossiers[2],
                0,
                "Zorgen over verwaarlozing; alleen het wijkteam is betrokken.",
                "Bespreken of een afstemmingsoverleg nodig is.",
                16,
                RegistrationStatus.AFGEWEZEN,
            ),
            _Case(
                dossiers[3],
                1,
                "Jongere verdacht van een geweldsdelict; thuis onveilige situatie.",
                "Hulp aan het gezin en het strafrechtelijke traject van de jongere op elkaar afstemmen.",
                10,
                RegistrationStatus.TOEGELATEN,
            ),
        ]
        for case in cases:
            self._register(overleg, steps, case, self.prof)
        first_after = {
            id(c): next(m for m in meetings if m.starts_at > self.now - timedelta(days=c.registered_days_ago - 1))
            for c in cases
        }
        a, b, c, d = cases
        # A: admitted, discussed three times; agreements in every state.
        assert a.registration is not None
        m1 = first_after[id(a)]
        self._decide(
            a.registration, RegistrationStatus.TOEGELATEN, m1.starts_at - timedelta(days=1), casusregisseur=self.prof
        )
        item = self._on_agenda(m1, a.registration, 1, AgendaSource.TRIAGE)
        self._discuss(
            item,
            self.chair,
            {
                "mensen": "Moeder, vader (verdachte), twee kinderen van 6 en 9.",
                "feiten": "Drie politiemeldingen in twee maanden; Veilig Thuis onderzoekt.",
                "weging": "Acuut onveilig bij terugkeer van vader; kinderen tonen angst.",
                "volgende_stappen": "Tijdelijk huisverbod bespreken, hulp voor moeder en kinderen starten.",
                "decisions": "Casus toegelaten; casusregisseur is het wijkteam.",
            },
        )
        m1_day = timezone.localdate(m1.starts_at)
        self._agree(
            item,
            what="Veiligheidsplan opstellen met moeder",
            due=m1_day + timedelta(days=7),
            owner_user=self.prof,
            closed=(AgreementStatus.DONE, m1_day + timedelta(days=5), "Veiligheidsplan gemaakt en ondertekend."),
        )
        self._agree(
            item,
            what="Stand van zaken strafzaak vader doorgeven",
            due=m1_day + timedelta(days=5),
            owner_org=om,
            closed=(AgreementStatus.DONE, m1_day + timedelta(days=9), "Zitting gepland; voorwaarden besproken."),
        )
        self._agree(
            item,
            what="Traumascreening van beide kinderen aanvragen",
            due=self.today - timedelta(days=3),
            owner_user=self.prof,
        )
        later = [m for m in meetings if m.starts_at > m1.starts_at]
        follow = item
        for order_meeting in later[2::3]:
            follow = self._on_agenda(order_meeting, a.registration, 1, AgendaSource.FOLLOW_UP)
            self._discuss(follow, self.chair, {"summary": "Voortgang besproken; open afspraken blijven staan."})
        self._agree(
            follow,
            what="Huisbezoek door de wijkagent na terugkeer van vader",
            due=self.today + timedelta(days=1),
            owner_user=agent,
        )
        self._agree(
            follow,
            what="Gezinsvoogd informeert over voortgang van de hulp",
            due=self.today + timedelta(days=12),
            owner_org=gi,
        )

        # B: admitted, discussed, one agreement cancelled, then left the overleg with follow-up.
        assert b.registration is not None
        mb = first_after[id(b)]
        self._decide(b.registration, RegistrationStatus.TOEGELATEN, mb.starts_at - timedelta(days=1))
        item_b = self._on_agenda(mb, b.registration, 2, AgendaSource.TRIAGE)
        self._discuss(item_b, self.chair, {"summary": "Strafzaak en hulp afgestemd; OTS loopt door."})
        mb_day = timezone.localdate(mb.starts_at)
        self._agree(
            item_b,
            what="Politie neemt contact op met school over veiligheid op weg naar huis",
            due=mb_day + timedelta(days=4),
            owner_org=politie,
            closed=(AgreementStatus.CANCELLED, mb_day + timedelta(days=3), "Niet meer nodig: gezin is verhuisd."),
        )
        self._agree(
            item_b,
            what="Jeugdbeschermer stemt bezoekregeling af met de advocaat",
            due=mb_day + timedelta(days=10),
            owner_org=gi,
            closed=(AgreementStatus.DONE, mb_day + timedelta(days=8), "Bezoekregeling vastgelegd."),
        )
        closed_at = mb.starts_at + timedelta(days=9)
        CaseRegistration.objects.filter(pk=b.registration.pk).update(
            status=RegistrationStatus.AFGESLOTEN,
            closed_at=closed_at,
            close_reason="De strafzaak is afgerond en de hulp loopt via de gecertificeerde instelling.",
            follow_up="De jeugdbeschermer blijft contact houden met het gezin.",
            follow_up_organisation=gi,
            version=3,
        )

        # C: declined with a reason.
        assert c.registration is not None
        self._decide(
            c.registration,
            RegistrationStatus.AFGEWEZEN,
            c.registration.registered_at + timedelta(days=1),
            decline_reason="Geen strafrechtelijk spoor: past beter in het wijk-casusoverleg.",
        )

        # D: admitted recently; agreements owned by organisations.
        assert d.registration is not None
        md = first_after[id(d)]
        self._decide(
            d.registration, RegistrationStatus.TOEGELATEN, md.starts_at - timedelta(days=1), casusregisseur=self.prof
        )
        item_d = self._on_agenda(md, d.registration, 2, AgendaSource.TRIAGE)
        self._discuss(
            item_d,
            agent,
            {
                "feiten": "Jongere is aangehouden; er loopt een onderzoek.",
                "weging": "Risico op herhaling; thuis weinig toezicht.",
                "volgende_stappen": "Jeugdreclassering en wijkteam stemmen een plan af.",
            },
        )
        self._agree(
            item_d,
            what="Advies over schorsingsvoorwaarden delen",
            due=self.today + timedelta(days=2),
            owner_org=om,
        )
        self._agree(
            item_d,
            what="Gesprek met ouders over toezicht thuis",
            due=self.today - timedelta(days=1),
            owner_user=self.prof,
        )
        # One meeting was cancelled (a holiday); the cases on it moved on.
        quiet = [m for m in meetings if not m.items.exists()]
        if quiet:
            Meeting.objects.filter(pk=quiet[0].pk).update(
                status=MeetingStatus.CANCELLED, held_at=None, cancel_reason="Vervalt wegens feestdag."
            )

    def _wijk_history(
        self, overleg: OverlegType, steps: list[ProcessStep], meetings: list[Meeting], *, jgz: Organisation, nurse: User
    ) -> None:
        dossiers = self._dossiers(self.prof)[4:] + self._dossiers(self.collega)
        case = _Case(
            dossiers[0],
            1,
            "Meerdere hulpverleners zonder afstemming; school ziet een terugval.",
            "Wie doet wat op welk moment: één plan en één regisseur.",
            20,
            RegistrationStatus.TOEGELATEN,
        )
        reg = self._register(overleg, steps, case, self.prof)
        first = next(m for m in meetings if m.starts_at > reg.registered_at)
        self._decide(
            reg, RegistrationStatus.TOEGELATEN, first.starts_at - timedelta(days=1), casusregisseur=self.collega
        )
        item = self._on_agenda(first, reg, 1, AgendaSource.TRIAGE)
        self._discuss(item, self.teamleider, {"summary": "Plan besproken; JGZ en school sluiten aan."})
        day = timezone.localdate(first.starts_at)
        self._agree(
            item,
            what="JGZ plant een extra contactmoment",
            due=day + timedelta(days=10),
            owner_org=jgz,
            closed=(AgreementStatus.DONE, day + timedelta(days=6), "Contactmoment gehouden; groei is goed."),
        )
        self._agree(
            item, what="Gezinsplan op papier zetten", due=self.today + timedelta(days=6), owner_user=self.collega
        )
        self._agree(
            item, what="Overleg met de huisarts over medicatie", due=self.today - timedelta(days=5), owner_user=nurse
        )

    def _today(self, overleg: OverlegType, steps: list[ProcessStep]) -> None:
        """Through the services: one case waits for triage, one is registered from a match and admitted."""
        from keten.verwijsindex.models import Match, SignalStatus

        prof = _actor("demo-professional")
        dossiers = self._dossiers(self.prof)
        used = set(CaseRegistration.objects.values_list("dossier_id", flat=True))
        free = [d for d in dossiers if d.pk not in used]
        if len(free) < 2:
            return
        registration_services.registration_create(
            actor=prof,
            overleg_type=overleg,
            dossier=free[0],
            data=registration_services.RegistrationData(
                reason="Moeder is slachtoffer van stalking door ex-partner; kinderen zijn getuige.",
                goal="Beschermende maatregelen en hulp afstemmen met politie en OM.",
                process_step_id=steps[0].pk,
                criteria=steps[0].criteria,
                invited_organisation_ids=[],
                family_informed=True,
            ),
        )
        match = (
            Match.objects.filter(
                participants__signal__professional=self.prof,
                participants__signal__status=SignalStatus.ACTIEF,
                coordinator__professional=self.prof,
            )
            .order_by("pk")
            .first()
        )
        prefill = (
            registration_services.registration_prefill_from_match(actor=prof, match_id=match.pk)
            if match is not None
            else None
        )
        registration = registration_services.registration_create(
            actor=prof,
            overleg_type=overleg,
            dossier=free[1],
            data=registration_services.RegistrationData(
                reason=prefill.reason if prefill else "Meerdere professionals zijn betrokken bij dit gezin.",
                goal="Afspreken wie wat doet en wie de regie heeft.",
                process_step_id=steps[1].pk,
                invited_organisation_ids=prefill.partner_ids if prefill else [],
                family_informed=True,
                match_id=match.pk if match is not None else None,
            ),
        )
        upcoming = meeting_services.next_planned_meeting(overleg.pk, timezone.now())
        if upcoming is not None:
            registration_services.registration_admit(
                actor=_actor(self.chair.username), registration=registration, meeting=upcoming
            )


def seed_overleg_demo(*, rng: random.Random, now: datetime) -> dict[str, int]:
    """Both overleg types of Lindeveld with their history; needs the demo organisations and dossiers."""
    return OverlegDemo(rng=rng, now=now).build()
