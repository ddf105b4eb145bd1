"""`manage.py import_missions PATH`: all of a mission list or nothing, and again changes nothing."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from missions.importers import MISSION_CSV_COLUMNS
from missions.models import Mission
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db


def _import(path) -> str:
    out = io.StringIO()
    call_command("import_missions", str(path), stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    return {
        mission.acronym: (
            mission.name_en,
            mission.mandate_start,
            mission.mandate_end,
            mission.active,
            mission.hq_latitude,
            mission.hq_longitude,
            tuple(sorted(c.iso3 for c in mission.host_countries.all())),
            tuple(sorted(c.acronym for c in mission.components.all())),
        )
        for mission in Mission.objects.prefetch_related("host_countries", "components")
    }


def _row(**cells) -> dict[str, str]:
    row = dict.fromkeys(MISSION_CSV_COLUMNS, "")
    row.update(
        name=f"United Nations Test Mission {cells.get('acronym', '')}",
        host_iso3="MLI",
        start_date="2001-02-03",
        end_date="2002-03-04",
        active="No",
        is_aggregate="no",
    )
    row.update(cells)
    return row


def _write(path, rows: list[dict[str, str]]):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=MISSION_CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def checked_list(shared_data_dir):
    return shared_data_dir / "missions.csv"


def test_it_imports_the_checked_list_into_an_empty_table(checked_list):
    Mission.objects.all().delete()

    output = _import(checked_list)

    assert "Created: 84, updated: 0, unchanged: 0, warned: 6." in output
    minusma = Mission.objects.get(acronym="MINUSMA")
    assert (minusma.mandate_start, minusma.mandate_end, minusma.active) == (
        date(2013, 4, 25),
        date(2023, 12, 31),
        False,
    )
    assert (minusma.hq_latitude, minusma.hq_longitude) == (Decimal("12.65"), Decimal("-8"))
    unef = Mission.objects.get(acronym="UNEF")
    assert sorted(unef.components.values_list("acronym", flat=True)) == ["UNEF I", "UNEF II"]
    unmik_hosts = Mission.objects.get(acronym="UNMIK").host_countries.values_list("iso3", flat=True)
    assert sorted(unmik_hosts) == ["KSV", "SRB"]
    assert AuditEntry.objects.filter(action="mission.create").count() == 84


def test_it_warns_about_rows_a_reader_should_look_at(checked_list):
    output = _import(checked_list)

    assert "warning: row 21: UNTAG is not active but has no end date" in output
    assert "warning: row 46: UNPF is an aggregate but no mission is named 'UNPF …'" in output


def test_a_second_run_reports_every_mission_unchanged_and_changes_nothing(checked_list):
    _import(checked_list)
    before = _snapshot()
    entries = AuditEntry.objects.count()

    output = _import(checked_list)

    assert "Created: 0, updated: 0, unchanged: 84, warned: 6." in output
    assert _snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_it_counts_what_it_created_and_updated(checked_list):
    _import(checked_list)
    Mission.objects.filter(acronym="MINUSMA").update(active=True, mandate_end=None)
    Mission.objects.filter(acronym="UNTSO").delete()

    output = _import(checked_list)

    assert "Created: 1, updated: 1, unchanged: 82, warned: 6." in output
    assert Mission.objects.get(acronym="MINUSMA").mandate_end == date(2023, 12, 31)
    update = AuditEntry.objects.filter(action="mission.update", object_repr="MINUSMA").get()
    assert update.changes["active"] == [True, False]


def test_it_rejects_a_file_with_a_bad_date_and_an_unknown_country_naming_both_rows(tmp_path):
    before = _snapshot()
    path = _write(
        tmp_path / "missions.csv",
        [
            _row(acronym="MINUSMA", name="Renamed by a bad file"),
            _row(acronym="UNTEST1", start_date="31/02/2001"),
            _row(acronym="UNTEST2"),
            _row(acronym="UNTEST3", host_iso3="MLI;XYZ"),
        ],
    )

    with pytest.raises(CommandError) as rejected:
        _import(path)

    message = str(rejected.value)
    assert "nothing imported" in message
    assert "row 3: start_date '31/02/2001' is not a date" in message
    assert "row 5: unknown host country code: XYZ" in message
    assert "row 2" not in message and "row 4" not in message
    assert _snapshot() == before


@pytest.mark.parametrize(
    "cells, error",
    [
        (
            {"hq_latitude": "12,65", "hq_longitude": "-8,0"},
            "row 2: hq_latitude '12,65' uses a decimal comma; write 12.65 instead",
        ),
        (
            {"hq_latitude": "104.9170", "hq_longitude": "11.5500"},
            "row 2: hq_latitude '104.9170' is out of range (-90 to 90); "
            "are latitude and longitude swapped?",
        ),
        ({"hq_latitude": "12.65"}, "row 2: give both hq_latitude and hq_longitude, or neither"),
        ({"end_date": "2000-01-01"}, "row 2: end_date 2000-01-01 is before start_date 2001-02-03"),
        ({"start_year": "1999"}, "row 2: start_year 1999 disagrees with the date 2001-02-03"),
        ({"active": "maybe"}, "row 2: active must be yes or no, not 'maybe'"),
        ({"acronym": ""}, "row 2: acronym is blank"),
    ],
)
def test_it_rejects_a_row_it_cannot_trust_with_its_row_number(tmp_path, cells, error):
    path = _write(tmp_path / "missions.csv", [_row(**{"acronym": "UNTEST", **cells})])

    with pytest.raises(CommandError, match="rejected") as rejected:
        _import(path)

    assert error in str(rejected.value)
    assert not Mission.objects.filter(acronym="UNTEST").exists()


def test_it_rejects_an_acronym_listed_twice(tmp_path):
    path = _write(tmp_path / "missions.csv", [_row(acronym="UNTEST"), _row(acronym="UNTEST")])

    with pytest.raises(CommandError, match="row 3: acronym 'UNTEST' already appears on row 2"):
        _import(path)


def test_it_rejects_a_file_without_the_expected_columns(tmp_path):
    path = tmp_path / "missions.csv"
    path.write_text("acronym,name\nUNTEST,Test\n", encoding="utf-8")

    with pytest.raises(CommandError, match="row 1: missing column"):
        _import(path)


def test_it_takes_the_components_of_an_aggregate_from_its_acronym(tmp_path):
    path = _write(
        tmp_path / "missions.csv",
        [
            _row(acronym="UNTEST", is_aggregate="yes"),
            _row(acronym="UNTEST I"),
            _row(acronym="UNTEST II"),
            _row(acronym="UNTESTING"),
        ],
    )

    output = _import(path)

    assert "Created: 4, updated: 0, unchanged: 0" in output
    aggregate = Mission.objects.get(acronym="UNTEST")
    assert aggregate.is_aggregate
    assert sorted(aggregate.components.values_list("acronym", flat=True)) == [
        "UNTEST I",
        "UNTEST II",
    ]
