"""Reading uploaded import files: CSV and XLSX, header aliases, and the files refused as a whole."""

from __future__ import annotations

import pytest

from keten.network.importing import reading
from keten.network.importing.columns import ORGANISATIONS, PROFESSIONALS
from keten.network.tests.import_helpers import csv_upload, read_records, xlsx_upload

# --- reading files ----------------------------------------------------------------------------


def test_csv_with_semicolons_and_bom() -> None:
    records = reading.read_upload(
        ORGANISATIONS,
        csv_upload("Naam;Soort;Postcode\nJGZ Oost;jgz;3512 AB\n\n;;\nSchool;Onderwijs;\n", bom=True),
        "a.csv",
    )
    assert records == [
        (2, {"name": "JGZ Oost", "type": "jgz", "postcode": "3512 AB"}),
        (5, {"name": "School", "type": "Onderwijs", "postcode": ""}),
    ]


def test_csv_with_commas_and_quoted_cells() -> None:
    records = reading.read_upload(
        ORGANISATIONS, csv_upload('naam,soort,expertise\n"Wijkteam, Noord",wijkteam,"opvoeden, scheiding"\n'), "a.CSV"
    )
    assert records == [(2, {"name": "Wijkteam, Noord", "type": "wijkteam", "expertise": "opvoeden, scheiding"})]


def test_xlsx_first_sheet_numbers_and_booleans() -> None:
    content = xlsx_upload([["Naam", "Soort", "Leeftijd vanaf", "Openbaar"], ["JGZ Oost", "jgz", 4, True], [None, None]])
    records = reading.read_upload(ORGANISATIONS, content, "kaart.xlsx")
    assert records == [(2, {"name": "JGZ Oost", "type": "jgz", "age_min": "4", "is_public": "ja"})]


def test_header_aliases_and_quoted_formula_cells() -> None:
    records = read_records(
        PROFESSIONALS,
        "Voornaam;Achternaam;E-mailadres;Telefoon;Organisatie;Rol\nA;B;a@b.nl;'+31 30 1234567;X;professional\n",
    )
    assert records[0][1]["phone"] == "+31 30 1234567"
    assert records[0][1]["email"] == "a@b.nl"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"naam;soort\nX;jgz\n", "kaart.pdf", "Kies een CSV-bestand (.csv) of een Excel-bestand (.xlsx)."),
        ("naam;soort\nZoë;jgz\n".encode("latin-1"), "kaart.csv", "niet in UTF-8 opgeslagen"),
        (b"PK\x03\x04rest", "kaart.csv", "Dit is geen CSV-bestand"),
        (b"not a zip", "kaart.xlsx", "Het Excel-bestand kan niet worden gelezen"),
        (b"", "kaart.csv", "Het bestand is leeg."),
        (b"naam;soort\n", "kaart.csv", "geen rijen met gegevens"),
        (b"naam;kleur\nX;rood\n", "kaart.csv", "Onbekende kolommen in de kopregel: 'kleur'"),
        (b"naam;wijken\nX;Noord\n", "kaart.csv", "mist de verplichte kolommen: soort"),
        (b"naam;soort;Naam\nX;jgz;Y\n", "kaart.csv", "staat twee keer in de kopregel"),
        (b"x" * (reading.MAX_FILE_BYTES + 1), "kaart.csv", "groter dan 2 MB"),
    ],
)
def test_unusable_files_give_a_dutch_error(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(reading.ImportFileError) as caught:
        reading.read_upload(ORGANISATIONS, content, filename)
    assert message in caught.value.message
    assert caught.value.field == "file"


def test_xlsx_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_XLSX_UNPACKED_BYTES", 1000)
    content = xlsx_upload([["naam", "soort"], ["x" * 2000, "jgz"]])
    with pytest.raises(reading.ImportFileError, match="uitgepakt te groot"):
        reading.read_upload(ORGANISATIONS, content, "kaart.xlsx")


def test_too_much_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 10)
    with pytest.raises(reading.ImportFileError, match="te veel tekst"):
        reading.read_upload(ORGANISATIONS, csv_upload("naam;soort\nEen lange naam;jgz\n"), "a.csv")


def test_too_many_rows() -> None:
    body = "naam;soort\n" + "".join(f"Org {i};jgz\n" for i in range(reading.MAX_ROWS + 1))
    with pytest.raises(reading.ImportFileError, match="meer dan 1000 rijen"):
        reading.read_upload(ORGANISATIONS, csv_upload(body), "a.csv")
