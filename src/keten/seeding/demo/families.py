"""The demo's families, persons and dossiers, with case teams that mix organisations, and notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from simple_history.utils import bulk_create_with_history

from keten.accounts.models import OrganisationType
from keten.core.crypto import bsn_index, name_birth_index
from keten.core.models import AuditAction
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier, DossierNote, Family, Person, Relation
from keten.seeding.common import birth_date, history_dated, pseudonym, random_moment
from keten.seeding.demo.data import FAMILIES_PER_WIJK, NOTE_TEXTS, PLACE, SUMMARIES
from keten.seeding.demo.state import DemoState, Member


class FamilySeeding(DemoState):
    def _families(self) -> None:
        demo_prof = self.demo["demo-professional"]
        demo_collega = self.demo["demo-collega"]
        demo_vt = self.demo["demo-veiligthuis"]
        demo_af = self.demo["demo-aandachtsfunctionaris"]
        demo_tl = self.demo["demo-teamleider"]
        partner_orgs = [
            name
            for name, org in self.orgs.items()
            if org.type not in {OrganisationType.GEMEENTE, OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS}
        ]
        plan: list[tuple[str, int]] = []
        for code, n in FAMILIES_PER_WIJK.items():
            plan += [(code, i) for i in range(n)]
        families: list[Family] = []
        persons: list[Person] = []
        dossiers: list[Dossier] = []
        teams: list[list[tuple[Member, str, datetime]]] = []
        family_sizes: list[int] = []
        for index, (code, i) in enumerate(plan):
            wijk = self.wijken[code]
            wijkteam = f"Wijkteam {wijk.name}"
            opened = self.now - timedelta(days=self.rng.randint(5, 720), minutes=self.rng.randint(0, 1440))
            last_name = self.fake.last_name()
            family = Family(
                pseudonym=pseudonym(self.rng, "G", self.pseudonyms),
                municipality=self.municipality,
                name=f"Gezin {last_name}",
                address=f"{self.fake.street_name()} {self.rng.randint(1, 180)}, {self.fake.postcode()} {PLACE}",
                wijk=wijk,
                is_test=True,
                created_at=opened,
            )
            history_dated(family, opened)
            families.append(family)
            members_of_family = self._persons(family, last_name, opened)
            family_sizes.append(len(members_of_family))
            persons += members_of_family
            # Who is on the case team (first = regievoerder), and when they joined.
            on_demo = code == "LC" and i < 12
            if on_demo:
                lead = demo_prof if i < 9 else self._case_staff(wijkteam, exclude={demo_collega.user.pk}) or demo_prof
            elif code == "LC":
                lead = demo_collega
            else:
                lead = self._case_staff(wijkteam, exclude=set()) or demo_prof
            team: list[tuple[Member, str, datetime]] = [(lead, CaseRole.REGIEVOERDER, opened)]
            taken = {lead.user.pk}
            if on_demo and lead is not demo_prof:
                team.append((demo_prof, CaseRole.HULPVERLENER, opened + timedelta(days=self.rng.randint(1, 20))))
                taken.add(demo_prof.user.pk)
            for org_name in self.rng.sample(partner_orgs, self.rng.randint(1, 3)):
                member = self._case_staff(org_name, exclude=taken)
                if member is not None:
                    role = self.rng.choice([CaseRole.HULPVERLENER, CaseRole.SIGNALEERDER, CaseRole.CONSULENT])
                    team.append((member, role, opened + timedelta(days=self.rng.randint(0, 60))))
                    taken.add(member.user.pk)
            if index % 12 == 3 or (on_demo and i in (2, 5, 8)):
                vt = (
                    demo_vt
                    if (on_demo or index % 24 == 3)
                    else self._case_staff("Veilig Thuis Regio Lindeveld", exclude=taken)
                )
                if vt is not None and vt.user.pk not in taken:
                    team.append((vt, CaseRole.VEILIG_THUIS, opened + timedelta(days=self.rng.randint(1, 30))))
                    taken.add(vt.user.pk)
            if on_demo and i in (4, 10):
                team.append((demo_af, CaseRole.CONSULENT, opened + timedelta(days=self.rng.randint(1, 30))))
            if on_demo and i == 7:
                team.append((demo_tl, CaseRole.CONSULENT, opened + timedelta(days=self.rng.randint(1, 30))))
            team = [(m, r, min(t, self.now - timedelta(hours=1))) for m, r, t in team]
            closed = (on_demo and i in (6, 11)) or (not on_demo and self.rng.random() < 0.22)
            closed_at = (
                random_moment(self.rng, max(t for _m, _r, t in team), self.now - timedelta(hours=2)) if closed else None
            )
            updated = closed_at or random_moment(self.rng, max(t for _m, _r, t in team), self.now - timedelta(hours=1))
            dossier = Dossier(
                family=family,
                reference=pseudonym(self.rng, "D", self.pseudonyms),
                status=Dossier.Status.CLOSED if closed else Dossier.Status.OPEN,
                summary=self.rng.choice(SUMMARIES),
                coordinator=lead.user,
                opened_at=opened,
                updated_at=updated,
                closed_at=closed_at,
            )
            history_dated(dossier, updated)
            dossiers.append(dossier)
            teams.append(team)
        bulk_create_with_history(families, Family)
        for person in persons:
            person.family_id = person.family.pk
        bulk_create_with_history(persons, Person)
        for dossier in dossiers:
            dossier.family_id = dossier.family.pk
        bulk_create_with_history(dossiers, Dossier)
        self.dossiers = list(Dossier.objects.filter(family__in=families).select_related("family").order_by("id"))
        by_family = {d.family_id: d for d in self.dossiers}
        members: list[CaseTeamMember] = []
        notes: list[DossierNote] = []
        self.teams_by_dossier = {}
        for family, team, size in zip(families, teams, family_sizes, strict=True):
            dossier = by_family[family.pk]
            self.teams_by_dossier[dossier.pk] = [m for m, _r, _t in team]
            lead = team[0][0]
            self._event(dossier.opened_at, lead, AuditAction.CREATE, "dossier", dossier, details={"persons": size})
            for member, case_role, added in team:
                members.append(
                    CaseTeamMember(
                        dossier=dossier,
                        user=member.user,
                        organisation=member.membership.organisation,
                        case_role=case_role,
                        added_at=added,
                        added_by=lead.user,
                    )
                )
                if member is not lead:
                    self._event(
                        added,
                        lead,
                        AuditAction.UPDATE,
                        "case_team",
                        dossier,
                        details={"added_user": member.user.pk, "case_role": str(case_role)},
                    )
            end = dossier.closed_at or self.now - timedelta(hours=1)
            for _n in range(self.rng.randint(1, 4)):
                author = self.rng.choice(team)[0]
                written = random_moment(self.rng, dossier.opened_at, end)
                notes.append(
                    DossierNote(
                        dossier=dossier, author=author.user, text=self.rng.choice(NOTE_TEXTS), created_at=written
                    )
                )
            for _n in range(self.rng.randint(2, 6)):
                viewer = self.rng.choice(team)[0]
                self._event(
                    random_moment(self.rng, dossier.opened_at, end), viewer, AuditAction.VIEW, "dossier", dossier
                )
            if dossier.closed_at:
                self._event(
                    dossier.closed_at, lead, AuditAction.UPDATE, "dossier", dossier, details={"status": "closed"}
                )
        CaseTeamMember.objects.bulk_create(members)
        created_notes = DossierNote.objects.bulk_create(notes)
        for note in created_notes:
            author = next(m for m in self.teams_by_dossier[note.dossier.pk] if m.user.pk == note.author.pk)
            self._event(note.created_at, author, AuditAction.CREATE, "note", note.dossier, object_id=str(note.pk))

    def _persons(self, family: Family, last_name: str, opened: datetime) -> list[Person]:
        people: list[Person] = []
        parents = self.rng.choice([1, 2, 2])
        children = self.rng.choice([1, 1, 2, 2, 3])
        for n in range(parents):
            first = self.fake.first_name_female() if n == 0 else self.fake.first_name_male()
            surname = last_name if n == 0 or self.rng.random() < 0.6 else self.fake.last_name()
            people.append(
                self._person(family, Relation.OUDER, first, surname, birth_date(self.rng, self.today, 24, 52), opened)
            )
        for _n in range(children):
            first = self.fake.first_name()
            people.append(
                self._person(family, Relation.KIND, first, last_name, birth_date(self.rng, self.today, 0, 17), opened)
            )
        return people

    def _person(self, family: Family, relation: str, first: str, last: str, born: Any, opened: datetime) -> Person:
        bsn = self.bsns.take() or ""
        person = Person(
            family=family,
            municipality=family.municipality,
            pseudonym=pseudonym(self.rng, "P", self.pseudonyms),
            relation=relation,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            bsn=bsn or None,
            bsn_index=bsn_index(bsn) if bsn else None,
            name_birth_index=name_birth_index(first, last, born),
            address=None,
            is_test=True,
            created_at=opened,
        )
        history_dated(person, opened)
        return person
