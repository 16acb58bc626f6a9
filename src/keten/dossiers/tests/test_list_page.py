"""The dossier list: the shared filter bar, sortable columns, counts and paging; searches stay POSTed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.dossiers.models import Dossier
from keten.testing.factories import make_dossier

pytestmark = pytest.mark.django_db


def _references(html: str) -> list[str]:
    return re.findall(r'href="/dossiers/(D-[^/"]+)/"', html)


@pytest.fixture
def three(professional):
    """Three dossiers of the professional: updated at different times, one closed."""
    made = [make_dossier(professional, family_name=f"Gezin {name}") for name in ("Aap", "Noot", "Mies")]
    now = timezone.now()
    for age, d in enumerate(made):
        Dossier.objects.filter(pk=d.pk).update(updated_at=now - timedelta(days=age))
    Dossier.objects.filter(pk=made[1].pk).update(status=Dossier.Status.CLOSED)
    return made


def test_newest_first_with_count_and_sortable_headers(client_for, professional, three):
    html = client_for(professional).get("/dossiers/").content.decode()
    assert _references(html) == [d.reference for d in three]
    assert "3 resultaten" in html
    assert 'aria-sort="descending"' in html
    assert "aflopend gesorteerd, klik om oplopend te sorteren" in html
    assert 'href="/dossiers/?sorteer=nummer"' in html
    assert 'role="search"' in html


def test_sorting_changes_the_order(client_for, professional, three):
    client = client_for(professional)
    oldest_first = client.get("/dossiers/", {"sorteer": "gewijzigd"}).content.decode()
    assert _references(oldest_first) == [d.reference for d in reversed(three)]
    assert 'aria-sort="ascending"' in oldest_first
    by_number = client.get("/dossiers/", {"sorteer": "-nummer"}).content.decode()
    assert _references(by_number) == sorted((d.reference for d in three), reverse=True)


def test_status_filter_narrows_and_keeps_the_sort(client_for, professional, three):
    html = client_for(professional).get("/dossiers/", {"status": "open", "sorteer": "gewijzigd"}).content.decode()
    assert _references(html) == [three[2].reference, three[0].reference]
    assert "2 resultaten" in html
    assert 'href="/dossiers/?status=open&amp;sorteer=nummer"' in html
    assert "Filter wissen" in html


@pytest.mark.parametrize(
    "params", [{"status": "verwijderd"}, {"sorteer": "family__name"}, {"pagina": "x"}, {"pagina": "-1"}]
)
def test_bad_parameters_give_the_whole_list_never_an_error(client_for, professional, three, params):
    response = client_for(professional).get("/dossiers/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert _references(html) == [d.reference for d in three]
    if "status" in params:
        assert "Kies een van de mogelijkheden; er is niet gefilterd op status." in html
        assert 'aria-invalid="true"' in html


def test_paging_clamps_and_links_keep_the_filter(client_for, professional):
    for n in range(27):
        make_dossier(professional, family_name=f"Gezin {n}")
    client = client_for(professional)
    first = client.get("/dossiers/", {"status": "open"}).content.decode()
    assert len(_references(first)) == 25
    assert "27 resultaten" in first
    assert "Pagina 1 van 2" in first
    assert 'href="/dossiers/?status=open&amp;pagina=2"' in first
    last = client.get("/dossiers/", {"status": "open", "pagina": "99"}).content.decode()
    assert len(_references(last)) == 2
    assert "Pagina 2 van 2" in last


def test_a_search_is_posted_and_its_paging_and_sorting_stay_posted(client_for, professional):
    for n in range(27):
        make_dossier(professional, family_name=f"Gezin Jansen {n}")
    response = client_for(professional).post("/dossiers/", {"q": "Jansen", "sorteer": "nummer"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "27 resultaten" in html
    assert "Jansen" not in "".join(re.findall(r'href="[^"]*"', html))
    assert '<button type="submit" name="pagina" value="2"' in html
    assert '<input type="hidden" name="q" value="Jansen">' in html


def test_a_post_without_search_text_redirects_to_the_list_address(client_for, professional, three):
    response = client_for(professional).post("/dossiers/", {"q": "", "status": "closed"})
    assert response.status_code == 302
    assert response["Location"] == "/dossiers/?status=closed"


def test_htmx_gets_the_table_part_only(client_for, professional, three):
    response = client_for(professional).get("/dossiers/", {"sorteer": "nummer"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<h1" not in html
    assert 'hx-swap-oob="true"' in html
    assert 'value="nummer"' in html


def test_empty_states_say_what_to_do_next(client_for, professional, outsider, three):
    empty = client_for(outsider).get("/dossiers/").content.decode()
    assert "U zit nog in geen enkel casusteam. Maak met de knop Nieuw dossier een dossier aan" in empty
    assert empty.count('href="/dossiers/nieuw/"') == 1  # the page's own button, not a second one
    filtered = client_for(professional).post("/dossiers/", {"q": "Bestaatniet"}).content.decode()
    assert "Geen dossier gevonden waarvan u in het casusteam zit." in filtered
    assert 'href="/dossiers/">Filter wissen' in filtered


def test_rows_are_scoped_to_the_case_team(client_for, professional, outsider, three):
    own = make_dossier(outsider, family_name="Gezin Eigen")
    html = client_for(outsider).get("/dossiers/", {"sorteer": "nummer"}).content.decode()
    assert _references(html) == [own.reference]
    assert "1 resultaat" in html


def test_the_number_of_queries_does_not_grow_with_the_rows(client_for, professional, django_assert_num_queries):
    client = client_for(professional)
    make_dossier(professional)
    client.get("/dossiers/")  # warm the per-user caches
    with CaptureQueriesContext(connection) as few:
        client.get("/dossiers/", {"status": "open", "sorteer": "regievoerder"})
    for _n in range(30):
        make_dossier(professional)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/dossiers/", {"status": "open", "sorteer": "regievoerder"})
