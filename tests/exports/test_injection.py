"""Formula injection: no text cell of a CSV or XLSX export can start a formula.

The corpus (OWASP "CSV injection" payloads and friends) is stored in text fields, then
exported. Text cells starting with =, +, -, @, a tab or a carriage return come out with a
single quote in front; numbers stay numbers (a negative latitude is not neutralised);
JSON keeps the text as stored. On PostgreSQL the CSV is written by COPY, and the same
corpus is also run through the Python writer, so both paths are checked.
"""

import io

import pytest
from openpyxl import load_workbook

from accountability.exports import datasets
from accountability.exports.writers import FORMULA_TRIGGERS, neutralise
from tests.exports.conftest import INJECTION_CORPUS, READERS, body_of, client_for

pytestmark = pytest.mark.django_db

NUMERIC = {"id", "latitude", "longitude", "killed", "injured", "casualties"}


@pytest.mark.parametrize("payload", INJECTION_CORPUS)
def test_every_payload_is_neutralised_by_a_leading_quote(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("safe", ["Bangui", "a=b", "1+1", "O'Brien", "", "Kidal (-)", "42"])
def test_text_that_cannot_start_a_formula_is_left_alone(safe):
    assert neutralise(safe) == safe


def test_the_triggers_are_the_six_of_owasp():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def _exported_payloads(rows):
    return {r["un_casualty_id"]: r["un_personnel_type"] for r in rows if r["un_casualty_id"]}


def _check_csv(export_world, client):
    client_for(client, export_world, "admin")
    body = body_of(client.get("/exports/casualties/", {"format": "csv"}))
    rows = READERS["csv"](body)
    got = _exported_payloads(rows)
    for i, payload in enumerate(INJECTION_CORPUS):
        assert got[f"INJ-{i:02d}"] == "'" + payload[:40]
    incidents = READERS["csv"](body_of(client.get("/exports/incidents/", {"format": "csv"})))
    row = next(r for r in incidents if r["reference"] == "MINUSCA-INJ-0001")
    assert row["place"] == "'" + INJECTION_CORPUS[0]
    assert row["narrative"].startswith("'=cmd|")
    # Numbers are numbers: a negative latitude keeps its sign, with no quote.
    assert (row["latitude"], row["longitude"]) == ("-4.36123", "-18.55000")
    for row in [*rows, *incidents]:
        for name, cell in row.items():
            if name not in NUMERIC:
                assert not cell.startswith(FORMULA_TRIGGERS), (name, cell)
    return body


def test_csv_cells_never_start_a_formula(export_world, client):
    _check_csv(export_world, client)


def test_both_csv_writers_neutralise_alike(export_world, client, monkeypatch, needs_postgres):
    """On PostgreSQL: COPY, then the Python writer, give the same bytes."""
    by_copy = _check_csv(export_world, client)
    monkeypatch.setattr(datasets.Dataset, "copy_sql", lambda self: None)

    by_python = _check_csv(export_world, client)

    assert by_python == by_copy


def test_xlsx_cells_are_text_never_formulas(export_world, client):
    client_for(client, export_world, "admin")

    body = body_of(client.get("/exports/casualties/", {"format": "xlsx"}))
    incidents = body_of(client.get("/exports/incidents/", {"format": "xlsx"}))

    got = _exported_payloads(READERS["xlsx"](body))
    for i, payload in enumerate(INJECTION_CORPUS):
        # XML reads a carriage return back as a line feed; the quote is what matters.
        assert got[f"INJ-{i:02d}"] == "'" + payload[:40].replace("\r", "\n")
    for content in (body, incidents):
        workbook = load_workbook(io.BytesIO(content))  # not read-only: cell types
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    sheet = load_workbook(io.BytesIO(incidents))["incidents"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "MINUSCA-INJ-0001")
    latitude = row[header.index("latitude")]
    assert (latitude.data_type, latitude.value) == ("n", -4.36123)
    assert row[header.index("place")].value == "'" + INJECTION_CORPUS[0]


def test_json_keeps_the_text_as_stored(export_world, client):
    client_for(client, export_world, "admin")

    rows = READERS["json"](body_of(client.get("/exports/casualties/", {"format": "json"})))

    got = _exported_payloads(rows)
    for i, payload in enumerate(INJECTION_CORPUS):
        assert got[f"INJ-{i:02d}"] == payload[:40]
