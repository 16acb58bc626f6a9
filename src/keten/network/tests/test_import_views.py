"""Pages of the sociale kaart beheer: upload, preview, confirm, export, templates, postcode ranges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.models import AuditAction, AuditEvent
from keten.network.models import PostcodeRange
from keten.testing.factories import OrganisationFactory, WijkFactory, make_user

ClientFor = Callable[[User], Client]

BASE = "/sociale-kaart/beheer/"
CSV_WITH_ONE_ERROR = "naam;soort;postcode\nWijkteam Oost;wijkteam;3512 AB\nKinderopvang Kiekeboe;kinderopvang;12AB\n"


def _upload(client: Client, kind: str, content: bytes, name: str = "import.csv") -> Any:
    return client.post(f"{BASE}import/{kind}/", {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def fb_andere_gemeente(other_municipality: Municipality) -> User:
    gemeente = OrganisationFactory(
        name="Gemeente Elders", type=OrganisationType.GEMEENTE, municipality=other_municipality
    )
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="fb-andere-gemeente")


PAGES = [
    BASE,
    f"{BASE}import/organisaties/",
    f"{BASE}import/medewerkers/",
    f"{BASE}import/postcodegebieden/",
    f"{BASE}import/organisaties/controleren/",
    f"{BASE}import/organisaties/voorbeeld.csv",
    f"{BASE}export/organisaties.csv",
    f"{BASE}export/medewerkers.xlsx",
    f"{BASE}postcodegebieden/",
]


@pytest.mark.parametrize("who", ["fb_school", "beleid", "school_prof", "fb_elders"])
def test_everyone_but_the_gemeente_beheerder_gets_404(
    client_for: ClientFor, request: pytest.FixtureRequest, who: str, wijk_noord: Wijk
) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in PAGES:
        assert client.get(url).status_code == 404, url
    assert _upload(client, "organisaties", CSV_WITH_ONE_ERROR.encode()).status_code == 404
    found = PostcodeRange.objects.get(wijk=wijk_noord)
    assert client.post(f"{BASE}postcodegebieden/{found.pk}/verwijderen/").status_code == 404
    assert PostcodeRange.objects.filter(pk=found.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_is_sent_to_login(client: Client, db: Any) -> None:
    response = client.get(BASE)
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


def test_beheerder_of_another_municipality_sees_only_own_data(
    client_for: ClientFor, fb_andere_gemeente: User, wijk_noord: Wijk, jgz: Organisation
) -> None:
    client = client_for(fb_andere_gemeente)
    export = client.get(f"{BASE}export/organisaties.csv")
    assert export.status_code == 200
    assert jgz.name.encode() not in export.content
    assert b"Gemeente Elders" in export.content
    found = PostcodeRange.objects.get(wijk=wijk_noord)
    assert client.get(f"{BASE}postcodegebieden/{found.pk}/verwijderen/").status_code == 404
    assert client.post(f"{BASE}postcodegebieden/{found.pk}/verwijderen/").status_code == 404
    assert PostcodeRange.objects.filter(pk=found.pk).exists()
    page = client.get(f"{BASE}postcodegebieden/")
    assert "Noord" not in page.content.decode()


def test_beheer_start_page_links_to_import(client_for: ClientFor, fb_gemeente: User, fb_school: User) -> None:
    assert f'href="{BASE}"' in client_for(fb_gemeente).get("/account/beheer/").content.decode()
    assert f'href="{BASE}"' not in client_for(fb_school).get("/account/beheer/").content.decode()


def test_upload_preview_and_import_valid_rows(client_for: ClientFor, fb_gemeente: User, wijk_noord: Wijk) -> None:
    client = client_for(fb_gemeente)
    response = _upload(client, "organisaties", CSV_WITH_ONE_ERROR.encode())
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}import/organisaties/controleren/"
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Rij 3: de postcode &#x27;12AB&#x27; is geen geldige Nederlandse postcode." in html
    assert "Alleen de geldige rijen importeren" in html
    assert preview["Cache-Control"].startswith("max-age=0")
    form = preview.context["form"]
    data = {"token": form.initial["token"], "digest": form.initial["digest"]}

    refused = client.post(response["Location"], data)
    assert refused.status_code == 422
    assert "Er is niets geïmporteerd" in refused.content.decode()
    assert not Organisation.objects.filter(name="Wijkteam Oost").exists()

    done = client.post(response["Location"], {**data, "only_valid": "on"})
    assert done.status_code == 302
    assert done["Location"] == BASE
    assert Organisation.objects.filter(name="Wijkteam Oost").exists()
    assert not Organisation.objects.filter(name="Kinderopvang Kiekeboe").exists()
    event = AuditEvent.objects.get(object_type="import")
    assert event.details["created"] == 1
    assert event.details["skipped"] == 1
    page = client.get(BASE)
    assert "1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 overgeslagen" in page.content.decode()
    # The records are gone from the session: confirming again does nothing.
    again = client.post(response["Location"], {**data, "only_valid": "on"})
    assert again.status_code == 302
    assert again["Location"] == f"{BASE}import/organisaties/"
    assert AuditEvent.objects.filter(object_type="import").count() == 1


def test_preview_of_another_file_or_stale_data_is_refused(
    client_for: ClientFor, fb_gemeente: User, jgz: Organisation
) -> None:
    client = client_for(fb_gemeente)
    _upload(client, "organisaties", b"naam;soort;telefoon\nJeugdgezondheidszorg Noord;jgz;030-9\n")
    url = f"{BASE}import/organisaties/controleren/"
    form = client.get(url).context["form"]
    wrong_token = client.post(url, {"token": "ander", "digest": form.initial["digest"]})
    assert wrong_token.status_code == 422
    assert "hoort bij een ander bestand" in wrong_token.content.decode()
    stale = client.post(url, {"token": form.initial["token"], "digest": "0" * 64})
    assert stale.status_code == 302
    assert stale["Location"] == url
    assert not AuditEvent.objects.filter(object_type="import").exists()
    ok = client.post(url, {"token": form.initial["token"], "digest": form.initial["digest"]})
    assert ok.status_code == 302
    assert jgz.entry.__class__.objects.get(organisation=jgz).phone == "030-9"


def test_cancel_forgets_the_uploaded_rows(client_for: ClientFor, fb_gemeente: User) -> None:
    client = client_for(fb_gemeente)
    _upload(client, "organisaties", CSV_WITH_ONE_ERROR.encode())
    assert client.get(f"{BASE}import/organisaties/annuleren/").status_code == 405
    response = client.post(f"{BASE}import/organisaties/annuleren/")
    assert response.status_code == 302
    assert "keten_import" not in client.session
    assert client.get(f"{BASE}import/organisaties/controleren/").status_code == 302
    assert not Organisation.objects.filter(name="Wijkteam Oost").exists()


def test_preview_of_another_kind_asks_for_a_file(client_for: ClientFor, fb_gemeente: User) -> None:
    client = client_for(fb_gemeente)
    _upload(client, "organisaties", CSV_WITH_ONE_ERROR.encode())
    response = client.get(f"{BASE}import/medewerkers/controleren/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}import/medewerkers/"
    assert client.get(f"{BASE}import/onbekend/").status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"naam;soort\nX;jgz\n", "kaart.pdf", "Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."),
        (b"naam;kleur\nX;rood\n", "kaart.csv", "Onbekende kolommen in de kopregel"),
        (b"", "kaart.csv", "Het gekozen bestand is leeg."),
    ],
)
def test_unusable_upload_shows_a_dutch_error(
    client_for: ClientFor, fb_gemeente: User, content: bytes, name: str, message: str
) -> None:
    response = _upload(client_for(fb_gemeente), "organisaties", content, name)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_upload_without_file(client_for: ClientFor, fb_gemeente: User) -> None:
    response = client_for(fb_gemeente).post(f"{BASE}import/organisaties/", {})
    assert response.status_code == 422
    assert "Kies een bestand om te importeren." in response.content.decode()


def test_professionals_import_page_flow(client_for: ClientFor, fb_gemeente: User, gemeente: Organisation) -> None:
    client = client_for(fb_gemeente)
    content = (
        "\ufeffvoornaam,achternaam,e-mail,organisatie,rol\nSam,Visser,sam@example.org,Gemeente Test,Professional\n"
    ).encode()
    assert _upload(client, "medewerkers", content).status_code == 302
    url = f"{BASE}import/medewerkers/controleren/"
    form = client.get(url).context["form"]
    done = client.post(url, {"token": form.initial["token"], "digest": form.initial["digest"]})
    assert done.status_code == 302
    sam = User.objects.get(email="sam@example.org")
    assert not sam.has_usable_password()
    assert "instellink" in client.get(BASE).content.decode()


@pytest.mark.parametrize(("fmt", "content_type"), [("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")])
def test_export_download(
    client_for: ClientFor, fb_gemeente: User, jgz_officer: User, fmt: str, content_type: str
) -> None:
    response = client_for(fb_gemeente).get(f"{BASE}export/medewerkers.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="keten-medewerkers.{fmt}"'
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.object_type, event.object_id, event.details["format"]) == ("export", "medewerkers", fmt)
    if fmt == "csv":
        assert jgz_officer.email.encode() in response.content


def test_unknown_export_format_is_404(client_for: ClientFor, fb_gemeente: User) -> None:
    assert client_for(fb_gemeente).get(f"{BASE}export/organisaties.pdf").status_code == 404
    assert client_for(fb_gemeente).get(f"{BASE}export/geheimen.csv").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_template_download(client_for: ClientFor, fb_gemeente: User) -> None:
    response = client_for(fb_gemeente).get(f"{BASE}import/medewerkers/voorbeeld.csv")
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig") == "voornaam;achternaam;e-mail;telefoon;organisatie;rol;team\r\n"


def test_postcode_range_page_add_and_delete(
    client_for: ClientFor, fb_gemeente: User, wijk_noord: Wijk, wijk_zuid: Wijk, django_assert_max_num_queries: Any
) -> None:
    client = client_for(fb_gemeente)
    for wijk in (WijkFactory(municipality=wijk_noord.municipality, name=f"Extra {i}") for i in range(5)):
        PostcodeRange.objects.create(wijk=wijk, start=4000 + wijk.pk * 10, end=4005 + wijk.pk * 10)
    with django_assert_max_num_queries(12):
        page = client.get(f"{BASE}postcodegebieden/")
    assert page.status_code == 200
    assert "3500–3519" in page.content.decode()

    overlap = client.post(f"{BASE}postcodegebieden/", {"wijk": wijk_zuid.pk, "start": 3510, "end": 3525})
    assert overlap.status_code == 422
    assert "Dit postcodegebied overlapt met 3500–3519 van wijk Noord." in overlap.content.decode()
    bad = client.post(f"{BASE}postcodegebieden/", {"wijk": wijk_zuid.pk, "start": 99, "end": 3525})
    assert bad.status_code == 422
    assert "Een postcodenummer heeft vier cijfers" in bad.content.decode()

    added = client.post(f"{BASE}postcodegebieden/", {"wijk": wijk_zuid.pk, "start": 3540, "end": 3549})
    assert added.status_code == 302
    created = PostcodeRange.objects.get(start=3540)
    assert created.wijk == wijk_zuid

    confirm = client.get(f"{BASE}postcodegebieden/{created.pk}/verwijderen/")
    assert confirm.status_code == 200
    assert "3540–3549" in confirm.content.decode()
    removed = client.post(f"{BASE}postcodegebieden/{created.pk}/verwijderen/")
    assert removed.status_code == 302
    assert not PostcodeRange.objects.filter(pk=created.pk).exists()
    assert AuditEvent.objects.filter(object_type="postcode_range", action=AuditAction.DELETE).count() == 1


def test_preview_query_count_does_not_grow_with_rows(
    client_for: ClientFor, fb_gemeente: User, jgz: Organisation, django_assert_max_num_queries: Any
) -> None:
    client = client_for(fb_gemeente)
    rows = "".join(f"Organisatie {i};jgz;Noord\n" for i in range(150))
    _upload(client, "organisaties", f"naam;soort;wijken\n{rows}".encode())
    with django_assert_max_num_queries(15):
        response = client.get(f"{BASE}import/organisaties/controleren/")
    assert response.status_code == 200
    assert response.context["counts"]["new"] == 150
