"""The importer of the UN fatalities file, on small files that show one irregularity each."""

import codecs
import re
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accountability.choices import InvestigationStatus
from accountability.models import Case
from incidents.choices import (
    DatePrecision,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    Outcome,
)
from incidents.importers.un_fatalities import (
    UnFatalitiesFileRejected,
    parse_date,
    un_fatalities_import,
)
from incidents.models import Casualty, Incident
from incidents.services import incident_record
from missions.choices import MissionKind, PersonnelCategory
from missions.models import Mission
from peacekeeping.models import AuditEntry
from tests.incidents.un_file import (
    MONTENEGRO,
    SERBIA_AND_MONTENEGRO,
    fatality,
    only_casualty,
)

# --- the file's shape ---------------------------------------------------------------------


def test_it_reads_a_file_with_a_byte_order_mark_crlf_line_ends_and_no_final_newline(
    reference, write_file
):
    path = write_file([fatality("UNIFIL-2010-05-00001"), fatality("UNIFIL-2010-05-00002")])
    content = path.read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    assert b"\r\n" in content
    assert not content.endswith(b"\n")

    summary = un_fatalities_import(path=path)

    assert (summary.rows_read, summary.created) == (2, 2)
    assert sorted(Casualty.objects.values_list("un_casualty_id", flat=True)) == [
        "UNIFIL-2010-05-00001",
        "UNIFIL-2010-05-00002",
    ]


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("Military", PersonnelCategory.MILITARY_CONTINGENT),
        ("Military Observer", PersonnelCategory.MILITARY_OBSERVER),
        ("Police", PersonnelCategory.INDIVIDUAL_POLICE),
        ("International Civilian", PersonnelCategory.INTERNATIONAL_CIVILIAN),
        ("Local ", PersonnelCategory.NATIONAL_STAFF),
        ("Other", PersonnelCategory.OTHER),
    ],
)
def test_it_maps_the_un_personnel_type_and_keeps_the_label_without_its_trailing_space(
    reference, write_file, label, category
):
    un_fatalities_import(path=write_file([fatality("X-1", personnel=label)]))

    casualty = only_casualty("X-1")
    assert casualty.category == category
    assert casualty.un_personnel_type == label.strip()
    assert casualty.outcome == Outcome.KILLED


@pytest.mark.parametrize(
    ("label", "incident_type"),
    [
        ("Malicious Act", IncidentType.MALICIOUS_ACT),
        ("Accident", IncidentType.ACCIDENT),
        ("Illness", IncidentType.ILLNESS),
        ("Self-Inflicted", IncidentType.SELF_INFLICTED),
        ("To Be Determined", IncidentType.TO_BE_DETERMINED),
        ("Unknown", IncidentType.UNKNOWN),
    ],
)
def test_each_death_becomes_a_casualty_of_an_incident_of_its_un_type(
    reference, write_file, label, incident_type
):
    un_fatalities_import(path=write_file([fatality("X-1", incident=label)]))

    assert only_casualty("X-1").incident.incident_type == incident_type


def test_deaths_of_one_mission_date_and_type_share_one_verified_imported_incident(
    reference, write_file
):
    un_fatalities_import(
        path=write_file(
            [
                fatality("X-1", incident="Accident"),
                fatality("X-2", incident="Accident"),
                fatality("X-3", incident="Illness"),
                fatality("X-4", incident="Accident", on="2010-05-02"),
            ]
        )
    )

    assert only_casualty("X-1").incident == only_casualty("X-2").incident
    assert Incident.objects.count() == 3
    incident = only_casualty("X-1").incident
    assert re.fullmatch(r"UNIFIL-2010-\d{4}", incident.reference)
    assert incident.source == IncidentSource.UN_FATALITIES_FILE
    assert incident.status == IncidentStatus.VERIFIED
    assert incident.date_precision == DatePrecision.DAY
    assert incident.occurred_at == datetime(2010, 5, 1, tzinfo=UTC)
    assert incident.country.iso3 == "LBN"  # UNIFIL's only host country
    references = Incident.objects.values_list("reference", flat=True)
    assert len(set(references)) == 3


def test_it_treats_the_casualty_id_as_opaque(reference, write_file):
    un_fatalities_import(path=write_file([fatality("UNIFIL-1999-01-00007", on="2010-05-01")]))

    assert only_casualty("UNIFIL-1999-01-00007").incident.occurred_at.date() == date(2010, 5, 1)


# --- repeated IDs -------------------------------------------------------------------------


def test_a_casualty_id_repeated_in_the_file_keeps_the_last_row_and_counts_a_warning(
    reference, write_file
):
    path = write_file(
        [
            fatality("UNMIK-2003-05-03589", mission="UNMIK", nationality=MONTENEGRO),
            fatality("UNMIK-2003-05-03589", mission="UNMIK", nationality=SERBIA_AND_MONTENEGRO),
        ]
    )

    summary = un_fatalities_import(path=path)

    assert Casualty.objects.count() == 1
    assert only_casualty("UNMIK-2003-05-03589").nationality.iso3 == "SCG"
    assert (summary.created, summary.superseded) == (1, 1)
    assert summary.warned >= 1
    assert any("UNMIK-2003-05-03589" in w and "row 3" in w for w in summary.warnings)


def test_a_casualty_id_seen_in_an_earlier_run_is_updated_never_duplicated(reference, write_file):
    un_fatalities_import(path=write_file([fatality("X-1", nationality=MONTENEGRO)]))

    summary = un_fatalities_import(
        path=write_file([fatality("X-1", nationality=SERBIA_AND_MONTENEGRO)])
    )

    assert Casualty.objects.count() == 1
    assert only_casualty("X-1").nationality.iso3 == "SCG"
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)


# --- nationalities ------------------------------------------------------------------------


def test_it_leaves_a_blank_or_undetermined_nationality_empty_with_a_warning(reference, write_file):
    summary = un_fatalities_import(
        path=write_file(
            [
                fatality("X-1", nationality=("", "", "")),
                fatality("X-2", nationality=("ZZ [Undetermined]", "", "")),
                fatality("X-3"),
            ]
        )
    )

    assert only_casualty("X-1").nationality is None
    assert only_casualty("X-2").nationality is None
    assert only_casualty("X-3").nationality.iso3 == "FRA"
    assert summary.warned == 2
    assert any("Blank nationality" in w and "row 2" in w for w in summary.warnings)
    assert any("ZZ [Undetermined]" in w and "row 3" in w for w in summary.warnings)


def test_it_matches_cote_divoire_by_its_name_when_its_codes_are_blank(reference, write_file):
    summary = un_fatalities_import(
        path=write_file([fatality("X-1", nationality=("Côte dIvoire", "", ""))])
    )

    assert only_casualty("X-1").nationality.iso3 == "CIV"
    assert any("matched by name to CIV" in w for w in summary.warnings)


def test_it_finds_the_nationality_by_m49_when_the_iso3_code_is_blank(reference, write_file):
    summary = un_fatalities_import(path=write_file([fatality("X-1", nationality=("", "578", ""))]))

    assert only_casualty("X-1").nationality.iso3 == "NOR"
    assert summary.warned == 0


# --- missions -----------------------------------------------------------------------------


def test_it_creates_a_mission_missing_from_the_reference_list_as_kind_other_with_a_warning(
    reference, write_file
):
    assert not Mission.objects.filter(acronym="UNSCOL").exists()

    summary = un_fatalities_import(
        path=write_file([fatality("X-1", mission="UNSCOL"), fatality("X-2", mission="UNSCOL")])
    )

    mission = Mission.objects.get(acronym="UNSCOL")
    assert mission.kind == MissionKind.OTHER
    assert only_casualty("X-1").incident.mission == mission
    assert summary.missions_created == 1
    assert any("'UNSCOL' is not in the reference list" in w for w in summary.warnings)
    assert summary.warned == 2


def test_it_keeps_an_aggregate_code_as_the_aggregate_mission(reference, write_file):
    un_fatalities_import(path=write_file([fatality("X-1", mission="UNEF", on="1960-03-01")]))

    mission = only_casualty("X-1").incident.mission
    assert (mission.acronym, mission.is_aggregate) == ("UNEF", True)


def test_it_imports_a_death_dated_outside_the_mandate_with_a_warning(reference, write_file):
    summary = un_fatalities_import(
        path=write_file([fatality("X-1", mission="UNMIK", on="1998-01-15")])
    )

    assert only_casualty("X-1").incident.occurred_at.date() == date(1998, 1, 15)
    assert any("UNMIK" in w and "outside the mandate" in w for w in summary.warnings)
    assert summary.warned == 1


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2010-05-01", date(2025, 6, 30), date(2010, 5, 1)),
        ("01/05/2010", date(2025, 6, 30), date(2010, 5, 1)),
        ("1/5/2010", date(2025, 6, 30), date(2010, 5, 1)),
        ("1/5/10", date(2025, 6, 30), date(2010, 5, 1)),
        ("31/12/99", date(2025, 6, 30), date(1999, 12, 31)),
        ("1/5/50", date(2050, 6, 30), date(2050, 5, 1)),
        ("1/5/51", date(2050, 6, 30), date(1951, 5, 1)),
    ],
)
def test_it_reads_day_first_dates_and_two_digit_years_pivoting_on_this_year(text, today, expected):
    assert parse_date(text, today=today) == expected


def test_it_imports_rows_dated_in_each_accepted_format(reference, write_file):
    un_fatalities_import(
        path=write_file(
            [
                fatality("X-1", on="2010-05-01"),
                fatality("X-2", on="02/05/2010"),
                fatality("X-3", on="3/5/10"),
                fatality("X-4", on="4/5/95"),
            ]
        )
    )

    dates = {
        casualty.un_casualty_id: casualty.incident.occurred_at.date()
        for casualty in Casualty.objects.select_related("incident")
    }
    assert dates == {
        "X-1": date(2010, 5, 1),
        "X-2": date(2010, 5, 2),
        "X-3": date(2010, 5, 3),
        "X-4": date(1995, 5, 4),
    }


def test_it_rejects_an_unreadable_date_with_its_row_number_and_writes_nothing(
    reference, write_file
):
    path = write_file(
        [
            fatality("X-1"),
            fatality("X-2", on="31/02/2010"),
            fatality("X-3", mission="UNSCOL"),
            fatality("X-4", on="May 2010"),
        ]
    )
    counts_before = (Mission.objects.count(), AuditEntry.objects.count())

    with pytest.raises(UnFatalitiesFileRejected) as rejected:
        un_fatalities_import(path=path)

    assert [error.row for error in rejected.value.errors] == [3, 5]
    assert "row 3: unreadable Incident_Date '31/02/2010'" in str(rejected.value)
    assert "row 5: unreadable Incident_Date 'May 2010'" in str(rejected.value)
    assert not Casualty.objects.exists()
    assert not Incident.objects.exists()
    assert (Mission.objects.count(), AuditEntry.objects.count()) == counts_before


def test_it_lists_every_bad_row_of_a_rejected_file(reference, write_file):
    path = write_file(
        [
            fatality("X-1", personnel="Astronaut"),
            fatality("X-2"),
            fatality("X-3", incident="Meteorite", casualty="Injury"),
            fatality("", on="2999-01-01"),
        ]
    )

    with pytest.raises(UnFatalitiesFileRejected) as rejected:
        un_fatalities_import(path=path)

    assert [str(error) for error in rejected.value.errors] == [
        "row 2: unknown Casualty_Personnel_Type 'Astronaut'",
        "row 4: unknown Type_of_Casualty 'Injury'; unknown Type_Of_Incident 'Meteorite'",
        "row 5: Casualty_ID is blank; Incident_Date '2999-01-01' is in the future",
    ]
    assert not Casualty.objects.exists()


def test_it_rejects_a_file_without_the_un_columns(reference, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,date\n1,2010-05-01\n", encoding="utf-8")

    with pytest.raises(UnFatalitiesFileRejected) as rejected:
        un_fatalities_import(path=path)

    assert rejected.value.errors[0].row == 1
    assert "lacks Casualty_ID" in str(rejected.value)


# --- running again ------------------------------------------------------------------------


def test_a_second_run_of_the_same_file_reports_every_row_unchanged(reference, write_file):
    path = write_file(
        [
            fatality("X-1", incident="Malicious Act"),
            fatality("X-2", incident="Malicious Act"),
            fatality("X-3", nationality=("ZZ [Undetermined]", "", "")),
            fatality("X-3", nationality=("", "", "")),
        ]
    )
    un_fatalities_import(path=path)
    before = (Incident.objects.count(), Casualty.objects.count(), Case.objects.count())

    summary = un_fatalities_import(path=path)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert (summary.incidents_created, summary.cases_opened, summary.cases_refreshed) == (0, 0, 0)
    assert (Incident.objects.count(), Casualty.objects.count(), Case.objects.count()) == before


def test_a_row_whose_type_changed_is_counted_as_updated_and_moves_to_an_incident_of_that_type(
    reference, write_file
):
    un_fatalities_import(path=write_file([fatality("X-1", incident="To Be Determined")]))
    first_incident = only_casualty("X-1").incident

    summary = un_fatalities_import(path=write_file([fatality("X-1", incident="Malicious Act")]))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    incident = only_casualty("X-1").incident
    assert incident.incident_type == IncidentType.MALICIOUS_ACT
    assert not Incident.objects.filter(pk=first_incident.pk).exists()
    assert summary.incidents_deleted == 1
    assert incident.cases.count() == 1


# --- cases --------------------------------------------------------------------------------


def test_each_malicious_act_gets_one_case_opened_by_the_import(reference, write_file):
    summary = un_fatalities_import(
        path=write_file(
            [
                fatality("X-1", incident="Malicious Act"),
                fatality("X-2", incident="Malicious Act"),
                fatality("X-3", incident="Malicious Act", on="2010-06-01"),
                fatality("X-4", incident="Accident"),
            ]
        )
    )

    assert summary.cases_opened == 2
    case = only_casualty("X-1").incident.cases.get()
    assert case.opened_by_import
    assert case.investigation_status == InvestigationStatus.UNKNOWN
    assert case.killed == 2
    assert not only_casualty("X-4").incident.cases.exists()


def test_a_malicious_act_whose_host_state_is_unknown_opens_a_case_with_the_state_to_be_named(
    reference, write_file
):
    summary = un_fatalities_import(
        path=write_file(
            [fatality("X-1", mission="UNEF", on="1960-03-01", incident="Malicious Act")]
        )
    )

    case = Case.objects.get()
    assert case.host_state is None
    assert (summary.cases_opened, summary.cases_pending) == (1, 1)
    assert any(
        "UNEF: 1 case opened with the host State to be determined" in w
        and "has 2 host countries" in w
        for w in summary.warnings
    )


def test_a_new_death_in_an_imported_malicious_act_is_counted_in_its_case(reference, write_file):
    un_fatalities_import(path=write_file([fatality("X-1", incident="Malicious Act")]))

    summary = un_fatalities_import(
        path=write_file(
            [fatality("X-1", incident="Malicious Act"), fatality("X-2", incident="Malicious Act")]
        )
    )

    assert (summary.created, summary.unchanged, summary.cases_refreshed) == (1, 1, 1)
    assert Case.objects.get().killed == 2


# --- the run as a whole -------------------------------------------------------------------


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(reference, write_file):
    audit_entries = AuditEntry.objects.count()

    summary = un_fatalities_import(
        path=write_file(
            [fatality("X-1", incident="Malicious Act"), fatality("X-2", mission="UNSCOL")]
        ),
        dry_run=True,
    )

    assert (summary.created, summary.missions_created, summary.cases_opened) == (2, 1, 1)
    assert not Casualty.objects.exists()
    assert not Mission.objects.filter(acronym="UNSCOL").exists()
    assert not Case.objects.exists()
    assert AuditEntry.objects.count() == audit_entries


def test_each_run_writes_one_audit_entry_with_the_counts_and_the_files_digest(
    reference, write_file
):
    path = write_file([fatality("X-1"), fatality("X-2")])

    summary = un_fatalities_import(path=path)

    entry = AuditEntry.objects.filter(action="import_un_fatalities").get()
    assert entry.object_id == summary.sha256
    assert entry.changes["sha256"] == summary.sha256
    assert (entry.changes["created"], entry.changes["rows_read"]) == (2, 2)


def test_the_command_imports_the_file_and_ends_with_the_summary(reference, write_file):
    out = StringIO()

    call_command("import_un_fatalities", str(write_file([fatality("X-1")])), stdout=out)

    assert Casualty.objects.count() == 1
    assert "created:    1" in out.getvalue()
    assert "unchanged:  0" in out.getvalue()


def test_the_command_refuses_a_bad_file_naming_its_bad_rows(reference, write_file):
    path = write_file([fatality("X-1"), fatality("X-2", on="2010-13-01")])

    with pytest.raises(CommandError, match=r"row 3: unreadable Incident_Date '2010-13-01'"):
        call_command("import_un_fatalities", str(path), stdout=StringIO())

    assert not Casualty.objects.exists()


def test_the_command_reads_the_shared_data_folder_when_no_path_is_given(
    reference, write_file, settings
):
    path = write_file([fatality("X-1")])
    path.rename(path.with_name("odp_noticas.csv"))
    settings.SHARED_DATA_DIR = path.parent

    call_command("import_un_fatalities", stdout=StringIO())

    assert Casualty.objects.filter(un_casualty_id="X-1").exists()


def test_a_casualty_recorded_on_an_incident_entered_in_the_app_follows_the_file_but_stays_there(
    reference, write_file
):
    incident = incident_record(
        actor=None,
        mission=Mission.objects.get(acronym="UNIFIL"),
        occurred_at=date(2010, 5, 1),
        incident_type=IncidentType.MALICIOUS_ACT,
        casualties=[
            {
                "category": PersonnelCategory.MILITARY_CONTINGENT,
                "outcome": Outcome.KILLED,
                "un_casualty_id": "X-1",
                "un_personnel_type": "Military",
            }
        ],
    )

    summary = un_fatalities_import(
        path=write_file([fatality("X-1", personnel="Police", incident="Malicious Act")])
    )

    assert summary.updated == 1
    casualty = only_casualty("X-1")
    assert casualty.incident == incident
    assert casualty.category == PersonnelCategory.INDIVIDUAL_POLICE
    assert Incident.objects.count() == 1


def test_imported_incidents_are_numbered_after_those_entered_in_the_app(reference, write_file):
    entered = incident_record(
        actor=None,
        mission=Mission.objects.get(acronym="UNIFIL"),
        occurred_at=date(2010, 1, 1),
        incident_type=IncidentType.ACCIDENT,
    )

    un_fatalities_import(path=write_file([fatality("X-1", on="2010-05-01")]))

    assert entered.reference == "UNIFIL-2010-0001"
    assert only_casualty("X-1").incident.reference == "UNIFIL-2010-0002"


def test_a_malicious_act_whose_only_death_moved_keeps_its_case_with_a_warning(
    reference, write_file
):
    un_fatalities_import(path=write_file([fatality("X-1", incident="Malicious Act")]))
    case = Case.objects.get()

    summary = un_fatalities_import(path=write_file([fatality("X-1", incident="Accident")]))

    case.refresh_from_db()
    assert case.incidents.get().casualties.count() == 0
    assert case.killed == 0
    assert summary.cases_refreshed == 1
    assert summary.incidents_deleted == 0
    assert any("kept because a case is attached" in w for w in summary.warnings)


def test_imported_casualties_and_incidents_are_stamped_with_the_runs_time(reference, write_file):
    path = write_file([fatality("UNIFIL-2010-05-00001"), fatality("UNIFIL-2010-05-00002")])
    before = datetime.now(UTC)

    un_fatalities_import(path=path)

    after = datetime.now(UTC)
    stamps = list(Casualty.objects.values_list("created_at", flat=True))
    assert len(stamps) == 2
    assert all(before <= stamp <= after for stamp in stamps)  # the time, in UTC as it was
    incident = only_casualty("UNIFIL-2010-05-00001").incident
    assert before <= incident.created_at <= after
