"""The importer on the UN's real fatalities file: afterwards the app counts what the file
counts. The expected figures are computed here from the file itself, with the csv module.

Runs on SQLite locally and on PostgreSQL in CI (DATABASE_URL).
"""

import csv
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from accountability.models import Case
from incidents.choices import IncidentSource, IncidentType
from incidents.importers.un_fatalities import un_fatalities_import
from incidents.models import Casualty, Incident

pytestmark = pytest.mark.django_db

# "Malicious Act" -> "malicious_act", by the choice labels, not by the importer's table.
TYPE_OF_LABEL = {label.casefold(): value for value, label in IncidentType.choices}


@pytest.fixture
def fatalities_file(shared_data_dir):
    return shared_data_dir / "odp_noticas.csv"


def read_file(path) -> tuple[int, dict[str, dict]]:
    """The number of rows, and each person once: the last row of a repeated Casualty_ID."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), {row["Casualty_ID"]: row for row in rows}


def incident_type(row: dict) -> str:
    return TYPE_OF_LABEL[row["Type_Of_Incident"].strip().casefold()]


def grouped(queryset, field: str) -> dict:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def test_after_importing_the_real_file_the_app_counts_the_files_fatalities(fatalities_file):
    rows, deaths = read_file(fatalities_file)

    summary = un_fatalities_import(path=fatalities_file)

    assert (summary.rows_read, summary.created, summary.superseded) == (
        rows,
        len(deaths),
        rows - len(deaths),
    )
    killed = Casualty.objects.fatalities().filter(
        incident__source=IncidentSource.UN_FATALITIES_FILE
    )
    assert killed.count() == len(deaths)
    assert grouped(killed, "incident__incident_type") == Counter(
        incident_type(row) for row in deaths.values()
    )
    assert grouped(killed, "incident__mission__acronym") == Counter(
        row["Mission_Acronym"].strip() for row in deaths.values()
    )
    assert grouped(killed.annotate(year=ExtractYear("incident__occurred_at")), "year") == Counter(
        date.fromisoformat(row["Incident_Date"]).year for row in deaths.values()
    )
    groups = {
        (row["Mission_Acronym"].strip(), row["Incident_Date"], incident_type(row))
        for row in deaths.values()
    }
    assert Incident.objects.count() == len(groups)
    without_nationality = [
        row
        for row in deaths.values()
        if not row["Casualty_Nationality"].strip() or row["Casualty_Nationality"].startswith("ZZ")
    ]
    assert killed.filter(nationality__isnull=True).count() == len(without_nationality)


def test_each_malicious_act_of_the_real_file_has_a_case(fatalities_file):
    _rows, deaths = read_file(fatalities_file)
    malicious = [row for row in deaths.values() if incident_type(row) == IncidentType.MALICIOUS_ACT]
    attacks = {(row["Mission_Acronym"].strip(), row["Incident_Date"]) for row in malicious}

    summary = un_fatalities_import(path=fatalities_file)

    assert Case.objects.count() == summary.cases_opened == len(attacks)
    assert Case.objects.filter(opened_by_import=True).count() == Case.objects.count()
    assert not Incident.objects.malicious().filter(case_link__isnull=True).exists()
    # The host State is left to be named only where the file cannot tell it.
    undetermined = Case.objects.filter(host_state__isnull=True).select_related("mission")
    assert undetermined.count() == summary.cases_pending > 0
    assert all(case.mission.host_countries.count() != 1 for case in undetermined)
    assert Case.objects.aggregate(total=Sum("killed"))["total"] == len(malicious)


def test_a_second_run_of_the_real_file_reports_everything_unchanged(fatalities_file):
    _rows, deaths = read_file(fatalities_file)
    un_fatalities_import(path=fatalities_file)
    before = (Incident.objects.count(), Casualty.objects.count(), Case.objects.count())

    summary = un_fatalities_import(path=fatalities_file)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, len(deaths))
    assert (summary.incidents_created, summary.incidents_deleted) == (0, 0)
    assert (summary.cases_opened, summary.cases_refreshed) == (0, 0)
    assert (Incident.objects.count(), Casualty.objects.count(), Case.objects.count()) == before
