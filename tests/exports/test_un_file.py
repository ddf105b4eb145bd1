"""An export of the UN's real fatalities file, once imported, counts what the file counts.

The expected totals are computed here from `odp_noticas.csv` with the csv module: each
person once (the last row of a repeated Casualty_ID), by incident type and by mission;
the indicators' fatalities are the file's malicious-act deaths up to the as-of date.
"""

import csv
from collections import Counter
from datetime import date

import pytest

from accountability.exports.models import ExportJob
from incidents.choices import IncidentType
from incidents.importers.un_fatalities import un_fatalities_import
from tests.exports.conftest import READERS, body_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TYPE_OF_LABEL = {label.casefold(): value for value, label in IncidentType.choices}


def deaths_in(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list({row["Casualty_ID"]: row for row in csv.DictReader(handle)}.values())


def incident_type(row: dict) -> str:
    return TYPE_OF_LABEL[row["Type_Of_Incident"].strip().casefold()]


@pytest.fixture
def imported(shared_data_dir, media_root):
    path = shared_data_dir / "odp_noticas.csv"
    un_fatalities_import(path=path)
    return deaths_in(path)


def _totals(rows):
    return (
        len(rows),
        Counter(r["incident_type"] for r in rows),
        Counter(r["mission"] for r in rows),
        Counter(r["un_casualty_id"] for r in rows),
    )


def _expected(deaths):
    return (
        len(deaths),
        Counter(incident_type(r) for r in deaths),
        Counter(r["Mission_Acronym"].strip() for r in deaths),
        Counter(r["Casualty_ID"] for r in deaths),
    )


def test_the_exports_of_the_un_file_count_what_the_file_counts(imported, client):
    client.force_login(UserFactory(username="un_analyst", is_superuser=True))

    response = client.get("/exports/casualties/", {"outcome": "killed", "format": "csv"})

    rows = READERS["csv"](body_of(response))
    assert _totals(rows) == _expected(imported)
    assert response["X-Export-Row-Count"] == str(len(imported))
    # The list's filters apply: one mission's people.
    minusma = READERS["csv"](body_of(client.get("/exports/casualties/", {"mission": "MINUSMA"})))
    assert len(minusma) == sum(1 for r in imported if r["Mission_Acronym"].strip() == "MINUSMA")

    # The indicators: fatalities are the file's malicious-act deaths, up to the as-of date.
    as_of = date(2013, 12, 31)
    today = READERS["csv"](body_of(client.get("/exports/indicators/", {"format": "csv"})))
    back_then = READERS["csv"](
        body_of(client.get("/exports/indicators/", {"format": "csv", "as_of": as_of}))
    )

    malicious = [r for r in imported if incident_type(r) == "malicious_act"]
    total = next(r for r in today if r["grouping"] == "total")
    assert int(total["fatalities"]) == len(malicious)
    by_mission = {r["code"]: int(r["fatalities"]) for r in today if r["grouping"] == "mission"}
    expected = Counter(r["Mission_Acronym"].strip() for r in malicious)
    assert {m: n for m, n in by_mission.items() if n} == expected
    total_then = next(r for r in back_then if r["grouping"] == "total")
    assert int(total_then["fatalities"]) == sum(
        1 for r in malicious if date.fromisoformat(r["Incident_Date"]) <= as_of
    )


def test_the_un_file_through_the_background_path_counts_the_same(
    imported, client, eager, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 1000
    client.force_login(UserFactory(username="un_analyst", is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/exports/casualties/", {"format": "xlsx"})

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.DONE
    rows = READERS["xlsx"](body_of(client.get(f"/exports/jobs/{job.pk}/download/")))
    assert _totals(rows) == _expected(imported)
    assert job.row_count == len(imported)
