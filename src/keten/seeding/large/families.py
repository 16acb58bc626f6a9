"""The city's families and persons, and (for the large profile) a dossier, case team and notes for each."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import CASE_ROLES, Role
from keten.core.crypto import bsn_index, name_birth_index
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier, DossierNote, Family, Person, Relation
from keten.seeding.common import BATCH_SIZE, birth_date, progress, pseudonym, random_moment
from keten.seeding.demo.data import NOTE_TEXTS, SUMMARIES
from keten.seeding.large.data import CITY
from keten.seeding.large.state import CityState, FamilyStats


class FamilySeeding(CityState):
    def families(
        self,
        n_families: int,
        *,
        with_dossiers: bool,
        pinned: dict[int, int] | None = None,
        exclude_from_pools: set[int] | None = None,
        desc: str = "",
    ) -> FamilyStats:
        """Create ``n_families`` families with persons (and a dossier + case team + notes each).

        ``pinned`` maps family index -> staff index that must be on that family's case team.
        """
        stats = FamilyStats()
        pinned = pinned or {}
        exclude = exclude_from_pools or set()
        case_staff = [i for i, s in enumerate(self.staff) if s.role in CASE_ROLES and i not in exclude]
        by_org: dict[int, list[int]] = {}
        for i in case_staff:
            by_org.setdefault(self.staff[i].org_index, []).append(i)
        bar = progress(total=n_families, desc=desc or _("gezinnen en dossiers"), enabled=self.show_progress)
        for start in range(0, n_families, BATCH_SIZE):
            count = min(BATCH_SIZE, n_families - start)
            with transaction.atomic():
                self._family_batch(start, count, stats, with_dossiers, pinned, case_staff, by_org)
            bar.update(count)
        bar.close()
        return stats

    def _family_batch(
        self,
        start: int,
        count: int,
        stats: FamilyStats,
        with_dossiers: bool,
        pinned: dict[int, int],
        case_staff: list[int],
        by_org: dict[int, list[int]],
    ) -> None:
        rng = self.rng
        pools = self.pools
        families: list[Family] = []
        surnames: list[str] = []
        opened: list[datetime] = []
        for _i in range(count):
            last = rng.choice(pools.last)
            when = random_moment(rng, self.history_start, self.now - timedelta(days=1))
            families.append(
                Family(
                    pseudonym=pseudonym(rng, "G", self.pseudonyms),
                    municipality=self.municipality_obj,
                    name=f"Gezin {last}",
                    address=f"{rng.choice(pools.streets)} {rng.randint(1, 300)}, {rng.choice(pools.postcodes)} {CITY}",
                    wijk=rng.choice(self.wijken),
                    is_test=True,
                    created_at=when,
                )
            )
            surnames.append(last)
            opened.append(when)
        Family.objects.bulk_create(families)
        persons: list[Person] = []
        sizes: list[int] = []
        for family, last, when in zip(families, surnames, opened, strict=True):
            n_children = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            n_parents = rng.choice((1, 2))
            for p in range(n_parents):
                first = rng.choice(pools.female if p == 0 else pools.male)
                surname = last if p == 0 or rng.random() < 0.6 else rng.choice(pools.last)
                persons.append(
                    self._person(family, Relation.OUDER, first, surname, birth_date(rng, self.today, 22, 55), when)
                )
            for _c in range(n_children):
                first = rng.choice(pools.female if rng.random() < 0.5 else pools.male)
                persons.append(
                    self._person(family, Relation.KIND, first, last, birth_date(rng, self.today, 0, 17), when)
                )
            sizes.append(n_children + n_parents)
            stats.minors += n_children
        Person.objects.bulk_create(persons)
        stats.families += count
        stats.persons += len(persons)
        if not with_dossiers:
            return
        dossiers: list[Dossier] = []
        teams: list[list[tuple[int, str, datetime]]] = []
        for offset, (family, when) in enumerate(zip(families, opened, strict=True)):
            index = start + offset
            duration = timedelta(days=rng.expovariate(1 / 365))
            closed_at = when + duration if when + duration < self.now else None
            end = closed_at or self.now
            team = self._case_team(family, when, end, pinned.get(index), case_staff, by_org)
            updated = random_moment(rng, max(t for _s, _r, t in team), end) if closed_at is None else closed_at
            dossiers.append(
                Dossier(
                    family=family,
                    reference=pseudonym(rng, "D", self.pseudonyms),
                    status=Dossier.Status.CLOSED if closed_at else Dossier.Status.OPEN,
                    summary=rng.choice(SUMMARIES) if rng.random() < 0.5 else None,
                    coordinator_id=self.staff[team[0][0]].user_id,
                    opened_at=when,
                    updated_at=updated,
                    closed_at=closed_at,
                )
            )
            teams.append(team)
            stats.open_dossiers += closed_at is None
        Dossier.objects.bulk_create(dossiers)
        members: list[CaseTeamMember] = []
        notes: list[DossierNote] = []
        for dossier, team in zip(dossiers, teams, strict=True):
            dossier_index = len(stats.dossier_refs)
            stats.dossier_refs.append((dossier.reference, dossier.family.pseudonym))
            lead_user = self.staff[team[0][0]].user_id
            for staff_index, case_role, added in team:
                s = self.staff[staff_index]
                members.append(
                    CaseTeamMember(
                        dossier=dossier,
                        user_id=s.user_id,
                        organisation_id=s.organisation_id,
                        case_role=case_role,
                        added_at=added,
                        added_by_id=lead_user,
                    )
                )
                stats.staff_dossiers.setdefault(staff_index, []).append(dossier_index)
            if rng.random() < 0.5:
                author = self.staff[rng.choice(team)[0]].user_id
                notes.append(
                    DossierNote(
                        dossier=dossier,
                        author_id=author,
                        text=rng.choice(NOTE_TEXTS),
                        created_at=random_moment(rng, dossier.opened_at, dossier.updated_at),
                    )
                )
        CaseTeamMember.objects.bulk_create(members)
        DossierNote.objects.bulk_create(notes)
        stats.dossiers += len(dossiers)
        stats.case_team_members += len(members)
        stats.notes += len(notes)

    def _case_team(
        self,
        family: Family,
        opened: datetime,
        end: datetime,
        pinned: int | None,
        case_staff: list[int],
        by_org: dict[int, list[int]],
    ) -> list[tuple[int, str, datetime]]:
        rng = self.rng
        wijkteam = self.wijkteam_of_wijk.get(family.wijk_id) if family.wijk_id else None
        local = by_org.get(wijkteam, []) if wijkteam is not None else []
        lead = rng.choice(local) if local else rng.choice(case_staff)
        team: list[tuple[int, str, datetime]] = [(lead, CaseRole.REGIEVOERDER, opened)]
        taken = {lead}
        if pinned is not None:
            team.append(
                (pinned, CaseRole.HULPVERLENER, random_moment(rng, opened, min(end, opened + timedelta(days=30))))
            )
            taken.add(pinned)
        for _n in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
            other = rng.choice(case_staff)
            if other in taken:
                continue
            taken.add(other)
            role = (
                CaseRole.VEILIG_THUIS
                if self.staff[other].role == Role.VEILIG_THUIS
                else rng.choice((CaseRole.HULPVERLENER, CaseRole.SIGNALEERDER, CaseRole.CONSULENT))
            )
            team.append((other, role, random_moment(rng, opened, min(end, opened + timedelta(days=90)))))
        return team

    def _person(self, family: Family, relation: str, first: str, last: str, born: Any, when: datetime) -> Person:
        bsn = self.bsns.take() or ""
        return Person(
            family=family,
            municipality_id=family.municipality_id,
            pseudonym=pseudonym(self.rng, "P", self.pseudonyms),
            relation=relation,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            bsn=bsn or None,
            bsn_index=bsn_index(bsn) if bsn else None,
            name_birth_index=name_birth_index(first, last, born),
            is_test=True,
            created_at=when,
        )
