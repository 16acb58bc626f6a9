"""The overleg demo's entry point: both overleg types of Lindeveld with their history and today's actions."""

from __future__ import annotations

import random
from datetime import datetime, time

from keten.accounts.models import OrganisationType
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaEvent,
    Agreement,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegKind,
    OverlegType,
)
from keten.seeding.common import explicit_timestamps
from keten.seeding.overleg_demo.data import HISTORY_WEEKS, STRAF_ZORG, STRAF_ZORG_STEPS, WIJK, WIJK_STEPS
from keten.seeding.overleg_demo.history import HistorySeeding
from keten.seeding.overleg_demo.today import TodaySeeding
from keten.sharing.models import Convenant


class OverlegDemo(HistorySeeding, TodaySeeding):
    def build(self) -> dict[str, int]:
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


def seed_overleg_demo(*, rng: random.Random, now: datetime) -> dict[str, int]:
    """Both overleg types of Lindeveld with their history; needs the demo organisations and dossiers."""
    return OverlegDemo(rng=rng, now=now).build()
