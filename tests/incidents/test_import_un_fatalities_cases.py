"""The import opens its cases in bulk, writing what `case_open` writes for each one.

Runs on SQLite and on PostgreSQL (where the import loads its rows by COPY).
"""

from datetime import date

from accountability.choices import CaseStage, InvestigationStatus
from accountability.models import Case, CaseEvent
from accountability.services import case_open
from accountability.timeline import event_text
from incidents.choices import IncidentType, Outcome
from incidents.importers.un_fatalities import un_fatalities_import
from incidents.models import Incident
from incidents.services import incident_record
from missions.choices import PersonnelCategory
from missions.models import Mission
from peacekeeping.audit import audit_verify_chain
from peacekeeping.models import AuditEntry
from tests.incidents.un_file import fatality


def malicious(casualty_id: str, on: str, mission: str = "UNIFIL") -> list[str]:
    return fatality(casualty_id, on=on, mission=mission, incident="Malicious Act")


def test_each_case_gets_its_link_its_event_and_its_audit_entry_in_one_intact_chain(
    reference,  # noqa: F811
    write_file,  # noqa: F811
):
    summary = un_fatalities_import(
        path=write_file(
            [
                malicious("X-1", "2010-05-01"),
                malicious("X-2", "2010-05-01"),
                malicious("X-3", "2011-02-03"),
                malicious("X-4", "1960-03-01", mission="UNEF"),
            ]
        )
    )

    assert summary.cases_opened == 3
    cases = list(Case.objects.order_by("attack_date"))
    assert [case.reference for case in cases] == [
        "CASE-UNEF-1960-0001",
        "CASE-UNIFIL-2010-0001",
        "CASE-UNIFIL-2011-0001",
    ]
    unifil = cases[1]
    assert unifil.incidents.get().casualties.count() == 2
    assert (unifil.killed, unifil.injured) == (2, 0)
    assert unifil.host_state.iso3 == "LBN"
    assert unifil.stage == CaseStage.NO_INVESTIGATION
    assert unifil.investigation_status == InvestigationStatus.UNKNOWN
    assert unifil.last_progress_on is None and not unifil.has_conviction
    assert unifil.attack_date == date(2010, 5, 1)
    assert cases[0].host_state is None  # UNEF had two host countries
    event = CaseEvent.objects.get(case=unifil)
    assert event.kind == "case_opened"
    assert event_text(event.kind, event.params, event.description) == (
        f"Case opened by an import for {unifil.incidents.get()}."
    )
    entry = AuditEntry.objects.get(action="case.open", object_id=str(unifil.pk))
    assert entry.changes["reference"] == [None, unifil.reference]
    assert entry.changes["killed"] == [None, 2]
    assert entry.changes["incidents"] == [None, [unifil.incidents.get().reference]]
    assert AuditEntry.objects.filter(action="case.open").count() == 3
    assert audit_verify_chain() == []


def test_imported_cases_are_numbered_after_those_opened_in_the_app(
    reference,  # noqa: F811
    write_file,  # noqa: F811
):
    entered = incident_record(
        actor=None,
        mission=Mission.objects.get(acronym="UNIFIL"),
        occurred_at=date(2010, 1, 1),
        incident_type=IncidentType.MALICIOUS_ACT,
        casualties=[{"category": PersonnelCategory.MILITARY_CONTINGENT, "outcome": Outcome.KILLED}],
    )
    opened = case_open(actor=None, incidents=[entered])

    un_fatalities_import(path=write_file([malicious("X-1", "2010-05-01")]))

    assert opened.reference == "CASE-UNIFIL-2010-0001"
    imported = Incident.objects.get(casualties__un_casualty_id="X-1")
    assert imported.cases.get().reference == "CASE-UNIFIL-2010-0002"
    assert audit_verify_chain() == []


def test_a_second_run_opens_no_case_and_writes_no_case_entry(
    reference,  # noqa: F811
    write_file,  # noqa: F811
):
    path = write_file([malicious("X-1", "2010-05-01"), malicious("X-2", "2012-05-01")])

    first, second = un_fatalities_import(path=path), un_fatalities_import(path=path)

    assert (first.cases_opened, second.cases_opened) == (2, 0)
    assert Case.objects.count() == 2
    assert AuditEntry.objects.filter(action="case.open").count() == 2
