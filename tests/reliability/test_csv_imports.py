"""A malformed CSV import reports each bad row and imports nothing from that file: not a
row of any table (records, history, audit trail) changes.

The importers' own tests check each kind of bad row (tests/incidents/
test_import_un_fatalities.py, tests/missions/test_import_missions.py); this one checks
the all-or-nothing guarantee across the whole database, through the commands.
"""

import codecs
import csv
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from missions.importers import MISSION_CSV_COLUMNS

pytestmark = pytest.mark.django_db

UN_HEADER = (
    "Casualty_ID,Incident_Date,Mission_Acronym,Type_of_Casualty,Casualty_Nationality,"
    "M49_Code,ISOCode3,Casualty_Personnel_Type,Type_Of_Incident"
)


def every_table() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_a_un_fatalities_file_with_bad_rows_names_each_and_imports_nothing(tmp_path):
    rows = [
        "X-1,2010-05-01,UNIFIL,Fatality,France,250,FRA,Military,Malicious Act",
        "X-2,31/02/2010,UNIFIL,Fatality,France,250,FRA,Military,Accident",
        "X-3,2010-05-02,UNIFIL,Fatality,France,250,FRA,Astronaut,Accident",
        "X-4,2010-05-03,UNIFIL,Fatality,France,250,FRA,Military,Illness",
        ",2999-01-01,UNIFIL,Fatality,France,250,FRA,Military,Accident",
    ]
    path = tmp_path / "odp_noticas.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join([UN_HEADER, *rows]).encode())
    before = every_table()

    with pytest.raises(CommandError) as rejected:
        call_command("import_un_fatalities", str(path), stdout=StringIO())

    message = str(rejected.value)
    for row in (3, 4, 6):
        assert f"row {row}:" in message
    assert "row 2:" not in message and "row 5:" not in message
    assert every_table() == before


def test_a_mission_list_with_bad_rows_names_each_and_imports_nothing(tmp_path):
    def row(**cells):
        base = dict.fromkeys(MISSION_CSV_COLUMNS, "")
        base.update(
            name=f"United Nations Test Mission {cells.get('acronym', '')}",
            host_iso3="MLI",
            start_date="2001-02-03",
            end_date="2002-03-04",
            active="No",
            is_aggregate="no",
        )
        base.update(cells)
        return base

    path = tmp_path / "missions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MISSION_CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(
            [
                row(acronym="UNGOOD1"),
                row(acronym="UNBAD1", start_date="31/02/2001"),
                row(acronym="UNBAD2", host_iso3="XYZ"),
                row(acronym="UNBAD3", hq_latitude="12.5"),
            ]
        )
    before = every_table()

    with pytest.raises(CommandError) as rejected:
        call_command("import_missions", str(path), stdout=StringIO())

    message = str(rejected.value)
    assert "nothing imported" in message
    for bad in (3, 4, 5):
        assert f"row {bad}:" in message
    assert "row 2:" not in message
    assert every_table() == before
