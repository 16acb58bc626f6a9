"""Every page and API read that shows client data writes an audit event naming the families shown.

Issue 13, hole 6. One small municipality with one family ("Gezin Bakker") that has a record of every
kind: a dossier, a meldcode-traject with a consultation, consent, a disclosure with access for a
teacher, inzage and destruction requests with an overview PDF, verwijsindex signals and a match, and
a case in an overleg with an agreement. A case-team member (or the consultee, chair or recipient the
page is for) opens each client-data page; each request must write a ``view`` (or ``export``) event
whose ``client_pseudonym`` or list rows (``AuditEventClient``) hold the family's pseudonym, so the
per-family filter of the audit log finds it.

Every URL pattern of the resolver is either listed here as a client-data read or exempted with a
reason, so a new route fails :func:`test_every_route_is_classified` until someone decides which it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import Actor, actor_for_user
from keten.core.api.authentication import hash_token
from keten.core.crypto import name_birth_index
from keten.core.models import AuditAction, AuditEvent, AuditEventClient
from keten.dossiers import services as dossier_services
from keten.dossiers.models import Dossier, Person, Relation
from keten.meldcode import services as meldcode_services
from keten.meldcode.models import Consultation, Traject
from keten.overleg import services as overleg_services
from keten.overleg.models import AgendaItem, Agreement, Attendance, CaseRegistration, Meeting, OverlegKind, OverlegType
from keten.sharing import inzage
from keten.sharing import services as sharing_services
from keten.sharing.models import AccessGrant, DestructionRequest, InzageExport, InzageRequest, LegalBasis, RequesterRole
from keten.testing.auth import login_verified
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

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _actor(user: User) -> Actor:
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
    prof = _actor(world.prof)
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
    traject = meldcode_services.traject_start(actor=prof, dossier=dossier, child_id=child.pk)
    entry = meldcode_services.observation_record(
        actor=prof, traject=traject, observed_on=TODAY(), source="zelf", facts="Blauwe plek op de arm gezien."
    )
    traject.refresh_from_db()
    consultation = meldcode_services.consultation_request(
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
    result = vi_services.signal_register(actor=_actor(world.nurse), data=_vi_registration(child, bsn))
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
    prof, chair = _actor(world.prof), _actor(world.chair)
    overleg = _overleg_type(world, "Afstemmingsoverleg", OverlegKind.STRAF_ZORG)
    starts = timezone.now() - dt.timedelta(minutes=10)
    meeting = Meeting.objects.create(
        overleg_type=overleg, starts_at=starts, ends_at=starts + dt.timedelta(minutes=90), location="Stadhuis"
    )
    for user, organisation in ((world.chair, world.vt), (world.prof, world.wijkteam)):
        Attendance.objects.create(meeting=meeting, user=user, organisation=organisation)

    def data() -> overleg_services.RegistrationData:
        return overleg_services.RegistrationData(
            reason="Zorgen over de veiligheid van Noor.", goal="Afspraken over bescherming.", criteria="Twee partners"
        )

    registration = overleg_services.registration_admit(
        actor=chair,
        registration=overleg_services.registration_create(
            actor=prof, overleg_type=overleg, dossier=family.dossier, data=data()
        ),
        meeting=meeting,
    )
    item = AgendaItem.objects.get(registration=registration, meeting=meeting)
    return OverlegCase(
        meeting=meeting,
        registration=registration,
        triage_registration=overleg_services.registration_create(
            actor=prof,
            overleg_type=_overleg_type(world, "MDA++-triage", OverlegKind.MDA_TRIAGE),
            dossier=family.dossier,
            data=data(),
        ),
        item=item,
        agreement=overleg_services.agreement_create(
            actor=chair,
            item=item,
            what="Huisbezoek afleggen",
            due_on=TODAY() + dt.timedelta(days=7),
            owner_user_id=world.prof.pk,
        ),
    )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module in a transaction that is rolled back at the end; each test runs in a
    savepoint inside it (pytest-django), so what one request writes does not reach the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    from keten.core.localcache import clear_all

    cache.clear()
    clear_all()


# --- the client-data reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One client-data read: who asks, how, and (for pages) a text about the family it shows."""

    route: str
    user: str
    url: Callable[[World], str]
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | None = None
    shows: Callable[[World], str] | None = None
    token: bool = False

    def __str__(self) -> str:
        return f"{self.route} as {self.user}{' (token)' if self.token else ''}"


def _family_name(w: World) -> str:
    return str(w.family.dossier.family.name)


def _child_name(w: World) -> str:
    return str(w.family.child.first_name)


def _mother_name(w: World) -> str:
    return str(w.family.mother.first_name)


F = Callable[[World], str]


def _ref(w: World) -> str:
    return str(w.family.dossier.reference)


def _agreement(w: World) -> str:
    return "Huisbezoek afleggen"


def _traject(w: World) -> str:
    return str(w.family.traject.reference)


READS: list[Read] = [
    # dossiers
    Read("core:dashboard", "prof", lambda w: "/", shows=_family_name),
    Read("dossiers:list", "prof", lambda w: "/dossiers/", shows=_family_name),
    Read("dossiers:detail", "prof", lambda w: f"/dossiers/{_ref(w)}/", shows=_family_name),
    Read("dossiers:person_add", "prof", lambda w: f"/dossiers/{_ref(w)}/personen/nieuw/"),
    Read(
        "dossiers:person_edit",
        "prof",
        lambda w: f"/dossiers/{_ref(w)}/personen/{w.family.child.pseudonym}/",
        shows=_child_name,
    ),
    Read("api-dossiers", "prof", lambda w: "/api/v1/dossiers/", shows=_family_name),
    Read(
        "api-dossiers-search",
        "prof",
        lambda w: "/api/v1/dossiers/search/",
        method="post",
        data=lambda w: {"q": TEST_BSNS[0]},
        shows=_family_name,
    ),
    Read("api-dossier-detail", "prof", lambda w: f"/api/v1/dossiers/{_ref(w)}/", shows=_family_name),
    # meldcode
    Read("meldcode:traject", "prof", lambda w: f"/meldcode/{_traject(w)}/", shows=_child_name),
    Read("meldcode:report", "prof", lambda w: f"/meldcode/{_traject(w)}/rapport.pdf"),
    Read(
        "meldcode:correct",
        "prof",
        lambda w: f"/meldcode/{_traject(w)}/corrigeren/{w.family.entry_id}/",
        shows=lambda w: "Blauwe plek",
    ),
    Read("meldcode:organisation", "af", lambda w: "/meldcode/organisatie/", shows=_child_name),
    Read("meldcode:inbox", "af", lambda w: "/meldcode/consultaties/", shows=_traject),
    Read(
        "meldcode:consultation",
        "af",
        lambda w: f"/meldcode/consultaties/{w.family.consultation.pk}/",
        shows=_child_name,
    ),
    Read("api-meldcode-trajecten", "prof", lambda w: "/api/v1/meldcode/trajecten/", shows=_traject),
    Read("api-meldcode-traject", "prof", lambda w: f"/api/v1/meldcode/trajecten/{_traject(w)}/", shows=_traject),
    # verwijsindex
    Read("verwijsindex:overview", "prof", lambda w: "/verwijsindex/", shows=_child_name),
    Read("verwijsindex:signal", "prof", lambda w: f"/verwijsindex/signalen/{w.family.signal.pk}/", shows=_child_name),
    Read(
        "verwijsindex:signal_withdraw",
        "prof",
        lambda w: f"/verwijsindex/signalen/{w.family.signal.pk}/intrekken/",
        shows=_child_name,
    ),
    Read(
        "verwijsindex:signal_history",
        "prof",
        lambda w: f"/verwijsindex/signalen/{w.family.signal.pk}/geschiedenis/",
        method="post",
        data=lambda w: {"history-reason": "Nagaan wie eerder betrokken was bij deze jongere."},
        shows=_child_name,
    ),
    Read("verwijsindex:match", "prof", lambda w: f"/verwijsindex/matches/{w.family.match.pk}/", shows=_child_name),
    Read("verwijsindex:match", "regie", lambda w: f"/verwijsindex/matches/{w.family.match.pk}/"),
    Read("api-vi-signals", "prof", lambda w: "/api/v1/verwijsindex/signals/"),
    Read("api-vi-signals", "prof", lambda w: "/api/v1/verwijsindex/signals/", token=True),
    Read("api-vi-signal", "prof", lambda w: f"/api/v1/verwijsindex/signals/{w.family.signal.pk}/"),
    Read("api-vi-signal", "prof", lambda w: f"/api/v1/verwijsindex/signals/{w.family.signal.pk}/", token=True),
    # overleg
    Read("overleg:index", "prof", lambda w: "/overleg/", shows=_family_name),
    Read("overleg:my_agreements", "prof", lambda w: "/overleg/afspraken/", shows=_family_name),
    Read("overleg:agreement", "prof", lambda w: f"/overleg/afspraken/{w.overleg.agreement.pk}/", shows=_family_name),
    Read("overleg:register", "prof", lambda w: f"/overleg/aanmelden/dossier/{_ref(w)}/", shows=_family_name),
    Read(
        "overleg:register_from_match",
        "prof",
        lambda w: f"/overleg/aanmelden/match/{w.family.match.pk}/?overleg={w.overleg.registration.overleg_type_id}",
        shows=_family_name,
    ),
    Read(
        "overleg:registration",
        "prof",
        lambda w: f"/overleg/aanmeldingen/{w.overleg.registration.pk}/",
        shows=_family_name,
    ),
    Read("overleg:triage", "chair", lambda w: "/overleg/triage/", shows=_family_name),
    Read("overleg:meeting", "prof", lambda w: f"/overleg/bijeenkomsten/{w.overleg.meeting.pk}/", shows=_family_name),
    Read("overleg:minutes", "prof", lambda w: f"/overleg/bijeenkomsten/{w.overleg.meeting.pk}/verslag.pdf"),
    Read("overleg:item", "chair", lambda w: f"/overleg/agendapunten/{w.overleg.item.pk}/", shows=_family_name),
    Read("api-overleg-registrations", "prof", lambda w: "/api/v1/overleg/registrations/", shows=_ref),
    Read(
        "api-overleg-registration",
        "prof",
        lambda w: f"/api/v1/overleg/registrations/{w.overleg.registration.pk}/",
        shows=_ref,
    ),
    Read("api-overleg-meeting", "prof", lambda w: f"/api/v1/overleg/meetings/{w.overleg.meeting.pk}/", shows=_ref),
    Read("api-overleg-agreements", "prof", lambda w: "/api/v1/overleg/agreements/", shows=_agreement),
    Read(
        "api-overleg-agreement",
        "prof",
        lambda w: f"/api/v1/overleg/agreements/{w.overleg.agreement.pk}/",
        shows=_agreement,
    ),
    # informatie delen
    Read("sharing:deelhulp", "prof", lambda w: f"/delen/{_ref(w)}/deelhulp/", shows=_mother_name),
    Read("sharing:consent_create", "prof", lambda w: f"/delen/{_ref(w)}/toestemming/nieuw/", shows=_mother_name),
    Read("sharing:disclosure_log", "prof", lambda w: f"/delen/{_ref(w)}/verstrekkingen/", shows=_family_name),
    Read("sharing:shared_view", "teacher", lambda w: f"/delen/toegang/{w.family.grant.pk}/", shows=_child_name),
    Read("sharing_inzage:overview", "prof", lambda w: f"/delen/inzage/dossier/{_ref(w)}/", shows=_mother_name),
    Read("sharing_inzage:create", "prof", lambda w: f"/delen/inzage/dossier/{_ref(w)}/inzage/", shows=_mother_name),
    Read(
        "sharing_inzage:destruction_create",
        "prof",
        lambda w: f"/delen/inzage/dossier/{_ref(w)}/vernietiging/",
        shows=_mother_name,
    ),
    Read("sharing_inzage:detail", "prof", lambda w: f"/delen/inzage/{w.family.inzage_request.pk}/", shows=_mother_name),
    Read(
        "sharing_inzage:destruction",
        "prof",
        lambda w: f"/delen/inzage/vernietiging/{w.family.destruction.pk}/",
        shows=_mother_name,
    ),
    Read(
        "sharing_inzage:export", "prof", lambda w: f"/delen/inzage/overzicht/{w.family.export.pk}/", shows=_mother_name
    ),
    Read("sharing_inzage:export_pdf", "prof", lambda w: f"/delen/inzage/overzicht/{w.family.export.pk}/overzicht.pdf"),
    Read("api-sharing-consents", "prof", lambda w: f"/api/v1/dossiers/{_ref(w)}/consents/"),
    Read("api-sharing-disclosures", "prof", lambda w: f"/api/v1/dossiers/{_ref(w)}/disclosures/"),
]


def _client(world: World, read: Read) -> tuple[Client, dict[str, str]]:
    user: User = getattr(world, read.user)
    if not read.token:
        return login_verified(Client(), user), {}
    from keten.accounts.models import ApiClient

    secret = f"token-{read.user}-0001"
    membership = user.active_membership
    assert membership is not None
    ApiClient.objects.get_or_create(
        organisation=membership.organisation,
        name=f"Bronsysteem {read.user}",
        defaults={
            "token_prefix": secret[-12:],
            "token_hash": hash_token(secret),
            "scopes": [ApiClient.Scope.VERWIJSINDEX_READ],
        },
    )
    return Client(), {"HTTP_AUTHORIZATION": f"Token {secret}"}


def _request(world: World, read: Read) -> Any:
    client, headers = _client(world, read)
    send = getattr(client, read.method)
    data = read.data(world) if read.data else None
    if read.route.startswith("api-") and read.method == "post":
        return send(read.url(world), data or {}, content_type="application/json", **headers)
    return send(read.url(world), data or {}, **headers) if data is not None else send(read.url(world), **headers)


def _events_naming(pseudonym: str, after_id: int) -> list[AuditEvent]:
    listed = AuditEventClient.objects.filter(pseudonym=pseudonym, event_id__gt=after_id).values("event_id")
    return list(
        AuditEvent.objects.filter(id__gt=after_id, action__in=[AuditAction.VIEW, AuditAction.EXPORT])
        .filter(Q(client_pseudonym=pseudonym) | Q(pk__in=listed))
        .order_by("id")
    )


@pytest.mark.parametrize("read", READS, ids=str)
def test_client_data_read_writes_an_event_naming_the_family(world: World, read: Read) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = _request(world, read)
    assert response.status_code == 200, f"{read}: {response.status_code}"
    if read.shows is not None:
        body = response.content.decode()
        assert read.shows(world) in body, f"{read} does not show the family's data"
    assert _events_naming(world.family.pseudonym, before), f"{read} wrote no event naming {world.family.pseudonym}"


# --- failed writes show the page again ------------------------------------------------------------

#: Writes whose refusal (bad input) shows a client-data page again: that page is a read as well.
FAILED_WRITES: list[Read] = [
    Read(
        "meldcode:start",
        "prof",
        lambda w: f"/meldcode/dossier/{_ref(w)}/start/",
        method="post",
        data=lambda w: {"meldcode-subject": "niemand"},
        shows=_child_name,
    ),
    Read(
        "meldcode:action",
        "prof",
        lambda w: f"/meldcode/{_traject(w)}/observatie/",
        method="post",
        data=lambda w: {},
        shows=_child_name,
    ),
    Read(
        "sharing:consent_withdraw",
        "prof",
        lambda w: f"/delen/{_ref(w)}/toestemming/{w.family.dossier.consents.get().pk}/intrekken/",
        method="post",
        data=lambda w: {"withdrawn_on": "gisteren"},
        shows=_mother_name,
    ),
    Read(
        "sharing:consent_create",
        "prof",
        lambda w: f"/delen/{_ref(w)}/toestemming/nieuw/",
        method="post",
        data=lambda w: {},
        shows=_mother_name,
    ),
    Read(
        "sharing:deelhulp",
        "prof",
        lambda w: f"/delen/{_ref(w)}/deelhulp/",
        method="post",
        data=lambda w: {},
        shows=_mother_name,
    ),
    Read(
        "sharing_inzage:create",
        "prof",
        lambda w: f"/delen/inzage/dossier/{_ref(w)}/inzage/",
        method="post",
        data=lambda w: {"requester": "niemand"},
        shows=_mother_name,
    ),
    Read(
        "sharing_inzage:detail",
        "prof",
        lambda w: f"/delen/inzage/{w.family.inzage_request.pk}/",
        method="post",
        data=lambda w: {"answered_on": "morgen"},
        shows=_mother_name,
    ),
    Read(
        "sharing_inzage:destruction",
        "prof",
        lambda w: f"/delen/inzage/vernietiging/{w.family.destruction.pk}/",
        method="post",
        data=lambda w: {"action": "decide"},
        shows=_mother_name,
    ),
    Read(
        "verwijsindex:signal_notice",
        "prof",
        lambda w: f"/verwijsindex/signalen/{w.family.signal.pk}/informeren/",
        method="post",
        data=lambda w: {},
        shows=_child_name,
    ),
    Read(
        "verwijsindex:signal_history",
        "prof",
        lambda w: f"/verwijsindex/signalen/{w.family.signal.pk}/geschiedenis/",
        method="post",
        data=lambda w: {"history-reason": "kort"},
        shows=_child_name,
    ),
    Read(
        "verwijsindex:match_action",
        "prof",
        lambda w: f"/verwijsindex/matches/{w.family.match.pk}/uitnodigen/",
        method="post",
        data=lambda w: {},
        shows=_child_name,
    ),
    Read(
        "overleg:meeting_attendance",
        "chair",
        lambda w: f"/overleg/bijeenkomsten/{w.overleg.meeting.pk}/aanwezigheid/",
        method="post",
        data=lambda w: {"user": w.teacher.pk, "present": "ja"},
        shows=_family_name,
    ),
    Read(
        "overleg:meeting_cancel",
        "chair",
        lambda w: f"/overleg/bijeenkomsten/{w.overleg.meeting.pk}/afgelasten/",
        method="post",
        data=lambda w: {"cancel-reason": ""},
        shows=_family_name,
    ),
    Read(
        "overleg:item_discussion",
        "chair",
        lambda w: f"/overleg/agendapunten/{w.overleg.item.pk}/verslag/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:item_agreement",
        "chair",
        lambda w: f"/overleg/agendapunten/{w.overleg.item.pk}/afspraak/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:agreement_update",
        "prof",
        lambda w: f"/overleg/afspraken/{w.overleg.agreement.pk}/wijzigen/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:registration_close",
        "prof",
        lambda w: f"/overleg/aanmeldingen/{w.overleg.registration.pk}/afsluiten/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:registration_schedule",
        "chair",
        lambda w: f"/overleg/aanmeldingen/{w.overleg.registration.pk}/agenderen/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:registration_regisseur",
        "chair",
        lambda w: f"/overleg/aanmeldingen/{w.overleg.registration.pk}/casusregisseur/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:item_remove",
        "chair",
        lambda w: f"/overleg/agendapunten/{w.overleg.item.pk}/van-de-agenda/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:agreement_close",
        "prof",
        lambda w: f"/overleg/afspraken/{w.overleg.agreement.pk}/afronden/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:triage_admit",
        "chair",
        lambda w: f"/overleg/triage/{w.overleg.triage_registration.pk}/toelaten/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
    Read(
        "overleg:meeting_hold",
        "chair",
        lambda w: f"/overleg/bijeenkomsten/{w.overleg.meeting.pk}/afronden/",
        method="post",
        data=lambda w: {"version": "999"},
        shows=_family_name,
    ),
    Read(
        "overleg:triage_decline",
        "chair",
        lambda w: f"/overleg/triage/{w.overleg.triage_registration.pk}/afwijzen/",
        method="post",
        data=lambda w: {},
        shows=_family_name,
    ),
]


@pytest.mark.parametrize("read", FAILED_WRITES, ids=str)
def test_refused_write_that_shows_client_data_writes_an_event(world: World, read: Read) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = _request(world, read)
    assert response.status_code in (400, 409, 422), f"{read}: {response.status_code}"
    assert read.shows is not None
    assert read.shows(world) in response.content.decode(), f"{read} does not show the family's data"
    assert _events_naming(world.family.pseudonym, before), f"{read} wrote no event naming {world.family.pseudonym}"


# --- no N+1 from the auditing ------------------------------------------------------------------

LISTS: list[Read] = [
    Read("core:dashboard", "prof", lambda w: "/"),
    Read("dossiers:list", "prof", lambda w: "/dossiers/"),
    Read("api-dossiers", "prof", lambda w: "/api/v1/dossiers/"),
    Read("meldcode:inbox", "af", lambda w: "/meldcode/consultaties/"),
    Read("meldcode:organisation", "af", lambda w: "/meldcode/organisatie/"),
    Read("api-meldcode-trajecten", "prof", lambda w: "/api/v1/meldcode/trajecten/"),
    Read("verwijsindex:overview", "prof", lambda w: "/verwijsindex/"),
    Read("api-vi-signals", "prof", lambda w: "/api/v1/verwijsindex/signals/"),
    Read("api-vi-signals", "prof", lambda w: "/api/v1/verwijsindex/signals/", token=True),
    Read("sharing:shared_with_me", "teacher", lambda w: "/delen/met-mij-gedeeld/"),
]


def _queries(world: World, read: Read) -> int:
    _request(world, read)  # warm: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        response = _request(world, read)
    assert response.status_code == 200, f"{read}: {response.status_code}"
    return len(captured)


def test_list_reads_stay_flat_with_more_families(world: World) -> None:
    """The audit of a list read names every family shown in a fixed number of queries."""
    one = {str(read): _queries(world, read) for read in LISTS}
    try:
        for number in (1, 2):
            add_family(world, number)
        three = {str(read): _queries(world, read) for read in LISTS}
    finally:
        del world.families[1:]
    assert three == one


# --- every route is classified -----------------------------------------------------------------

#: Routes that show no client data (or only write), with the reason. A new route lands here only
#: with a reason a reviewer can check; a route that shows client data belongs in READS.
_WRITE = "write only (POST); the service's own audit event names the family"
_REDIRECT = "write only (POST): answers with a redirect, or shows only what was posted"
_REFERENCE = "reference data of the municipality or an organisation; no client data"
_ACCOUNTS = "accounts, login and second factor; professionals only, no client data"
_NETWORK = "sociale kaart, afspraken and routekaart; organisations only, no client data"
_AGGREGATES = "municipal figures: counts with small cells hidden, no client data (audited as a view of figures)"

NO_CLIENT_DATA: dict[str, str] = {
    # accounts, login, second factor, language, health
    **dict.fromkeys(
        [
            "accounts:beheer",
            "accounts:beheer_api_client",
            "accounts:beheer_api_client_create",
            "accounts:beheer_api_client_revoke",
            "accounts:beheer_membership_add",
            "accounts:beheer_membership_end",
            "accounts:beheer_membership_role",
            "accounts:beheer_organisation",
            "accounts:beheer_organisation_create",
            "accounts:beheer_organisation_deactivate",
            "accounts:beheer_organisation_edit",
            "accounts:beheer_organisation_reactivate",
            "accounts:beheer_organisations",
            "accounts:beheer_team_create",
            "accounts:beheer_team_edit",
            "accounts:beheer_user",
            "accounts:beheer_user_create",
            "accounts:beheer_user_deactivate",
            "accounts:beheer_user_edit",
            "accounts:beheer_user_password",
            "accounts:beheer_user_reactivate",
            "accounts:beheer_user_two_factor_reset",
            "accounts:beheer_users",
            "accounts:beheer_wijk_create",
            "accounts:beheer_wijken",
            "accounts:logout",
            "api-organisations",
            "oidc_authentication_callback",
            "oidc_authentication_init",
            "otp_verify",
            "two_factor:login",
            "two_factor:qr",
            "two_factor:setup",
            "two_factor:setup_complete",
            "set_language",
            "healthz",
            "api-schema",
        ],
        _ACCOUNTS,
    ),
    # sociale kaart, netwerkafspraken, routekaart (public and signed in)
    **dict.fromkeys(
        [
            "api-network-agreements",
            "api-network-organisations",
            "api-network-professionals",
            "api-network-routekaart",
            "network:agreement_create",
            "network:agreement_edit",
            "network:agreements",
            "network:entry_confirm",
            "network:entry_edit",
            "network:organisation",
            "network:search",
            "network_beheer:export",
            "network_beheer:import",
            "network_beheer:import_cancel",
            "network_beheer:import_preview",
            "network_beheer:import_template",
            "network_beheer:index",
            "network_beheer:postcode_range_delete",
            "network_beheer:postcode_ranges",
            "publiek:routekaart",
            "publiek:start",
            "routekaart:index",
            "routekaart:pdf",
            "routekaart:wijk",
        ],
        _NETWORK,
    ),
    **dict.fromkeys(
        [
            "network:gaps",
            "network:gaps_csv",
            "network:gaps_wijk",
            "network:gaps_wijk_csv",
            "network:gaps_wijk_xlsx",
            "network:gaps_xlsx",
            "core:figures_csv",
            "api-figures-dossiers",
            "meldcode:figures",
            "meldcode:figures_csv",
            "overleg:figures",
            "sharing:counts",
            "verwijsindex:figures",
        ],
        _AGGREGATES,
    ),
    **dict.fromkeys(
        [
            "meldcode:checklist",
            "meldcode:checklist_publish",
            "meldcode:checklists",
            "overleg:type",
            "overleg:type_create",
            "overleg:type_meeting_add",
            "overleg:type_step_add",
            "overleg:types",
            "api-overleg-types",
            "sharing:convenant_create",
            "sharing:convenants",
            "api-sharing-convenant",
            "api-sharing-convenants",
            "verwijsindex:beheer",
            "verwijsindex:regievoerder_add",
            "verwijsindex:regievoerder_remove",
        ],
        _REFERENCE,
    ),
    # writes
    **dict.fromkeys(
        [
            "api-dossier-notes",
            "api-meldcode-afwegingen",
            "api-meldcode-decisions",
            "api-meldcode-signals",
            "api-overleg-agreement-close",
            "api-overleg-registration-admit",
            "api-overleg-registration-close",
            "api-overleg-registration-decline",
            "api-sharing-consent-withdraw",
            "api-vi-signals-bulk",
        ],
        _WRITE,
    ),
    **dict.fromkeys(
        [
            "dossiers:note_add",
            "dossiers:team_remove",
            "sharing:grant_revoke",
            "sharing_inzage:export_start",
            "notifications:read_all",
            "overleg:calendar_feed_create",
            "overleg:calendar_feed_revoke",
        ],
        _REDIRECT,
    ),
    "dossiers:create": "form for a new dossier: shows only what the professional types in",
    "dossiers:edit": "write only (POST); its failed page shows the reference and the posted form",
    "dossiers:team_add": "the candidates for the case team are professionals; the dossier only by reference",
    "dossiers:break_glass": "the break-the-glass form (the grant itself is audited as break_glass)",
    "meldcode:new": "form for a new family and traject: shows only what the professional types in",
    "verwijsindex:register": "registration form: shows only what the professional types in",
    "overleg:meeting_attendee_add": "the candidates for the attendance list are professionals; no case content",
    "overleg:calendar": "iCal of meetings: overleg name, time and place only",
    "overleg:calendar_feed": "the subscription feed: overleg name, time and place only",
    "api-overleg-meetings": "meetings as calendar data (name, time, place); no cases",
    "api-meldcode-consultations": "GET lists the colleagues who can be consulted; POST is a write",
    "api-vi-feed": "match events with professionals' contact details, never the young person's identity",
    "api-vi-webhook": "webhook settings of a partner system",
    "api-vi-webhook-deliveries": "delivery log of a webhook: status codes and times",
    "api-vi-webhooks": "webhook settings of a partner system",
    "core:audit_log": "the audit log shows pseudonyms, never names or BSNs (reading it is audited itself)",
    "notifications:list": "notification titles carry references, never names (house rule)",
    "sharing:organisation": "disclosures of the organisation by reference, recipient and basis; no family names",
    "sharing:organisation_csv": "the same list as CSV (audited as export)",
    "verwijsindex:regie": "match numbers, professionals and counts; never the young person's identity",
    "sharing:shared_with_me": "grants by sharing organisation and date; the shared part is behind sharing:shared_view",
}


def _routes(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _routes(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}"


def test_every_route_is_classified() -> None:
    reads = {r.route for r in READS} | {r.route for r in FAILED_WRITES}
    assert not reads & set(NO_CLIENT_DATA), f"both a client-data read and exempt: {sorted(reads & set(NO_CLIENT_DATA))}"
    listed = reads | set(NO_CLIENT_DATA)
    missing = sorted(r for r in set(_routes()) if r not in listed)
    assert not missing, f"classify these routes (READS or NO_CLIENT_DATA): {missing}"
    stale = sorted(listed - set(_routes()))
    assert not stale, f"no such routes: {stale}"
