"""Which overleg types the large city has: their members, attendees and the dossiers that come to them."""

from __future__ import annotations

from datetime import time

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, User
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier
from keten.overleg.models import OverlegKind
from keten.seeding.overleg_large.data import BENCH_CASES, STRAF_ZORG_NAME
from keten.seeding.overleg_large.state import OverlegState, Spec


class SpecSeeding(OverlegState):
    def _case_users(self, org: Organisation, n: int) -> list[int]:
        return list(
            Membership.objects.filter(
                organisation=org, is_active=True, role__in=(Role.PROFESSIONAL, Role.VEILIG_THUIS, Role.TEAMLEIDER)
            )
            .exclude(user__username__startswith="bench-")
            .order_by("user_id")
            .values_list("user_id", flat=True)[:n]
        )

    def _pool(self, org_ids: list[int], limit: int, exclude: set[int]) -> list[tuple[int, int, int]]:
        """Open dossiers whose regievoerder works for one of these organisations: (dossier, user, org)."""
        rows = list(
            CaseTeamMember.objects.filter(
                organisation_id__in=org_ids,
                case_role=CaseRole.REGIEVOERDER,
                ended_at__isnull=True,
                dossier__status=Dossier.Status.OPEN,
            )
            .exclude(dossier_id__in=exclude)
            .order_by("dossier_id")
            .values_list("dossier_id", "user_id", "organisation_id")[: limit * 3]
        )
        self.rng.shuffle(rows)
        return rows[:limit]

    def specs(self, municipality: Municipality) -> list[Spec]:
        orgs = list(Organisation.objects.filter(municipality=municipality, is_active=True).order_by("pk"))

        def of(kind: str) -> list[Organisation]:
            return [o for o in orgs if o.type == kind]

        vt, om, rvdk, gemeente = (
            of(OrganisationType.VEILIG_THUIS)[0],
            of(OrganisationType.OM)[0],
            of(OrganisationType.RVDK)[0],
            of(OrganisationType.GEMEENTE)[0],
        )
        politie, gi, wijkteams, jgz = (
            of(OrganisationType.POLITIE),
            of(OrganisationType.GI),
            of(OrganisationType.WIJKTEAM),
            of(OrganisationType.JGZ),
        )
        bench = User.objects.get(username="bench-professional")
        bench_org = bench.memberships.get().organisation
        vt_staff = self._case_users(vt, 3)

        def one(org: Organisation) -> list[tuple[int, int]]:
            return [(u, org.pk) for u in self._case_users(org, 1)]

        straf_attendees = [
            (vt_staff[0], vt.pk),
            (bench.pk, bench_org.pk),
            *one(politie[0]),
            *one(om),
            *one(gi[0]),
            *one(rvdk),
        ]
        mda_chair = vt_staff[1] if len(vt_staff) > 1 else vt_staff[0]
        bench_dossiers = [
            (d, bench.pk, bench_org.pk)
            for d in CaseTeamMember.objects.filter(user=bench, ended_at__isnull=True)
            .order_by("dossier_id")
            .values_list("dossier_id", flat=True)
        ]
        straf_pool = self._pool([w.pk for w in wijkteams] + [vt.pk], 900, set()) + bench_dossiers
        self.rng.shuffle(straf_pool)
        used = {d for d, _u, _o in straf_pool}
        mda_pool = self._pool([vt.pk] + [w.pk for w in wijkteams], 500, used)
        used |= {d for d, _u, _o in mda_pool}
        specs = [
            Spec(
                name=STRAF_ZORG_NAME,
                kind=OverlegKind.STRAF_ZORG,
                lead=vt,
                chair=vt_staff[0],
                members=[vt, *politie, om, *gi, rvdk, gemeente, bench_org],
                weekdays=[2, 4],
                start=time(10, 0),
                attendees=straf_attendees,
                pool=straf_pool,
                new_per_meeting=(1, 3),
                lifetime=(3, 7),
                follow_every=2,
                cap=BENCH_CASES,
                bench=True,
                owner_weights=[(uid, 4 if uid == bench.pk else 1) for uid, _o in straf_attendees[1:]],
            ),
            Spec(
                name="MDA++-triage Amstelmere",
                kind=OverlegKind.MDA_TRIAGE,
                lead=vt,
                chair=mda_chair,
                members=[vt, *politie, *gi, rvdk, gemeente],
                weekdays=[1],
                start=time(13, 0),
                attendees=[(mda_chair, vt.pk), *one(politie[-1]), *one(gi[-1])],
                pool=mda_pool,
                new_per_meeting=(1, 3),
                lifetime=(2, 4),
                follow_every=1,
                cap=10,
            ),
        ]
        # Every wijkteam has its overleg from scale 0.1 on (two years of meetings do not grow with the
        # city); tiny test scales keep a few.
        n_wijk = len(wijkteams) if self.scale >= 0.1 else max(1, round(len(wijkteams) * self.scale * 10))
        for index, wijkteam in enumerate(wijkteams[:n_wijk]):
            staff = self._case_users(wijkteam, 4)
            if len(staff) < 2:
                continue
            nurse_org = jgz[index % len(jgz)] if jgz else wijkteam
            nurse = self._case_users(nurse_org, 1)
            attendees = [(u, wijkteam.pk) for u in staff] + [(u, nurse_org.pk) for u in nurse]
            pool = self._pool([wijkteam.pk], 260, used)
            used |= {d for d, _u, _o in pool}
            specs.append(
                Spec(
                    name=f"Wijk-casusoverleg {wijkteam.name}",
                    kind=OverlegKind.WIJK,
                    lead=wijkteam,
                    chair=staff[0],
                    members=[wijkteam, nurse_org],
                    weekdays=[3],
                    start=time(14, 0),
                    attendees=attendees,
                    pool=pool,
                    new_per_meeting=(0, 2),
                    lifetime=(2, 5),
                    follow_every=2,
                    cap=8,
                )
            )
        return specs
