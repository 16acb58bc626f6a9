"""Bulk import and export of the sociale kaart: reading files, classifying rows, writing, round trips."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction, AuditEvent
from keten.network.importing import exporting, reading, validating
from keten.network.importing import services as import_services
from keten.network.importing.columns import ORGANISATIONS, POSTCODE_RANGES, PROFESSIONALS, headers
from keten.network.importing.rows import CHANGED, ERROR, NEW, UNCHANGED
from keten.network.kaart import services
from keten.network.models import OrganisationEntry, PostcodeRange
from keten.network.tests.import_helpers import ORG_HEADER, ActorOf, read_records, rows_by_number
from keten.testing.factories import OrganisationFactory, TeamFactory, WijkFactory, make_user

# --- who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["fb_school", "beleid", "school_prof", "fb_elders"])
def test_only_the_gemeente_beheerder_may_import(
    actor_of: ActorOf, request: pytest.FixtureRequest, who: str, gemeente: Organisation
) -> None:
    actor = actor_of(request.getfixturevalue(who))
    records = read_records(ORGANISATIONS, "naam;soort\nX;jgz\n")
    with pytest.raises(NotFoundError):
        validating.import_preview(actor=actor, kind=ORGANISATIONS, records=records)
    with pytest.raises(NotFoundError):
        import_services.import_apply(actor=actor, kind=ORGANISATIONS, records=records)
    with pytest.raises(NotFoundError):
        exporting.export_file(actor=actor, kind=ORGANISATIONS, fmt="csv")
    assert not Organisation.objects.filter(name="X").exists()


# --- organisations ----------------------------------------------------------------------------


@pytest.fixture
def org_records(jgz: Organisation, school: Organisation, wijk_noord: Wijk, wijk_zuid: Wijk) -> list[reading.Record]:
    return read_records(
        ORGANISATIONS,
        ORG_HEADER + "\n"
        "Wijkteam Oost;Wijkteam / sociaal team;Noord, Zuid;3512ab;030-1111111;oost@zorgmail.nl;wijkteam.example.org;"
        "opvoeden|scheiding;0;23;ja\n"
        "jeugdgezondheidszorg noord;jgz;Noord;;;;;zuigelingen, opvoedsteun;0;18;nee\n"
        "Basisschool De Zoe;onderwijs;Zuid;12AB;;;;;;;\n"
        "Kinderopvang Kiekeboe;kinderopvang;Oost;;;geen-mail;;;;;\n"
        "Huisarts Bos;huisarts;;;;;;;12;4;misschien\n"
        "Politie;smurf;;;;;;;;;\n"
        "WIJKTEAM OOST;wijkteam;;;;;;;;;\n",
    )


def test_organisation_preview_classifies_every_row(
    actor_of: ActorOf, fb_gemeente: User, org_records: list[reading.Record], jgz: Organisation
) -> None:
    rows = rows_by_number(
        validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=org_records)
    )
    assert rows[2].status == NEW
    assert rows[2].data["entry"]["postcode"] == "3512 AB"
    assert rows[2].data["entry"]["website"] == "https://wijkteam.example.org"
    assert rows[2].data["entry"]["expertise"] == ["opvoeden", "scheiding"]
    assert rows[3].status == UNCHANGED, rows[3].changes
    assert rows[3].target_id == jgz.pk
    assert rows[4].status == ERROR
    assert rows[4].errors == ["Rij 4: de postcode '12AB' is geen geldige Nederlandse postcode."]
    assert rows[5].errors == [
        "Rij 5: de wijk 'Oost' bestaat niet in uw gemeente.",
        "Rij 5: 'geen-mail' is geen geldig e-mailadres.",
    ]
    assert rows[6].errors == ["Rij 6: vul bij 'openbaar' ja of nee in, niet 'misschien'."]
    assert any("soort organisatie 'smurf' bestaat niet" in e for e in rows[7].errors)
    assert rows[8].errors[0] == (
        "Rij 8: de organisatie 'WIJKTEAM OOST' staat ook al in rij 2. "
        "Zet elke organisatie maar één keer in het bestand."
    )


def test_organisation_age_range_errors(actor_of: ActorOf, fb_gemeente: User) -> None:
    records = read_records(
        ORGANISATIONS, "naam;soort;leeftijd vanaf;leeftijd tot en met\nA;jgz;12;4\nB;jgz;oud;\nC;jgz;;130\n"
    )
    rows = rows_by_number(validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records))
    assert rows[2].errors == ["Rij 2: de leeftijd 'tot en met' kan niet lager zijn dan 'vanaf'."]
    assert rows[3].errors == ["Rij 3: de leeftijd vanaf 'oud' is geen leeftijd tussen 0 en 120."]
    assert rows[4].errors == ["Rij 4: de leeftijd tot en met '130' is geen leeftijd tussen 0 en 120."]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (";jgz;;", "Rij 2: vul de naam van de organisatie in."),
        ("A;;;", "Rij 2: vul de soort organisatie in."),
        ("A;jgz;030 12#34;", "Rij 2: het telefoonnummer '030 12#34' mag alleen cijfers, spaties en + - ( ) bevatten"),
        ("A;jgz;;http://exa mple", "Rij 2: 'http://exa mple' is geen geldig webadres."),
        ("A;jgz;;ftp://example.org", "Rij 2: 'ftp://example.org' is geen geldig webadres."),
    ],
)
def test_more_organisation_row_errors(actor_of: ActorOf, fb_gemeente: User, row: str, message: str) -> None:
    records = read_records(ORGANISATIONS, f"naam;soort;telefoon;website\n{row}\n")
    (result,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records).rows
    assert result.status == ERROR
    assert result.errors[0].startswith(message), result.errors


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (";B;a@example.org;jgz;professional", "Rij 2: vul de voornaam in."),
        ("A;;a@example.org;jgz;professional", "Rij 2: vul de achternaam in."),
        ("A;B;;jgz;professional", "Rij 2: vul het e-mailadres in."),
        ("A;B;a@example.org;;professional", "Rij 2: vul de organisatie in."),
        ("A;B;a@example.org;jgz;", "Rij 2: vul de rol in."),
    ],
)
def test_more_professional_row_errors(
    actor_of: ActorOf, fb_gemeente: User, gemeente: Organisation, row: str, message: str
) -> None:
    row = row.replace(";jgz;", ";Gemeente Test;")
    records = read_records(PROFESSIONALS, f"voornaam;achternaam;e-mail;organisatie;rol\n{row}\n")
    (result,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=PROFESSIONALS, records=records).rows
    assert result.errors == [message]


def test_overlong_cell_is_a_row_error(actor_of: ActorOf, fb_gemeente: User) -> None:
    records = read_records(ORGANISATIONS, f"naam;soort;beschrijving\nA;jgz;{'x' * 2001}\n")
    (row,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records).rows
    assert row.errors == ["Rij 2: een cel is langer dan 2000 tekens."]


def test_changed_organisation_lists_the_changed_fields(
    actor_of: ActorOf, fb_gemeente: User, jgz: Organisation, wijk_zuid: Wijk
) -> None:
    records = read_records(
        ORGANISATIONS, "naam;soort;wijken;telefoon;openbaar\nJeugdgezondheidszorg Noord;JGZ;Zuid;030-2;ja\n"
    )
    (row,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records).rows
    assert row.status == CHANGED
    assert row.changes == ["telefoon", "openbaar", "wijken"]
    result = import_services.import_apply(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records)
    assert (result.created, result.updated) == (0, 1)
    entry = OrganisationEntry.objects.get(organisation=jgz)
    assert entry.phone == "030-2"
    assert entry.is_public is True
    assert entry.expertise == ["zuigelingen", "opvoedsteun"]  # column absent: kept
    assert list(jgz.wijken.values_list("name", flat=True)) == ["Zuid"]


def test_errors_write_nothing_unless_only_valid(
    actor_of: ActorOf, fb_gemeente: User, org_records: list[reading.Record]
) -> None:
    organisations, events = Organisation.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError, match="Er is niets geïmporteerd"):
        import_services.import_apply(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=org_records)
    assert Organisation.objects.count() == organisations
    assert AuditEvent.objects.count() == events

    result = import_services.import_apply(
        actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=org_records, only_valid=True
    )
    assert (result.created, result.updated, result.unchanged, result.skipped) == (1, 0, 1, 5)
    oost = Organisation.objects.get(name="Wijkteam Oost")
    assert oost.type == OrganisationType.WIJKTEAM
    assert sorted(oost.wijken.values_list("name", flat=True)) == ["Noord", "Zuid"]
    entry = OrganisationEntry.objects.get(organisation=oost)
    assert (entry.postcode, entry.secure_email, entry.age_max, entry.is_public) == (
        "3512 AB",
        "oost@zorgmail.nl",
        23,
        True,
    )
    assert not Organisation.objects.filter(name="Kinderopvang Kiekeboe").exists()
    event = AuditEvent.objects.filter(object_type="import").get()
    assert event.action == AuditAction.CREATE
    assert event.object_id == ORGANISATIONS
    assert event.details == {
        "kind": ORGANISATIONS,
        "rows": 7,
        "created": 1,
        "updated": 0,
        "unchanged": 1,
        "skipped": 5,
        "only_valid": True,
        "ids": [oost.pk],
    }


def test_duplicate_organisations_write_nothing(actor_of: ActorOf, fb_gemeente: User) -> None:
    records = read_records(ORGANISATIONS, "naam;soort\nBuurtzorg Jong;jeugdhulp\nBuurtzorg jong;jeugdhulp\n")
    preview = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records)
    assert preview.errors == [
        "Rij 3: de organisatie 'Buurtzorg jong' staat ook al in rij 2. "
        "Zet elke organisatie maar één keer in het bestand."
    ]
    with pytest.raises(DomainError):
        import_services.import_apply(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records)
    assert not Organisation.objects.filter(name__iexact="Buurtzorg Jong").exists()


def test_a_failure_while_writing_rolls_back_the_whole_import(
    actor_of: ActorOf, fb_gemeente: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = read_records(ORGANISATIONS, "naam;soort;telefoon\nEerste;jgz;030-1\nTweede;jgz;030-2\n")
    real_update = services.entry_update
    calls: list[str] = []

    def failing_update(**kwargs: Any) -> OrganisationEntry:
        calls.append(kwargs["organisation"].name)
        if len(calls) == 2:
            raise DomainError("kapot")
        return real_update(**kwargs)

    monkeypatch.setattr(services, "entry_update", failing_update)
    with pytest.raises(DomainError, match="kapot"):
        import_services.import_apply(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records)
    assert calls == ["Eerste", "Tweede"]
    assert not Organisation.objects.filter(name__in=["Eerste", "Tweede"]).exists()
    assert not AuditEvent.objects.filter(object_type__in=["import", "organisation", "organisation_entry"]).exists()


def test_inactive_organisation_is_an_error(actor_of: ActorOf, fb_gemeente: User, school: Organisation) -> None:
    Organisation.objects.filter(pk=school.pk).update(is_active=False)
    records = read_records(ORGANISATIONS, "naam;soort\nBasisschool De Zoë;onderwijs\n")
    (row,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records).rows
    assert row.errors == ["Rij 2: de organisatie 'Basisschool De Zoë' is gedeactiveerd. Activeer haar eerst in Beheer."]


def test_apply_refuses_when_the_data_changed_since_the_preview(
    actor_of: ActorOf, fb_gemeente: User, jgz: Organisation
) -> None:
    records = read_records(ORGANISATIONS, "naam;soort;telefoon\nJeugdgezondheidszorg Noord;jgz;030-5\n")
    preview = validating.import_preview(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records)
    OrganisationEntry.objects.filter(organisation=jgz).update(phone="030-5")
    with pytest.raises(ConflictError):
        import_services.import_apply(
            actor=actor_of(fb_gemeente), kind=ORGANISATIONS, records=records, expected_digest=preview.digest()
        )
    assert not AuditEvent.objects.filter(object_type="import").exists()


# --- professionals ----------------------------------------------------------------------------


PRO_HEADER = "voornaam;achternaam;e-mail;telefoon;organisatie;rol;team"


def test_professionals_import(
    actor_of: ActorOf, fb_gemeente: User, gemeente: Organisation, jgz: Organisation, jgz_officer: User
) -> None:
    """Accounts are imported for the importer's own organisation only (issue 13): those of another
    organisation are managed by that organisation's beheerder."""
    TeamFactory(organisation=gemeente, name="Team Noord")
    officer = make_user(
        Role.AANDACHTSFUNCTIONARIS, gemeente, username="af-gem", first_name="Anouk", last_name="Smit", phone="030-1"
    )
    records = read_records(
        PROFESSIONALS,
        PRO_HEADER + "\n"
        "Fatima;El Amrani;fatima@example.org;06-12345678;Gemeente Test;Professional;\n"
        "Fatima;El Amrani;fatima@example.org;06-12345678;Gemeente Test;aandachtsfunctionaris;Team Noord\n"
        f"Anouk;Smit-Jansen;{officer.email.upper()};030-1;Gemeente Test;Aandachtsfunctionaris;\n"
        "Piet;Puk;piet@example;;Gemeente Test;professional;\n"
        "Kees;Kaas;kees@example.org;;Bakkerij;professional;\n"
        "Els;Blad;els@example.org;;Gemeente Test;baas;\n"
        "Els;Blad;els2@example.org;;Gemeente Test;professional;Team Zuid\n"
        "Fatima;Anders;fatima@example.org;;Gemeente Test;teamleider;\n"
        "Fatima;El Amrani;fatima@example.org;06-12345678;gemeente test;professional;\n"
        "Jan;Jansen;jan@example.org;;Jeugdgezondheidszorg Noord;professional;\n"
        f"Anouk;Smit;{jgz_officer.email};030-1234567;Gemeente Test;professional;\n",
    )
    actor = actor_of(fb_gemeente)
    rows = rows_by_number(validating.import_preview(actor=actor, kind=PROFESSIONALS, records=records))
    assert [rows[n].status for n in range(2, 13)] == [NEW, NEW, CHANGED] + [ERROR] * 8
    assert rows[4].changes == ["achternaam"]
    assert rows[5].errors == ["Rij 5: 'piet@example' is geen geldig e-mailadres."]
    assert rows[6].errors == ["Rij 6: de organisatie 'Bakkerij' bestaat niet (of is niet actief) in uw gemeente."]
    assert rows[7].errors == ["Rij 7: de rol 'baas' bestaat niet. Gebruik een rol uit de kolomuitleg."]
    assert rows[8].errors == ["Rij 8: het team 'Team Zuid' bestaat niet bij Gemeente Test."]
    assert rows[9].errors == [
        "Rij 9: het e-mailadres fatima@example.org staat ook in rij 2, maar met een andere naam of telefoon."
    ]
    assert rows[10].errors == ["Rij 10: deze medewerker staat met dezelfde organisatie en rol ook al in rij 2."]
    assert rows[11].errors == [
        "Rij 11: de accounts van Jeugdgezondheidszorg Noord beheert de functioneel beheerder van die organisatie; "
        "u importeert hier alleen medewerkers van uw eigen organisatie."
    ]
    assert rows[12].errors == [f"Rij 12: het e-mailadres {jgz_officer.email} hoort bij een account dat u niet beheert."]

    result = import_services.import_apply(actor=actor, kind=PROFESSIONALS, records=records, only_valid=True)
    assert (result.created, result.updated, result.skipped, result.new_users) == (2, 1, 8, 1)
    fatima = User.objects.get(email="fatima@example.org")
    assert not fatima.has_usable_password()
    assert fatima.username == "fatima.el.amrani"
    assert fatima.phone == "06-12345678"
    assert sorted(fatima.memberships.values_list("organisation__name", "role", "team__name")) == [
        ("Gemeente Test", Role.AANDACHTSFUNCTIONARIS, "Team Noord"),
        ("Gemeente Test", Role.PROFESSIONAL, None),
    ]
    officer.refresh_from_db()
    assert officer.last_name == "Smit-Jansen"
    assert not Membership.objects.filter(user=jgz_officer, organisation=gemeente).exists()
    assert not User.objects.filter(email="jan@example.org").exists()
    event = AuditEvent.objects.filter(object_type="import").get()
    assert "fatima@example.org" not in str(event.details)
    assert "06-12345678" not in str(event.details)
    assert event.details["ids"] == [fatima.pk, officer.pk]


def test_team_change_of_existing_membership(actor_of: ActorOf, fb_gemeente: User, gemeente: Organisation) -> None:
    team = TeamFactory(organisation=gemeente, name="Team Noord")
    officer = make_user(Role.AANDACHTSFUNCTIONARIS, gemeente, username="af-gem", first_name="Anouk", last_name="Smit")
    records = read_records(
        PROFESSIONALS,
        f"voornaam;achternaam;e-mail;organisatie;rol;team\nAnouk;Smit;{officer.email};"
        "Gemeente Test;aandachtsfunctionaris;team noord\n",
    )
    (row,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=PROFESSIONALS, records=records).rows
    assert (row.status, row.changes) == (CHANGED, ["team"])
    import_services.import_apply(actor=actor_of(fb_gemeente), kind=PROFESSIONALS, records=records)
    assert Membership.objects.get(user=officer).team == team


def test_email_of_an_account_in_another_municipality(
    actor_of: ActorOf, fb_gemeente: User, gemeente: Organisation, foreign_org: Organisation
) -> None:
    make_user(Role.PROFESSIONAL, foreign_org, username="elders", email="elders@example.org")
    records = read_records(
        PROFESSIONALS,
        "voornaam;achternaam;e-mail;organisatie;rol\nE;L;elders@example.org;Gemeente Test;professional\n",
    )
    (row,) = validating.import_preview(actor=actor_of(fb_gemeente), kind=PROFESSIONALS, records=records).rows
    assert row.errors == ["Rij 2: het e-mailadres elders@example.org hoort bij een account dat u niet beheert."]


# --- postcode ranges --------------------------------------------------------------------------


def test_postcode_ranges_import(actor_of: ActorOf, fb_gemeente: User, wijk_noord: Wijk, wijk_zuid: Wijk) -> None:
    WijkFactory(municipality=wijk_noord.municipality, name="Oost", code="O")
    records = read_records(
        POSTCODE_RANGES,
        "wijk;van;tot en met\n"
        "Noord;3500;3519\n"
        "Oost;3540;3549\n"
        "Oost;3515;3516\n"
        "Oost;3545;3560\n"
        "West;3600;3610\n"
        "Oost;abc;3610\n"
        "Oost;3620;3610\n"
        "o;3570;3579\n",
    )
    actor = actor_of(fb_gemeente)
    rows = rows_by_number(validating.import_preview(actor=actor, kind=POSTCODE_RANGES, records=records))
    assert [rows[n].status for n in range(2, 10)] == [UNCHANGED, NEW, ERROR, ERROR, ERROR, ERROR, ERROR, NEW]
    assert rows[4].errors == ["Rij 4: 3515–3516 overlapt met het bestaande gebied 3500–3519 van wijk Noord."]
    assert rows[5].errors == ["Rij 5: 3545–3560 overlapt met rij 3 (3540–3549, wijk Oost)."]
    assert rows[6].errors == ["Rij 6: de wijk 'West' bestaat niet in uw gemeente."]
    assert rows[7].errors == ["Rij 7: 'abc' is geen postcodenummer van vier cijfers (1000 tot en met 9999)."]
    assert rows[8].errors == ["Rij 8: het einde 3610 ligt voor het begin 3620."]
    with pytest.raises(DomainError):
        import_services.import_apply(actor=actor, kind=POSTCODE_RANGES, records=records)
    result = import_services.import_apply(actor=actor, kind=POSTCODE_RANGES, records=records, only_valid=True)
    assert (result.created, result.unchanged, result.skipped) == (2, 1, 5)
    assert sorted(PostcodeRange.objects.filter(wijk__name="Oost").values_list("start", "end")) == [
        (3540, 3549),
        (3570, 3579),
    ]


def test_postcode_range_delete(
    actor_of: ActorOf, fb_gemeente: User, fb_elders: User, wijk_noord: Wijk, other_municipality: Municipality
) -> None:
    found = PostcodeRange.objects.get(wijk=wijk_noord)
    with pytest.raises(NotFoundError):
        services.postcode_range_delete(actor=actor_of(fb_elders), postcode_range=found)
    services.postcode_range_delete(actor=actor_of(fb_gemeente), postcode_range=found)
    assert not PostcodeRange.objects.filter(pk=found.pk).exists()
    event = AuditEvent.objects.get(object_type="postcode_range", action=AuditAction.DELETE)
    assert event.details == {"wijk": wijk_noord.pk, "start": 3500, "end": 3519}


# --- export and round trip --------------------------------------------------------------------


def test_formula_cells_are_escaped_in_csv_and_text_in_xlsx() -> None:
    rows = [['=HYPERLINK("x")', "+31 6", "-1", "@SUM(A1)", "gewoon", "\tTAB"]]
    text = exporting.to_csv(["a", "b", "c", "d", "e", "f"], rows).decode("utf-8-sig")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""x"")";\'+31 6;\'-1;\'@SUM(A1);gewoon;\'\tTAB'
    sheet = load_workbook(io.BytesIO(exporting.to_xlsx(["a"], [["=1+1"]], title="t"))).active
    assert sheet is not None
    cell = sheet["A2"]
    # Text, and with the leading quote as in the CSV: a cell that is edited (F2, Enter) stays text.
    assert (cell.value, cell.data_type) == ("'=1+1", "s")


@pytest.fixture
def rich_data(jgz: Organisation, school: Organisation, jgz_officer: User, wijk_noord: Wijk, wijk_zuid: Wijk) -> None:
    tricky = OrganisationFactory(name="=Formule & Co", type=OrganisationType.GGZ, municipality=jgz.municipality)
    tricky.wijken.add(wijk_noord, wijk_zuid)
    entry = OrganisationEntry.objects.get(organisation=tricky)
    entry.description = "-streepje vooraan; met puntkomma\nen een tweede regel"
    entry.phone = "+31 30 7654321"
    entry.secure_email = "ggz@zorgmail.nl"
    entry.website = "https://ggz.example.org/pad"
    entry.opening_hours = "ma–vr 9–17"
    entry.expertise = ["trauma", "@ouders"]
    entry.age_min, entry.age_max, entry.is_public = 12, 23, True
    entry.save()
    team = TeamFactory(organisation=jgz, name="Team Noord")
    zoe = make_user(Role.PROFESSIONAL, jgz, username="p1", first_name="Zoë", last_name="=Test", email="z@example.org")
    Membership.objects.filter(user=zoe).update(team=team)
    person = make_user(Role.PROFESSIONAL, school, username="p2", first_name="Bo", last_name="Dijk", phone="+316")
    Membership.objects.create(user=person, organisation=jgz, role=Role.TEAMLEIDER)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", [ORGANISATIONS, PROFESSIONALS, POSTCODE_RANGES])
def test_export_reimports_unchanged(
    actor_of: ActorOf, fb_gemeente: User, rich_data: None, foreign_org: Organisation, kind: str, fmt: str
) -> None:
    actor = actor_of(fb_gemeente)
    exported = exporting.export_file(actor=actor, kind=kind, fmt=fmt)
    assert exported.filename == f"keten-{kind}.{fmt}"
    records = reading.read_upload(kind, exported.content, exported.filename)
    preview = validating.import_preview(actor=actor, kind=kind, records=records)
    assert preview.rows
    rows = preview.rows
    if kind == PROFESSIONALS:
        # The export lists the professionals of the municipality; an import takes only the gemeente's own.
        others = [r for r in rows if r.errors]
        assert others
        assert all("beheert de functioneel beheerder van die organisatie" in r.errors[0] for r in others)
        rows = [r for r in rows if not r.errors]
        assert rows
    assert {row.status for row in rows} == {UNCHANGED}, [(r.label, r.changes, r.errors) for r in rows]
    assert len(records) == exported.rows
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="export")
    assert event.details == {"kind": kind, "format": fmt, "rows": exported.rows}
    if kind == ORGANISATIONS:
        names = {cells["name"] for _n, cells in records}
        assert "=Formule & Co" in names
        assert foreign_org.name not in names
        assert (
            exported.rows
            == Organisation.objects.filter(municipality=fb_gemeente.active_membership.organisation.municipality).count()
        )  # type: ignore[union-attr]
    if kind == ORGANISATIONS and fmt == "csv":
        assert b"'=Formule & Co" in exported.content
        assert b"'+31 30 7654321" in exported.content


def test_xlsx_export_keeps_crafted_names_and_free_text_as_quoted_text(
    actor_of: ActorOf, fb_gemeente: User, rich_data: None
) -> None:
    exported = exporting.export_file(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "'=Formule & Co")
    description = row[header.index("beschrijving")]
    assert description.value.startswith("'-streepje vooraan")
    assert {c.data_type for c in row if c.value not in (None, "")} == {"s"}


def test_professionals_export_columns(actor_of: ActorOf, fb_gemeente: User, rich_data: None) -> None:
    exported = exporting.export_file(actor=actor_of(fb_gemeente), kind=PROFESSIONALS, fmt="csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == PRO_HEADER
    assert "Zoë;'=Test;z@example.org;;Jeugdgezondheidszorg Noord;Professional;Team Noord" in lines


def test_templates_have_the_header_only(actor_of: ActorOf, fb_gemeente: User) -> None:
    template = exporting.template_file(actor=actor_of(fb_gemeente), kind=POSTCODE_RANGES, fmt="csv")
    assert template.content.decode("utf-8-sig") == "wijk;van;tot en met\r\n"
    xlsx = exporting.template_file(actor=actor_of(fb_gemeente), kind=ORGANISATIONS, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == headers(ORGANISATIONS)
    assert sheet.max_row == 1
