"""Importing the same UN fatalities file again: nothing changes, and nothing is redone
while nothing the import reads has changed (incidents.importers.un_fatalities_state)."""

import codecs

import pytest

from accountability.models import Case
from incidents.importers import un_fatalities
from incidents.importers.un_fatalities import un_fatalities_import
from incidents.models import Casualty, Incident
from missions.choices import PersonnelCategory
from peacekeeping.models import AuditEntry, RowHistory
from tests.incidents.un_file import HEADER, fatality

# The reference countries and missions of the importer's own tests (its fixture).
pytestmark = pytest.mark.usefixtures("needs_postgres", "reference")

ROWS = [
    fatality("R-1", incident="Malicious Act"),
    fatality("R-2", incident="Malicious Act"),
    fatality("R-3", on="2011-02-03"),
    fatality("R-3", on="2011-02-04"),  # the later row wins, as in every run
]


@pytest.fixture
def write(tmp_path):
    """Write rows as the UN does: UTF-8 with a BOM, CRLF line ends."""
    counter = iter(range(1, 1000))

    def write_rows(rows: list[list[str]]):
        path = tmp_path / f"odp_noticas_{next(counter)}.csv"
        text = "\r\n".join([HEADER, *(",".join(row) for row in rows)])
        path.write_bytes(codecs.BOM_UTF8 + text.encode())
        return path

    return write_rows


def _domain_state():
    return (
        list(Incident.objects.order_by("pk").values()),
        list(Casualty.objects.order_by("pk").values()),
        list(Case.objects.order_by("pk").values()),
    )


def _row_writes() -> int:
    return RowHistory.objects.exclude(table_name__startswith="peacekeeping_").count()


def _refuse_to_read(*args, **kwargs):
    raise AssertionError("the file was read again")


def test_a_second_import_of_an_unchanged_file_writes_no_row(write, monkeypatch):
    path = write(ROWS)
    first = un_fatalities_import(path=path)
    state, writes = _domain_state(), _row_writes()
    monkeypatch.setattr(un_fatalities, "read_fatalities", _refuse_to_read)

    second = un_fatalities_import(path=path)

    assert _domain_state() == state
    assert _row_writes() == writes  # no INSERT, UPDATE or DELETE of any domain row
    assert second.unchanged_since
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert (second.rows_read, second.superseded) == (first.rows_read, 1)
    assert "Nothing to do" in second.as_text()
    runs = AuditEntry.objects.filter(action="import_un_fatalities").order_by("id")
    assert [entry.changes["unchanged_since"] for entry in runs] == ["", second.unchanged_since]
    assert runs[0].changes["state"] == runs[1].changes["state"]


def test_a_change_in_the_database_since_makes_the_next_import_run_in_full(write):
    path = write(ROWS)
    un_fatalities_import(path=path)
    Casualty.objects.filter(un_casualty_id="R-1").update(category=PersonnelCategory.UN_VOLUNTEER)

    again = un_fatalities_import(path=path)

    assert not again.unchanged_since
    assert (again.updated, again.unchanged) == (1, 2)
    assert Casualty.objects.get(un_casualty_id="R-1").category != PersonnelCategory.UN_VOLUNTEER
    # Now in step with the file again: the run after that has nothing to do.
    assert un_fatalities_import(path=path).unchanged_since


def test_a_deleted_case_is_opened_again_by_the_next_import(write):
    path = write(ROWS)
    un_fatalities_import(path=path)
    Case.objects.filter(incidents__reference__isnull=False).first().delete()

    again = un_fatalities_import(path=path)

    assert not again.unchanged_since
    assert again.cases_opened == 1


def test_another_file_is_imported_in_full(write):
    un_fatalities_import(path=write(ROWS))

    other = un_fatalities_import(path=write([*ROWS, fatality("R-4")]))

    assert not other.unchanged_since
    assert (other.created, other.unchanged) == (1, 3)


def test_a_dry_run_of_an_unchanged_file_says_there_is_nothing_to_do(write):
    path = write(ROWS)
    un_fatalities_import(path=path)
    entries = AuditEntry.objects.count()

    summary = un_fatalities_import(path=path, dry_run=True)

    assert summary.unchanged_since and summary.dry_run
    assert AuditEntry.objects.count() == entries
