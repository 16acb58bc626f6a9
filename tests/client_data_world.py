"""One small municipality with one family that has a record of every kind, for the test that every
client-data read is audited (``tests/test_client_reads_audited.py``).

The family ("Gezin Bakker…") has a dossier with a note, a meldcode-traject with an observation and a
consultation (with names) of the aandachtsfunctionaris, consent, a disclosure with access for a
teacher, inzage and destruction requests with a ready overview PDF, verwijsindex signals of the
professional and a JGZ nurse (so a match), and a case in two overleggen: admitted onto a meeting
going on now (with an agreement) and waiting for triage. ``World.prof`` is on the case team of all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import Actor, actor_for_user
from keten.core.crypto import name_birth_index
from keten.dossiers import services as dossier_services
from keten.dossiers.access import break_glass
from keten.dossiers.models import AccessRequest, Dossier, Person, Relation
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Consultation, Traject
from keten.meldcode.trajecten import services as traject_services
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import AgendaItem, Agreement, Attendance, CaseRegistration, Meeting, OverlegKind, OverlegType
from keten.overleg.registrations import services as registration_services
from keten.sharing import services as sharing_services
from keten.sharing.inzage import services as inzage
from keten.sharing.models import AccessGrant, DestructionRequest, InzageExport, InzageRequest, LegalBasis, RequesterRole
from keten.testing.factories import (
    TEST_BSNS,
    MunicipalityFactory,
    OrganisationFactory,
    make_dossier,
    make_person,
    make_user,
)
from keten.verwijsindex import services as vi_services
from keten.verwijsindex.models import Match, Regievoerder, Signal

TODAY = timezone.localdate


def actor(user: User) -> Actor:
    return actor_for_user(User.objects.get(pk=user.pk))


@dataclass(repr=False)
class Family:
    """One family with a record of every kind, all seen by ``World.prof``."""

    dossier: Dossier
    child: Person
    mother: Person
    traject: Traject
    entry_id: int
    consultation: Consultation
    grant: AccessGrant
    inzage_request: InzageRequest
    destruction: DestructionRequest
    export: InzageExport
    signal: Signal
    match: Match

    @property
    def pseudonym(self) -> str:
        return str(self.dossier.family.pseudonym)


@dataclass(repr=False)
class OverlegCase:
    """The family's case in an overleg (admitted onto a meeting going on now, with an agreement) and
    in a second overleg (waiting for triage)."""

    meeting: Meeting
    registration: CaseRegistration
    triage_registration: CaseRegistration
    item: AgendaItem
    agreement: Agreement


@dataclass(repr=False)
class World:
    prof: User
    af: User
    nurse: User
    teacher: User
    chair: User
    regie: User
    wijkteam: Organisation
    jgz: Organisation
    school: Organisation
    vt: Organisation
    families: list[Family] = field(default_factory=list)
    overleg: OverlegCase = field(init=False)

    @property
    def family(self) -> Family:
        return self.families[0]


def _years_ago(years: int) -> dt.date:
    return dt.date(TODAY().year - years, 3, 1)


def _vi_registration(child: Person, bsn: str) -> vi_services.Registration:
    return vi_services.Registration(
        identity=vi_services.Identity(
            bsn=bsn, first_name=child.first_name, last_name=child.last_name, date_of_birth=child.date_of_birth
        ),
        risk_categories=["c"],
        criteria_confirmed=True,
        parents_informed_on=TODAY(),
        youth_informed_on=TODAY(),
    )


def add_family(world: World, number: int) -> Family:
    """A family whose records ``world.prof`` sees: dossier, traject, consultation, sharing, inzage, VI."""
    prof = actor(world.prof)
    bsn = TEST_BSNS[number]
    dossier = make_dossier(world.prof, bsn=bsn, family_name=f"Gezin Bakker{number}")
    child = Person.objects.get(family=dossier.family)
    child.first_name, child.last_name, child.date_of_birth = f"Noor{number}", "Bakker", _years_ago(10)
    child.name_birth_index = name_birth_index(child.first_name, child.last_name, child.date_of_birth)
    child.save()
    mother = make_person(
        dossier.family,
        relation=Relation.OUDER,
        first_name=f"Eva{number}",
        last_name="Bakker",
        date_of_birth=_years_ago(40),
    )
    dossier_services.note_add(actor=prof, dossier=dossier, text="Gesprek met moeder over de situatie thuis.")
    traject = traject_services.traject_start(actor=prof, dossier=dossier, child_id=child.pk)
    entry = traject_services.observation_record(
        actor=prof, traject=traject, observed_on=TODAY(), source="zelf", facts="Blauwe plek op de arm gezien."
    )
    traject.refresh_from_db()
    consultation = consultation_services.consultation_request(
        actor=prof,
        traject=traject,
        to_user_id=world.af.pk,
        kind=Consultation.Kind.AANDACHTSFUNCTIONARIS,
        question="Wat is wijs in deze situatie?",
        anonymous=False,
    )
    sharing_services.consent_record(
        actor=prof,
        dossier=dossier,
        data=sharing_services.ConsentData(
            giver_id=mother.pk,
            giver_role="ouder_gezag",
            about_id=child.pk,
            purpose="Afstemmen met de school",
            recipient_ids=[world.school.pk],
            form="mondeling",
            given_on=TODAY(),
        ),
    )
    disclosure = sharing_services.disclosure_record(
        actor=prof,
        dossier=dossier,
        data=sharing_services.DisclosureData(
            about_ids=[child.pk],
            categories=["personalia"],
            items=[],
            recipient_organisation_id=world.school.pk,
            recipient_user_id=world.teacher.pk,
            purpose="Hulp afstemmen met de school",
            legal_basis=LegalBasis.PUBLIEKE_TAAK,
            no_consent_reason="Taak van algemeen belang",
            shared_on=TODAY(),
            client_informed=True,
            client_informed_on=TODAY(),
            grant_days=14,
        ),
    )
    data = inzage.RequestData(
        requester_id=mother.pk, requester_role=RequesterRole.OUDER_MET_GEZAG, about_id=child.pk, received_on=TODAY()
    )
    inzage_request = inzage.inzage_record(actor=prof, dossier=dossier, data=data)
    destruction = inzage.destruction_record(actor=prof, dossier=dossier, data=data)
    export = inzage.inzage_export_request(actor=prof, request=inzage_request)
    signal = vi_services.signal_register(actor=prof, data=_vi_registration(child, bsn)).signal
    result = vi_services.signal_register(actor=actor(world.nurse), data=_vi_registration(child, bsn))
    assert result.matches
    family = Family(
        dossier=dossier,
        child=child,
        mother=mother,
        traject=traject,
        entry_id=entry.pk,
        consultation=consultation,
        grant=disclosure.grant,
        inzage_request=inzage_request,
        destruction=destruction,
        export=export,
        signal=signal,
        match=result.matches[0],
    )
    world.families.append(family)
    return family


def build_world() -> World:
    municipality = MunicipalityFactory(name="Lindeveld")

    def org(name: str, kind: str) -> Organisation:
        return OrganisationFactory(name=name, type=kind, municipality=municipality)

    wijkteam = org("Wijkteam Noord", OrganisationType.WIJKTEAM)
    jgz = org("JGZ Lindeveld", OrganisationType.JGZ)
    school = org("Basisschool De Linde", OrganisationType.ONDERWIJS)
    vt = org("Veilig Thuis Lindeveld", OrganisationType.VEILIG_THUIS)
    world = World(
        prof=make_user(Role.PROFESSIONAL, wijkteam, username="prof"),
        af=make_user(Role.AANDACHTSFUNCTIONARIS, wijkteam, username="af"),
        nurse=make_user(Role.PROFESSIONAL, jgz, username="jgz"),
        teacher=make_user(Role.PROFESSIONAL, school, username="juf"),
        chair=make_user(Role.PROFESSIONAL, vt, username="voorzitter"),
        regie=make_user(Role.PROFESSIONAL, wijkteam, username="regie"),
        wijkteam=wijkteam,
        jgz=jgz,
        school=school,
        vt=vt,
    )
    Regievoerder.objects.create(municipality=municipality, user=world.regie)
    family = add_family(world, 0)
    world.overleg = _add_overleg(world, family)
    # The overview PDF of the inzage request is ready (the background task's work, done here).
    inzage.inzage_export_build(family.export.pk)
    # A colleague opened the dossier with break-the-glass (in the aandachtsfunctionaris's review
    # queue) and asked its regievoerder for access.
    break_glass.break_glass(
        actor=actor(world.regie), reference=family.dossier.reference, reason="Moeder belde 's nachts in paniek."
    )
    AccessRequest.objects.create(
        dossier=family.dossier,
        requester=world.regie,
        organisation=world.wijkteam,
        motivation="Ik heb dit gezin eerder begeleid en wil aansluiten.",
    )
    return world


def _overleg_type(world: World, name: str, kind: str) -> OverlegType:
    overleg = OverlegType.objects.create(
        municipality=world.wijkteam.municipality,
        name=name,
        kind=kind,
        lead_organisation=world.vt,
        chair=world.chair,
        weekdays=[2],
        start_time=dt.time(10, 0),
        duration_minutes=90,
        location="Stadhuis",
        privacy_basis="Convenant Zorg- en Veiligheidshuis",
    )
    overleg.members.set([world.vt, world.wijkteam, world.jgz])
    return overleg


def _add_overleg(world: World, family: Family) -> OverlegCase:
    prof, chair = actor(world.prof), actor(world.chair)
    overleg = _overleg_type(world, "Afstemmingsoverleg", OverlegKind.STRAF_ZORG)
    starts = timezone.now() - dt.timedelta(minutes=10)
    meeting = Meeting.objects.create(
        overleg_type=overleg, starts_at=starts, ends_at=starts + dt.timedelta(minutes=90), location="Stadhuis"
    )
    for user, organisation in ((world.chair, world.vt), (world.prof, world.wijkteam)):
        Attendance.objects.create(meeting=meeting, user=user, organisation=organisation)

    def data() -> registration_services.RegistrationData:
        return registration_services.RegistrationData(
            reason="Zorgen over de veiligheid van Noor.", goal="Afspraken over bescherming.", criteria="Twee partners"
        )

    registration = registration_services.registration_admit(
        actor=chair,
        registration=registration_services.registration_create(
            actor=prof, overleg_type=overleg, dossier=family.dossier, data=data()
        ),
        meeting=meeting,
    )
    item = AgendaItem.objects.get(registration=registration, meeting=meeting)
    return OverlegCase(
        meeting=meeting,
        registration=registration,
        triage_registration=registration_services.registration_create(
            actor=prof,
            overleg_type=_overleg_type(world, "MDA++-triage", OverlegKind.MDA_TRIAGE),
            dossier=family.dossier,
            data=data(),
        ),
        item=item,
        agreement=agreement_services.agreement_create(
            actor=chair,
            item=item,
            what="Huisbezoek afleggen",
            due_on=TODAY() + dt.timedelta(days=7),
            owner_user_id=world.prof.pk,
        ),
    )
