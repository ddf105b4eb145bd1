"""After the UN's real fatalities file is imported, the statistics page shows the UN's own
figures: totals by year and by incident type equal counts computed here from the file."""

import csv
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from incidents.choices import IncidentType
from incidents.importers.un_fatalities import un_fatalities_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LABEL_OF = {label.casefold(): str(label) for _value, label in IncidentType.choices}


def deaths_in(path) -> list[dict]:
    """Each person once: the last row of a repeated Casualty_ID, as the UN counts them."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list({row["Casualty_ID"]: row for row in csv.DictReader(handle)}.values())


def test_the_statistics_reproduce_the_uns_published_figures(shared_data_dir, client):
    path = shared_data_dir / "odp_noticas.csv"
    deaths = deaths_in(path)
    un_fatalities_import(path=path)
    client.force_login(UserFactory(username="stats_admin", is_superuser=True))

    context = client.get(reverse("accountability:statistics")).context

    by_year = {column["label"]: column["value"] for column in context["by_year"]["columns"]}
    assert by_year == {
        str(year): n
        for year, n in Counter(date.fromisoformat(r["Incident_Date"]).year for r in deaths).items()
    }
    by_type = {row["label"]: row["value"] for row in context["by_type"]["rows"]}
    assert by_type == Counter(LABEL_OF[r["Type_Of_Incident"].strip().casefold()] for r in deaths)
    by_mission = {row["label"]: row["value"] for row in context["by_mission"]["rows"]}
    assert by_mission == Counter(r["Mission_Acronym"].strip() for r in deaths)
    assert context["totals"]["people"] == len(deaths)
