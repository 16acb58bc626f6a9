"""Checklist beheer: versions, items, publishing a new version; 404 for everyone but the beheerder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keten.accounts.models import OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.meldcode.beheer.forms import parse_item_lines
from keten.meldcode.models import Checklist, ChecklistKind, Traject
from keten.testing.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


@pytest.fixture
def beheerder(organisation: Any) -> User:
    """The functioneel beheerder of the gemeente of the organisation's municipality (manages its checklists)."""
    gemeente = OrganisationFactory(
        name="Gemeente", type=OrganisationType.GEMEENTE, municipality=organisation.municipality
    )
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente)


def _kindsignalen() -> Checklist:
    return (
        Checklist.objects.filter(  # type: ignore[return-value]
            kind=ChecklistKind.KINDSIGNALEN, organisation_type="", municipality=None
        )
        .order_by("-version")
        .first()
    )


def test_list_and_detail(
    beheerder: User, client_for: ClientFor, traject: Traject, django_assert_max_num_queries: Any
) -> None:
    client = client_for(beheerder)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meldcode:checklists"))
    assert response.status_code == 200
    html = response.content.decode()
    source = _kindsignalen()
    assert source.title in html
    assert "Alle soorten organisaties" in html
    response = client.get(reverse("meldcode:checklist", args=[source.pk]))
    assert response.status_code == 200
    assert source.items[0]["label"] in response.content.decode()
    assert client.get(reverse("meldcode:checklist", args=[999999])).status_code == 404


def test_publish_school_version_untick_edit_and_add(beheerder: User, client_for: ClientFor) -> None:
    source = _kindsignalen()
    first, second, *rest = [item["code"] for item in source.items]
    client = client_for(beheerder)
    url = reverse("meldcode:checklist_publish", args=[source.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert first in page.content.decode()
    response = client.post(
        url,
        {
            "kind": ChecklistKind.KINDSIGNALEN,
            "organisation_type": OrganisationType.ONDERWIJS,
            "title": "Signalen bij het kind (school)",
            "keep": [second, *rest],  # the first one is unticked
            "items_text": f"{second};gedrag;Andere omschrijving voor school\nS-01;school;Vaak te laat zonder reden",
        },
    )
    assert response.status_code == 302, response.content.decode()
    new = Checklist.objects.get(kind=ChecklistKind.KINDSIGNALEN, organisation_type=OrganisationType.ONDERWIJS)
    assert new.version == 1
    codes = [item["code"] for item in new.items]
    assert first not in codes
    assert codes[-1] == "S-01"
    assert len(codes) == len(source.items)
    edited = next(item for item in new.items if item["code"] == second)
    assert edited["label"] == "Andere omschrijving voor school"
    assert edited["group"] == "gedrag"
    event = AuditEvent.objects.get(object_type="meldcode.checklist")
    assert event.details["organisation_type"] == OrganisationType.ONDERWIJS
    # The general list is unchanged.
    source.refresh_from_db()
    assert first in [item["code"] for item in source.items]


def test_bad_input_shows_dutch_errors_and_writes_nothing(beheerder: User, client_for: ClientFor) -> None:
    source = _kindsignalen()
    url = reverse("meldcode:checklist_publish", args=[source.pk])
    client = client_for(beheerder)
    count = Checklist.objects.count()
    base = {"kind": ChecklistKind.KINDSIGNALEN, "organisation_type": "", "title": "Nieuwe lijst"}
    response = client.post(url, {**base, "keep": [], "items_text": ""})
    assert response.status_code == 422
    assert "minstens één item" in response.content.decode()
    response = client.post(url, {**base, "keep": [], "items_text": "X-1;groep"})
    assert response.status_code == 422
    assert "Regel 1" in response.content.decode()
    response = client.post(url, {**base, "title": "", "keep": [source.items[0]["code"]]})
    assert response.status_code == 422
    assert Checklist.objects.count() == count


def test_parse_item_lines() -> None:
    assert parse_item_lines("A;g;Label\n\nB;;Ander label;4-12") == [
        {"code": "A", "group": "g", "label": "Label", "age_band": ""},
        {"code": "B", "group": "", "label": "Ander label", "age_band": "4-12"},
    ]
    with pytest.raises(Exception, match="Regel 2"):
        parse_item_lines("A;g;Label\nA;g;Dubbel")


def test_others_get_404(
    organisation: Any, professional: User, officer: User, client_for: ClientFor, django_user_model: Any
) -> None:
    source = _kindsignalen()
    urls = [
        reverse("meldcode:checklists"),
        reverse("meldcode:checklist", args=[source.pk]),
        reverse("meldcode:checklist_publish", args=[source.pk]),
    ]
    users = [professional, officer, make_user(Role.BELEIDSMEDEWERKER, organisation)]
    superuser = make_user(Role.PROFESSIONAL, organisation, username="root")
    django_user_model.objects.filter(pk=superuser.pk).update(is_superuser=True, is_staff=True)
    users.append(superuser)
    for user in users:
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(urls[2], {"title": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(object_type="meldcode.checklist").exists()


def test_dashboard_links_beheerder_to_the_checklists(beheerder: User, client_for: ClientFor) -> None:
    html = client_for(beheerder).get(reverse("shell:dashboard")).content.decode()
    assert reverse("meldcode:checklists") in html
