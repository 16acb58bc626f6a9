"""Municipal meldcode figures: counts only, small cells hidden, own municipality only, audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from keten.accounts.models import Municipality, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.dossiers.models import Family
from keten.meldcode.figures.selectors import meldcode_figures
from keten.meldcode.models import Status, Traject
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]


def _trajecten(actor_of: ActorOf, user: User, n: int, wijk: Any, **changes: Any) -> list[Traject]:
    made = []
    for _i in range(n):
        dossier = make_dossier(user, family_name="Gezin Geheim")
        Family.objects.filter(pk=dossier.family_id).update(wijk=wijk)
        made.append(traject_services.traject_start(actor=actor_of(user), dossier=dossier))
    if changes:
        Traject.objects.filter(pk__in=[t.pk for t in made]).update(**changes)
    return made


@pytest.fixture
def municipality_data(actor_of: ActorOf, organisation: Any) -> dict[str, Any]:
    """Wijkteam: 6 trajecten in Noord (5 decided with a melding, overdue feedback), school: 2 open in Zuid."""
    municipality = organisation.municipality
    noord = WijkFactory(municipality=municipality, name="Noord")
    zuid = WijkFactory(municipality=municipality, name="Zuid")
    wijkteam_prof = make_user(Role.PROFESSIONAL, organisation)
    school = OrganisationFactory(
        name="Basisschool De Linde", type=OrganisationType.ONDERWIJS, municipality=municipality
    )
    teacher = make_user(Role.PROFESSIONAL, school)
    now = timezone.now()
    today = timezone.localdate()
    _trajecten(
        actor_of,
        wijkteam_prof,
        5,
        noord,
        status=Status.GEMELD,
        outcome="melden",
        first_signal_on=today - timedelta(days=20),
        decided_at=now - timedelta(days=10),
        melding_on=today - timedelta(days=10),
        vt_feedback_due=today - timedelta(days=3),
    )
    _trajecten(actor_of, wijkteam_prof, 1, noord)
    _trajecten(actor_of, teacher, 2, zuid, current_step=2)
    # Another municipality's trajecten never count.
    elsewhere = OrganisationFactory(
        name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders", cbs_code="GM0001")
    )
    _trajecten(actor_of, make_user(Role.PROFESSIONAL, elsewhere), 7, None)
    return {"noord": noord, "zuid": zuid, "municipality": municipality}


def test_figures_count_suppress_and_stay_in_the_municipality(
    organisation: Any, actor_of: ActorOf, municipality_data: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation)
    with django_assert_max_num_queries(10):
        figures = meldcode_figures(actor=actor_of(policy))
    assert figures.totals["started"] == 8
    assert figures.totals["meldingen"] == 5
    assert figures.totals["overdue"] == 5
    assert figures.totals["median_days"] == 10.0
    assert figures.totals["open"] is None  # 3 open: hidden
    by_type = {row.label: row.cells for row in figures.by_org_type}
    # Shown next to the total of 8, the wijkteam's 6 would give the school's hidden 2 away.
    assert by_type["Wijkteam / sociaal team"]["started"] is None
    assert by_type["Wijkteam / sociaal team"]["median_days"] == 10.0
    assert by_type["School / onderwijs"]["started"] is None
    by_wijk = {row.label: row.cells for row in figures.by_wijk}
    # The same for the wijken: Noord's 6 and 5 would give Zuid's 2 and 0 away.
    assert by_wijk["Noord"]["started"] is None
    assert by_wijk["Noord"]["gemeld"] is None
    assert by_wijk["Noord"]["median_days"] == 10.0
    assert by_wijk["Zuid"]["started"] is None
    assert by_wijk["Zuid"]["median_days"] is None
    outcomes = {row.label: row.cells["n"] for row in figures.by_outcome}
    assert outcomes["Melding"] == 5
    assert all(row.cells["n"] is None for row in figures.by_step)


def test_page_and_csv_hold_no_client_data_and_are_audited(
    organisation: Any, client_for: ClientFor, municipality_data: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(make_user(Role.BELEIDSMEDEWERKER, organisation))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meldcode:figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gezin Geheim" not in html
    assert "M-" not in html
    assert "G-" not in html
    assert 'data-chart="bar"' in html
    assert "chart.umd.js" in html
    assert "Noord" in html
    assert 'x<span class="keten-visually-hidden"> (niet getoond)</span>' in html  # a hidden count
    assert AuditEvent.objects.filter(action="view", object_type="figures", object_id="meldcode").exists()

    response = client.get(reverse("meldcode:figures_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert "Noord;x;" in text  # Noord's 6 is a complement of Zuid's hidden 2
    assert "Testgemeente;8;" in text
    assert "Zuid;x;" in text
    assert "Gezin Geheim" not in text
    assert "Kind1" not in text
    assert AuditEvent.objects.filter(action="export", object_type="figures", object_id="meldcode.csv").exists()


def test_roles_without_aggregates_get_404(
    organisation: Any, professional: User, officer: User, client_for: ClientFor
) -> None:
    for user in (professional, officer, make_user(Role.TEAMLEIDER, organisation)):
        client = client_for(user)
        assert client.get(reverse("meldcode:figures")).status_code == 404
        assert client.get(reverse("meldcode:figures_csv")).status_code == 404
    assert not AuditEvent.objects.filter(object_type="figures").exists()


def test_other_municipality_sees_only_its_own(client_for: ClientFor, municipality_data: dict[str, Any]) -> None:
    other = Municipality.objects.get(name="Elders")
    policy = make_user(Role.BELEIDSMEDEWERKER, OrganisationFactory(type=OrganisationType.GEMEENTE, municipality=other))
    html = client_for(policy).get(reverse("meldcode:figures")).content.decode()
    assert "Noord" not in html
    assert "Elders" in html


def test_dashboard_links_policy_officer_to_the_figures(organisation: Any, client_for: ClientFor) -> None:
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation)
    html = client_for(policy).get(reverse("shell:dashboard")).content.decode()
    assert reverse("meldcode:figures") in html


def test_complementary_cells_are_hidden_so_no_small_cell_follows_by_subtraction(
    organisation: Any, actor_of: ActorOf, municipality_data: dict[str, Any]
) -> None:
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation)
    figures = meldcode_figures(actor=actor_of(policy))
    totals, by_type = figures.totals, {row.label: row.cells for row in figures.by_org_type}
    # Shown: 8 started in total. Showing the wijkteam's 6 would give the school's 2 away (8 - 6).
    assert totals["started"] == 8
    assert by_type["School / onderwijs"]["started"] is None
    assert by_type["Wijkteam / sociaal team"]["started"] is None
    by_wijk = {row.label: row.cells for row in figures.by_wijk}
    assert by_wijk["Zuid"]["started"] is None
    assert by_wijk["Noord"]["started"] is None
    # Whatever is shown, no column, row or step group has exactly one hidden cell left.
    count_keys = ["started", "open", "hulp", "gemeld", "afgesloten", "meldingen", "overdue"]
    for rows in (figures.by_org_type, figures.by_wijk):
        for key in count_keys:
            column = [row.cells[key] for row in rows] + [totals[key]]
            assert sum(value is None for value in column) != 1, key
    for cells in [totals, *by_type.values(), *by_wijk.values()]:
        row_group = [cells[k] for k in ("open", "hulp", "gemeld", "afgesloten", "started")]
        assert sum(value is None for value in row_group) != 1
    steps = [row.cells["n"] for row in figures.by_step] + [totals["open"]]
    assert sum(value is None for value in steps) != 1


def test_many_wijken_keep_their_larger_cells(organisation: Any, actor_of: ActorOf) -> None:
    municipality = organisation.municipality
    prof = make_user(Role.PROFESSIONAL, organisation)
    for name, n in (("Noord", 9), ("Oost", 7), ("Zuid", 6), ("West", 2)):
        _trajecten(actor_of, prof, n, WijkFactory(municipality=municipality, name=name))
    figures = meldcode_figures(actor=actor_of(make_user(Role.BELEIDSMEDEWERKER, organisation)))
    started = {row.label: row.cells["started"] for row in figures.by_wijk}
    assert started == {"Noord": 9, "Oost": 7, "West": None, "Zuid": None}
    assert figures.totals["started"] == 24


def test_csv_neutralises_a_formula_in_a_wijk_name(organisation: Any, actor_of: ActorOf, client_for: ClientFor) -> None:
    crafted = WijkFactory(municipality=organisation.municipality, name='=HYPERLINK("https://evil.example","x")')
    _trajecten(actor_of, make_user(Role.PROFESSIONAL, organisation), 6, crafted)
    text = client_for(make_user(Role.BELEIDSMEDEWERKER, organisation)).get(reverse("meldcode:figures_csv"))
    body = text.content.decode()
    assert '"\'=HYPERLINK(""https://evil.example"",""x"")";6;' in body
    assert '\n"=HYPERLINK' not in body
