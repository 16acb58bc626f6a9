"""The past weeks of both overleg types: cases admitted, discussed, declined and closed, agreements in every state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from keten.accounts.models import Organisation, User
from keten.overleg.models import (
    AgendaSource,
    AgreementStatus,
    CaseRegistration,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.seeding.overleg_demo.state import Case
from keten.seeding.overleg_demo.writing import OverlegWriting


class HistorySeeding(OverlegWriting):
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
            Case(
                dossiers[0],
                1,
                "Herhaald huiselijk geweld; politie en Veilig Thuis hebben meldingen, hulp loopt nog niet.",
                "Eén plan voor veiligheid, hulp en strafrechtelijke aanpak van de vader.",
                30,
                RegistrationStatus.TOEGELATEN,
            ),
            Case(
                dossiers[1],
                2,
                "Ondertoezichtstelling loopt; een strafzaak tegen moeder's partner komt eraan.",
                "Afstemmen van de strafzaak met de hulp aan de kinderen.",
                23,
                RegistrationStatus.AFGESLOTEN,
            ),
            Case(
                dossiers[2],
                0,
                "Zorgen over verwaarlozing; alleen het wijkteam is betrokken.",
                "Bespreken of een afstemmingsoverleg nodig is.",
                16,
                RegistrationStatus.AFGEWEZEN,
            ),
            Case(
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
        case = Case(
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
