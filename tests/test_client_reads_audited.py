"""Every page and API read that shows client data writes an audit event naming the families shown.

Issue 13, hole 6. In the world of :mod:`tests.client_data_world` (one family with a record of every
kind) a case-team member — or the consultee, chair or recipient the page is for — opens each
client-data page and API read; each request must write a ``view`` (or ``export``) event whose
``client_pseudonym`` or list rows (``AuditEventClient``) hold the family's pseudonym, so the
per-family filter of the audit log finds it. A refused write that shows such a page again is a read
as well. List reads must stay at a fixed number of queries with more families.

Every URL pattern of the resolver is either listed here as a client-data read or exempted, with a
reason, in :data:`tests.client_data_routes.NO_CLIENT_DATA`, so a new route fails
:func:`test_every_route_is_classified` until someone decides which it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keten.accounts.models import ApiClient, User
from keten.core.crypto import hash_token
from keten.core.models import AuditAction, AuditEvent, AuditEventClient
from keten.testing.auth import login_verified
from keten.testing.factories import TEST_BSNS
from tests.client_data_routes import NO_CLIENT_DATA, routes
from tests.client_data_world import World, add_family, build_world

pytestmark = pytest.mark.django_db


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


def _ref(w: World) -> str:
    return str(w.family.dossier.reference)


def _agreement(w: World) -> str:
    return "Huisbezoek afleggen"


def _traject(w: World) -> str:
    return str(w.family.traject.reference)


READS: list[Read] = [
    # dossiers
    Read("shell:dashboard", "prof", lambda w: "/", shows=_family_name),
    Read("dossiers:list", "prof", lambda w: "/dossiers/", shows=_family_name),
    Read("dossiers:detail", "prof", lambda w: f"/dossiers/{_ref(w)}/", shows=_family_name),
    Read("dossiers:timeline", "prof", lambda w: f"/dossiers/{_ref(w)}/tijdlijn/", shows=_family_name),
    *(
        Read("dossiers:section", "prof", lambda w, slug=slug: f"/dossiers/{_ref(w)}/{slug}/", shows=shows)
        for slug, shows in (
            ("gezin", _child_name),
            ("casusteam", _family_name),
            ("meldcode", _traject),
            ("overleg", _family_name),
            ("delen", _mother_name),
            ("notities", lambda w: "Gesprek met moeder over de situatie thuis."),
        )
    ),
    Read("dossiers:edit", "prof", lambda w: f"/dossiers/{_ref(w)}/wijzigen/", shows=_ref),
    Read("dossiers:person_add", "prof", lambda w: f"/dossiers/{_ref(w)}/personen/nieuw/"),
    Read("dossiers:break_glass_queue", "af", lambda w: "/dossiers/noodtoegang/beoordelen/", shows=_ref),
    Read("dossiers:access_requests", "prof", lambda w: "/dossiers/toegangsverzoeken/", shows=_ref),
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
        "dossiers:edit",
        "prof",
        lambda w: f"/dossiers/{_ref(w)}/wijzigen/",
        method="post",
        data=lambda w: {"summary": "Oud formulier", "status": "open", "version": "999"},
        shows=lambda w: "Dit dossier is gewijzigd sinds u het formulier opende",
    ),
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
        "chair",
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
    Read("shell:dashboard", "prof", lambda w: "/"),
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


def test_every_route_is_classified() -> None:
    reads = {r.route for r in READS} | {r.route for r in FAILED_WRITES}
    assert not reads & set(NO_CLIENT_DATA), f"both a client-data read and exempt: {sorted(reads & set(NO_CLIENT_DATA))}"
    listed = reads | set(NO_CLIENT_DATA)
    missing = sorted(r for r in set(routes()) if r not in listed)
    assert not missing, f"classify these routes (READS or NO_CLIENT_DATA): {missing}"
    stale = sorted(listed - set(routes()))
    assert not stale, f"no such routes: {stale}"
