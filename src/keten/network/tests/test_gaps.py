"""Samenwerking in beeld: the gap selector, who may see it, the page and the audited exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import actor_for_user
from keten.core.errors import NotFoundError
from keten.core.models import AuditEvent
from keten.network.gaps import report as gaps
from keten.network.gaps.report import KEY_PAIRS, KEY_TYPES, PairState
from keten.network.gaps.selectors import network_gaps
from keten.network.kaart.selectors import stale_entries
from keten.network.models import Agreement, AgreementType, OrganisationEntry
from keten.testing.factories import OrganisationFactory, WijkFactory, make_user

ClientFor = Callable[[User], Client]


def _org(municipality: Municipality, name: str, type_: str, *wijken: Wijk, confirmed: bool = True) -> Organisation:
    organisation = OrganisationFactory(name=name, type=type_, municipality=municipality)
    organisation.wijken.set(wijken)
    if confirmed:
        OrganisationEntry.objects.filter(organisation=organisation).update(last_confirmed_at=timezone.now())
    return organisation


def _agreement(
    municipality: Municipality,
    title: str,
    parties: list[Organisation],
    wijken: list[Wijk] | None = None,
    *,
    start: int = -30,
    end: int | None = None,
    review: int | None = None,
) -> Agreement:
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        municipality=municipality,
        type=AgreementType.VERWIJZEN,
        title=title,
        promise="Binnen drie werkdagen teruggebeld.",
        start_date=today + timedelta(days=start),
        end_date=today + timedelta(days=end) if end is not None else None,
        review_date=today + timedelta(days=review) if review is not None else None,
    )
    agreement.parties.set(parties)
    agreement.wijken.set(wijken or [])
    return agreement


@pytest.fixture
def network(municipality: Municipality, wijk_noord: Wijk, wijk_zuid: Wijk, gemeente: Organisation) -> dict[str, Any]:
    """Noord: wijkteam, JGZ, school, huisarts; Zuid: wijkteam only. Veilig Thuis and police everywhere."""
    m = municipality
    orgs = {
        "wt_noord": _org(m, "Wijkteam Noord", OrganisationType.WIJKTEAM, wijk_noord),
        "wt_zuid": _org(m, "Wijkteam Zuid", OrganisationType.WIJKTEAM, wijk_zuid),
        "jgz": _org(m, "JGZ Noord", OrganisationType.JGZ, wijk_noord),
        "school": _org(m, "Basisschool De Linde", OrganisationType.ONDERWIJS, wijk_noord),
        "huisarts": _org(m, "Huisarts Noord", OrganisationType.HUISARTS, wijk_noord, confirmed=False),
        # Registered for Zuid only, but Veilig Thuis works regionally: present in every wijk.
        "vt": _org(m, "Veilig Thuis Regio", OrganisationType.VEILIG_THUIS, wijk_zuid),
        "politie": _org(m, "Politie Basisteam", OrganisationType.POLITIE),  # no wijk: whole municipality
    }
    OrganisationEntry.objects.filter(organisation=orgs["school"]).update(
        last_confirmed_at=timezone.now() - timedelta(days=400)
    )
    inactive = _org(m, "Oude GGZ", OrganisationType.GGZ, wijk_noord)
    Organisation.objects.filter(pk=inactive.pk).update(is_active=False)
    agreements = {
        # Local agreement wijkteam–JGZ in Noord, past its review date.
        "local": _agreement(m, "Verwijzen JGZ en wijkteam", [orgs["wt_noord"], orgs["jgz"]], [wijk_noord], review=-10),
        # Whole-municipality agreement between Veilig Thuis and both wijkteams.
        "everywhere": _agreement(m, "Bereikbaarheid Veilig Thuis", [orgs["vt"], orgs["wt_noord"], orgs["wt_zuid"]]),
        # Ended: does not count for wijkteam–school.
        "ended": _agreement(m, "Oude schoolafspraak", [orgs["wt_noord"], orgs["school"]], end=-1, review=-100),
        # Not started yet: does not count for huisarts–wijkteam.
        "future": _agreement(m, "Toekomstige huisartsafspraak", [orgs["huisarts"], orgs["wt_noord"]], start=5),
        # Applies to Zuid only: does not cover Noord's police–Veilig Thuis pair.
        "zuid_only": _agreement(m, "Politie en Veilig Thuis in Zuid", [orgs["politie"], orgs["vt"]], [wijk_zuid]),
    }
    return {"orgs": orgs, "agreements": agreements}


@pytest.fixture
def foreign_beleid(other_municipality: Municipality) -> User:
    elders = OrganisationFactory(
        name="Gemeente Elders", type=OrganisationType.GEMEENTE, municipality=other_municipality
    )
    return make_user(Role.BELEIDSMEDEWERKER, elders, username="beleid-elders")


def _pair(wijk_gaps: gaps.WijkGaps, type_a: str, type_b: str) -> gaps.PairStatus:
    return next(p for p in wijk_gaps.pairs if (p.pair.type_a, p.pair.type_b) == (type_a, type_b))


# --- the selector -------------------------------------------------------------------------------


def test_key_types_and_pairs_are_well_formed() -> None:
    assert set(KEY_TYPES) >= {
        OrganisationType.WIJKTEAM,
        OrganisationType.JGZ,
        OrganisationType.ONDERWIJS,
        OrganisationType.HUISARTS,
        OrganisationType.KINDEROPVANG,
        OrganisationType.VEILIG_THUIS,
        OrganisationType.POLITIE,
        OrganisationType.GGZ,
    }
    seen = set()
    for type_a, type_b, reason in KEY_PAIRS:
        assert type_a in KEY_TYPES
        assert type_b in KEY_TYPES
        assert type_a != type_b
        assert str(reason).strip()
        assert frozenset((type_a, type_b)) not in seen
        seen.add(frozenset((type_a, type_b)))
    assert frozenset((OrganisationType.WIJKTEAM, OrganisationType.JGZ)) in seen
    assert frozenset((OrganisationType.WIJKTEAM, OrganisationType.ONDERWIJS)) in seen
    assert frozenset((OrganisationType.HUISARTS, OrganisationType.WIJKTEAM)) in seen
    assert frozenset((OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS)) in seen


def test_present_and_missing_types_per_wijk(beleid: User, network: dict[str, Any]) -> None:
    report = network_gaps(actor=actor_for_user(beleid))
    noord, zuid = report.wijken
    assert (noord.wijk.name, zuid.wijk.name) == ("Noord", "Zuid")
    assert {t.type for t in noord.present_types} == {
        OrganisationType.WIJKTEAM,
        OrganisationType.JGZ,
        OrganisationType.ONDERWIJS,
        OrganisationType.HUISARTS,
        OrganisationType.VEILIG_THUIS,
        OrganisationType.POLITIE,
    }
    # The inactive GGZ does not count; the gemeente is never listed.
    assert {t.type for t in noord.missing_types} == {OrganisationType.KINDEROPVANG, OrganisationType.GGZ}
    assert {o.name for o in zuid.organisations} == {"Wijkteam Zuid", "Veilig Thuis Regio", "Politie Basisteam"}
    assert "Gemeente Test" not in {o.name for o in report.organisations}
    assert report.summary.present_types == 6 + 3
    assert report.summary.missing_types == 2 + 5


def test_key_pairs_with_and_without_agreements(beleid: User, network: dict[str, Any]) -> None:
    report = network_gaps(actor=actor_for_user(beleid))
    noord, zuid = report.wijken
    wt, jgz, school = OrganisationType.WIJKTEAM, OrganisationType.JGZ, OrganisationType.ONDERWIJS
    vt, gp, police = OrganisationType.VEILIG_THUIS, OrganisationType.HUISARTS, OrganisationType.POLITIE

    covered = _pair(noord, wt, jgz)
    assert covered.state == PairState.COVERED
    assert [a.title for a in covered.agreements] == ["Verwijzen JGZ en wijkteam"]
    # A whole-municipality agreement counts in every wijk where its parties work.
    assert _pair(noord, wt, vt).state == PairState.COVERED
    assert _pair(zuid, wt, vt).state == PairState.COVERED
    assert [a.title for a in _pair(zuid, wt, vt).agreements] == ["Bereikbaarheid Veilig Thuis"]
    # Ended and future agreements do not count.
    assert _pair(noord, wt, school).state == PairState.MISSING
    assert _pair(noord, gp, wt).state == PairState.MISSING
    # An agreement for Zuid only does not cover Noord.
    assert _pair(zuid, police, vt).state == PairState.COVERED
    assert _pair(noord, police, vt).state == PairState.MISSING
    # JGZ and school are both in Noord without an agreement between them.
    assert _pair(noord, school, jgz).state == PairState.MISSING
    # In Zuid there is no JGZ, so the pair does not apply.
    not_applicable = _pair(zuid, wt, jgz)
    assert not_applicable.state == PairState.NOT_APPLICABLE
    assert not_applicable.absent_types == [jgz]

    assert {p.pair.label for p in noord.pairs_without_agreement} == {
        _pair(noord, wt, school).pair.label,
        _pair(noord, gp, wt).pair.label,
        _pair(noord, police, vt).pair.label,
        _pair(noord, jgz, vt).pair.label,
        _pair(noord, school, jgz).pair.label,
    }
    assert zuid.pairs_without_agreement == []
    assert report.summary.pairs_without_agreement == 5

    # Missing pairs become dashed edges between the organisations concerned.
    missing = {(frozenset((e.source.name, e.target.name)), e.pair.type_a, e.pair.type_b) for e in report.missing_edges}
    assert (frozenset(("Wijkteam Noord", "Basisschool De Linde")), wt, school) in missing
    assert (frozenset(("Politie Basisteam", "Veilig Thuis Regio")), police, vt) in missing
    assert all(e.wijken == [noord.wijk] for e in report.missing_edges)
    # Agreement edges: every pair of parties of an active agreement, the ended one left out.
    edges = {frozenset((e.source.name, e.target.name)): e for e in report.edges}
    assert frozenset(("Wijkteam Noord", "JGZ Noord")) in edges
    assert edges[frozenset(("Wijkteam Noord", "JGZ Noord"))].overdue is True
    assert frozenset(("Wijkteam Noord", "Wijkteam Zuid")) in edges  # both parties of the VT agreement
    assert frozenset(("Wijkteam Noord", "Basisschool De Linde")) not in edges
    assert frozenset(("Huisarts Noord", "Wijkteam Noord")) not in edges


def test_overdue_reviews_and_stale_entries(beleid: User, network: dict[str, Any], settings: Any) -> None:
    actor = actor_for_user(beleid)
    report = network_gaps(actor=actor)
    # The ended agreement's review date is past too, but an ended agreement is not reviewed any more.
    assert [a.title for a in report.overdue] == ["Verwijzen JGZ en wijkteam"]
    assert report.overdue[0].days_overdue == 10  # type: ignore[attr-defined]
    assert report.summary.overdue_reviews == 1
    assert [a.title for a in report.wijken[0].overdue] == ["Verwijzen JGZ en wijkteam"]
    assert report.wijken[1].overdue == []

    assert {o.name for o in report.stale} == {"Basisschool De Linde", "Huisarts Noord"}
    assert report.summary.stale_entries == 2
    # The same organisations as the sociale kaart's own list (the gemeente organisation aside).
    from_selector = {o.name for o in stale_entries(actor=actor) if o.type != OrganisationType.GEMEENTE}
    assert from_selector == {o.name for o in report.stale}

    settings.KETEN_NETWORK_STALE_MONTHS = 24
    assert {o.name for o in network_gaps(actor=actor).stale} == {"Huisarts Noord"}


def test_one_wijk_in_scope(beleid: User, network: dict[str, Any], wijk_zuid: Wijk) -> None:
    report = network_gaps(actor=actor_for_user(beleid), wijk_id=wijk_zuid.pk)
    assert report.scope == wijk_zuid
    assert [w.wijk for w in report.wijken] == [wijk_zuid]
    assert len(report.all_wijken) == 2
    assert {o.name for o in report.organisations} == {"Wijkteam Zuid", "Veilig Thuis Regio", "Politie Basisteam"}
    assert report.overdue == []
    assert report.stale == []
    assert report.summary.wijken == 1
    assert report.summary.pairs_without_agreement == 0
    graph = report.graph_data()
    assert {n["data"]["label"] for n in graph["nodes"]} == {"Wijkteam Zuid", "Veilig Thuis Regio", "Politie Basisteam"}
    assert {e["data"]["kind"] for e in graph["edges"]} == {"agreement"}


def test_graph_data_has_nodes_agreements_and_missing_pairs(beleid: User, network: dict[str, Any]) -> None:
    graph = network_gaps(actor=actor_for_user(beleid)).graph_data()
    nodes = {n["data"]["id"]: n["data"] for n in graph["nodes"]}
    assert nodes[f"o{network['orgs']['huisarts'].pk}"]["stale"] is True
    assert nodes[f"o{network['orgs']['wt_noord'].pk}"]["type"] == OrganisationType.WIJKTEAM
    kinds = {e["data"]["kind"] for e in graph["edges"]}
    assert kinds == {"agreement", "overdue", "missing"}
    for edge in graph["edges"]:
        assert edge["data"]["source"] in nodes
        assert edge["data"]["target"] in nodes


def test_selector_refuses_roles_and_foreign_wijken(
    network: dict[str, Any],
    school_prof: User,
    jgz_officer: User,
    fb_school: User,
    fb_gemeente: User,
    beleid: User,
    other_municipality: Municipality,
) -> None:
    for user in (school_prof, jgz_officer, fb_school):
        with pytest.raises(NotFoundError):
            network_gaps(actor=actor_for_user(user))
    assert network_gaps(actor=actor_for_user(fb_gemeente)).summary.wijken == 2
    elsewhere = WijkFactory(municipality=other_municipality, name="Elders", code="E")
    with pytest.raises(NotFoundError):
        network_gaps(actor=actor_for_user(beleid), wijk_id=elsewhere.pk)


def test_query_count_is_fixed(beleid: User, network: dict[str, Any], municipality: Municipality) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = actor_for_user(beleid)
    network_gaps(actor=actor)  # warm the membership cache
    with CaptureQueriesContext(connection) as small:
        network_gaps(actor=actor)
    for n in range(6):
        wijk = WijkFactory(municipality=municipality, name=f"Extra {n}", code=f"X{n}")
        org = _org(municipality, f"Partner {n}", OrganisationType.GGZ, wijk)
        _agreement(municipality, f"Afspraak {n}", [org, network["orgs"]["vt"]], [wijk], review=-n)
    with CaptureQueriesContext(connection) as large:
        report = network_gaps(actor=actor)
    assert report.summary.wijken == 8
    assert len(large.captured_queries) == len(small.captured_queries) <= 7


# --- HTTP: permissions, page, exports -----------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/sociale-kaart/gemeente/", "/sociale-kaart/gemeente/export.csv", "/sociale-kaart/gemeente/export.xlsx"]
)
def test_anonymous_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


@pytest.mark.parametrize("who", ["school_prof", "jgz_officer", "fb_school"])
def test_other_roles_get_404(client_for: ClientFor, request: pytest.FixtureRequest, wijk_noord: Wijk, who: str) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in (
        "/sociale-kaart/gemeente/",
        "/sociale-kaart/gemeente/export.csv",
        "/sociale-kaart/gemeente/export.xlsx",
        f"/sociale-kaart/gemeente/wijk/{wijk_noord.pk}/",
        f"/sociale-kaart/gemeente/wijk/{wijk_noord.pk}/export.csv",
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(object_type="network_gaps").exists()
    assert "/sociale-kaart/gemeente/" not in client.get("/").content.decode()


def test_other_municipality_gets_404_for_our_wijk(
    client_for: ClientFor, foreign_beleid: User, network: dict[str, Any], wijk_noord: Wijk
) -> None:
    client = client_for(foreign_beleid)
    for suffix in ("", "export.csv", "export.xlsx"):
        assert client.get(f"/sociale-kaart/gemeente/wijk/{wijk_noord.pk}/{suffix}").status_code == 404
    assert not AuditEvent.objects.filter(object_type="network_gaps").exists()
    # Their own overview shows only their own (empty) municipality.
    html = client.get("/sociale-kaart/gemeente/").content.decode()
    assert "Wijkteam Noord" not in html
    assert "nog geen wijken" in html
    assert list(AuditEvent.objects.filter(object_type="network_gaps").values_list("action", "object_id")) == [
        ("view", str(foreign_beleid.active_membership.organisation.municipality_id))  # type: ignore[union-attr]
    ]


@pytest.mark.parametrize("who", ["beleid", "fb_gemeente"])
def test_page_for_beleid_and_gemeente_beheerder(
    client_for: ClientFor, request: pytest.FixtureRequest, network: dict[str, Any], wijk_noord: Wijk, who: str
) -> None:
    client = client_for(request.getfixturevalue(who))
    response = client.get("/sociale-kaart/gemeente/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Samenwerking in beeld" in html
    assert "Samenvatting" in html
    assert "Sleutelsoorten per wijk" in html
    assert "geen afspraak" in html
    assert "Verwijzen JGZ en wijkteam" in html  # overdue
    assert "Huisarts Noord" in html  # stale
    assert "Oude schoolafspraak" not in html  # ended
    assert 'id="keten-network-data"' in html
    assert "keten/network-graph.js" in html
    assert "cytoscape.min.js" in html
    # The menu item and the dashboard card.
    assert 'href="/sociale-kaart/gemeente/"' in client.get("/").content.decode()
    one = client.get(f"/sociale-kaart/gemeente/wijk/{wijk_noord.pk}/")
    assert one.status_code == 200
    assert "Samenwerking in beeld: wijk Noord" in one.content.decode()
    # Each view is recorded, without any export.
    views = AuditEvent.objects.filter(object_type="network_gaps", action="view").order_by("id")
    assert [e.details["wijk"] for e in views] == ["", "Noord"]
    assert not AuditEvent.objects.filter(object_type="network_gaps", action="export").exists()


def _csv_sections(body: str) -> dict[str, list[list[str]]]:
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"):
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def test_csv_export(client_for: ClientFor, beleid: User, network: dict[str, Any]) -> None:
    response = client_for(beleid).get("/sociale-kaart/gemeente/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="samenwerking-testgemeente-' in response["Content-Disposition"]
    sections = _csv_sections(response.content.decode("utf-8"))
    summary = dict(sections["Samenvatting"][1:])
    assert summary["Belangrijke samenwerkingen zonder afspraak (wijk × paar)"] == "5"
    assert summary["Afspraken voorbij de evaluatiedatum"] == "1"
    assert summary["Verouderde vermeldingen"] == "2"
    types = {row[0]: row for row in sections["Soorten per wijk"][1:]}
    assert types["Noord"][-1] == "Kinderopvang, (Jeugd-)GGZ"
    pairs = sections["Samenwerking per wijk"][1:]
    assert pairs[1][:4] == ["Noord", "Wijkteam / sociaal team", "School / onderwijs", "Geen afspraak"]
    assert [row[0] for row in sections["Evaluatie verlopen"][1:]] == ["Verwijzen JGZ en wijkteam"]
    assert {row[0] for row in sections["Verouderde vermeldingen"][1:]} == {"Basisschool De Linde", "Huisarts Noord"}
    # Organisations and agreements only: nobody's name appears.
    assert beleid.last_name not in response.content.decode()
    event = AuditEvent.objects.get(object_type="network_gaps")
    assert event.action == "export"  # only the export was requested
    assert event.actor_id == beleid.pk
    assert event.details["format"] == "csv"


def test_xlsx_export_of_one_wijk(
    client_for: ClientFor, beleid: User, network: dict[str, Any], wijk_noord: Wijk
) -> None:
    response = client_for(beleid).get(f"/sociale-kaart/gemeente/wijk/{wijk_noord.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "-noord-" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Samenvatting",
        "Soorten per wijk",
        "Samenwerking per wijk",
        "Afspraken tussen organisaties",
        "Evaluatie verlopen",
        "Verouderde vermeldingen",
    ]
    summary = {row[0]: row[1] for row in workbook["Samenvatting"].iter_rows(min_row=2, values_only=True)}
    assert summary["Wijk"] == "Noord"
    assert summary["Belangrijke samenwerkingen zonder afspraak (wijk × paar)"] == 5
    rows = list(workbook["Soorten per wijk"].iter_rows(values_only=True))
    assert rows[0][0] == "Wijk"
    assert rows[1][:3] == ("Noord", 1, 1)
    overdue = list(workbook["Evaluatie verlopen"].iter_rows(min_row=2, values_only=True))
    assert overdue[0][0] == "Verwijzen JGZ en wijkteam"
    assert overdue[0][5] == 10
    event = AuditEvent.objects.get(object_type="network_gaps")
    assert event.details == {"format": "xlsx", "municipality": "Testgemeente", "wijk": "Noord"}
    assert event.object_id == str(wijk_noord.pk)


def test_exports_keep_formulas_as_text(
    client_for: ClientFor, beleid: User, municipality: Municipality, wijk_noord: Wijk
) -> None:
    _org(municipality, "=HYPERLINK(1)", OrganisationType.WIJKTEAM, wijk_noord, confirmed=False)
    client = client_for(beleid)
    body = client.get("/sociale-kaart/gemeente/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body
    workbook = load_workbook(io.BytesIO(client.get("/sociale-kaart/gemeente/export.xlsx").content))
    cell = next(c for row in workbook["Verouderde vermeldingen"].iter_rows(min_row=2) for c in row if c.column == 1)
    # Text, and with the leading quote as in the CSV: a cell that is edited (F2, Enter) stays text.
    assert cell.value == "'=HYPERLINK(1)"
    assert cell.data_type == "s"


def test_page_query_count_does_not_grow(
    client_for: ClientFor,
    beleid: User,
    network: dict[str, Any],
    municipality: Municipality,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(beleid)
    client.get("/sociale-kaart/gemeente/")
    for n in range(8):
        wijk = WijkFactory(municipality=municipality, name=f"Extra {n}", code=f"X{n}")
        org = _org(municipality, f"Partner {n}", OrganisationType.KINDEROPVANG, wijk, confirmed=n % 2 == 0)
        _agreement(municipality, f"Afspraak {n}", [org, network["orgs"]["wt_zuid"]], [wijk], review=-1)
    with django_assert_max_num_queries(20):
        response = client.get("/sociale-kaart/gemeente/")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/sociale-kaart/gemeente/export.xlsx").status_code == 200
