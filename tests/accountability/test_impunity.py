"""The impunity rule: a peacekeeper killed or injured, no conviction, and either no
investigation within 90 days of the attack or no progress for 180 days."""

from datetime import date, timedelta

import pytest

from accountability.choices import InvestigatingAuthority, InvestigationStatus, ProcedureStepKind
from accountability.models import Case
from accountability.services import (
    investigation_open,
    procedure_record_step,
    suspect_identify,
)
from incidents.choices import AttackType, IncidentSource, IncidentType, Outcome
from incidents.services import incident_record
from missions.choices import PersonnelCategory
from tests.accountability.conftest import days_ago
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

# Today: the rule then reads the case's stored fields, which these factory cases set
# directly (as of a past day it replays the dated rows: see test_impunity_rule.py).
AS_OF = date.today()


def before(days: int) -> date:
    return AS_OF - timedelta(days=days)


def in_impunity(case: Case, as_of: date = AS_OF) -> bool:
    return Case.objects.impunity(as_of=as_of).filter(pk=case.pk).exists()


# --- no investigation within 90 days ---------------------------------------------------


def test_an_attack_89_days_old_without_investigation_is_not_yet_impunity():
    assert not in_impunity(CaseFactory(attack_date=before(89)))


def test_an_attack_90_days_old_without_investigation_is_impunity():
    assert in_impunity(CaseFactory(attack_date=before(90)))


def test_an_investigation_opened_on_the_90th_day_is_in_time():
    case = CaseFactory(
        attack_date=before(120),
        investigation_status=InvestigationStatus.OPENED,
        investigation_opened_on=before(120) + timedelta(days=90),
        last_progress_on=before(30),
    )

    assert not in_impunity(case)


def test_an_investigation_opened_on_the_91st_day_is_too_late():
    case = CaseFactory(
        attack_date=before(120),
        investigation_status=InvestigationStatus.OPENED,
        investigation_opened_on=before(120) + timedelta(days=91),
        last_progress_on=before(1),
    )

    assert in_impunity(case)


# --- no progress for 180 days ---------------------------------------------------------


def stalled_case(days_without_progress: int) -> Case:
    return CaseFactory(
        attack_date=before(400),
        investigation_status=InvestigationStatus.OPENED,
        investigation_opened_on=before(390),
        last_progress_on=before(days_without_progress),
    )


def test_a_case_179_days_without_progress_is_not_yet_impunity():
    assert not in_impunity(stalled_case(179))


def test_a_case_180_days_without_progress_is_impunity():
    assert in_impunity(stalled_case(180))


# --- who counts -----------------------------------------------------------------------


def test_a_conviction_takes_a_case_out_of_impunity():
    case = CaseFactory(attack_date=before(400), has_conviction=True)

    assert not in_impunity(case)


def test_an_attack_that_only_injured_counts():
    assert in_impunity(CaseFactory(attack_date=before(100), killed=0, injured=1))


def test_an_attack_that_neither_killed_nor_injured_does_not_count():
    assert not in_impunity(CaseFactory(attack_date=before(400), killed=0, injured=0))


def test_the_thresholds_follow_the_settings(settings):
    settings.IMPUNITY_NO_INVESTIGATION_DAYS = 30
    settings.IMPUNITY_NO_PROGRESS_DAYS = 60

    assert not in_impunity(CaseFactory(attack_date=before(29)))
    assert in_impunity(CaseFactory(attack_date=before(30)))
    investigated = dict(
        attack_date=before(200),
        investigation_status=InvestigationStatus.OPENED,
        investigation_opened_on=before(190),
    )
    assert not in_impunity(CaseFactory(**investigated, last_progress_on=before(59)))
    assert in_impunity(CaseFactory(**investigated, last_progress_on=before(60)))


# --- kept right by the services -------------------------------------------------------


def import_deadly_attack(mission, *, days: int):
    return incident_record(
        actor=None,
        mission=mission,
        occurred_at=days_ago(days),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.IED,
        source=IncidentSource.UN_FATALITIES_FILE,
        casualties=[{"category": PersonnelCategory.MILITARY_CONTINGENT, "outcome": Outcome.KILLED}],
    )


def test_a_case_opened_by_an_import_with_unknown_status_counts_as_no_investigation(mission):
    incident = import_deadly_attack(mission, days=90)
    case = Case.objects.get(incidents=incident)

    assert case.opened_by_import is True
    assert case.investigation_status == InvestigationStatus.UNKNOWN
    assert in_impunity(case, as_of=date.today())
    assert not in_impunity(case, as_of=date.today() - timedelta(days=1))


def test_opening_an_investigation_in_time_takes_the_case_out(actor, mission):
    case = Case.objects.get(incidents=import_deadly_attack(mission, days=100))
    assert in_impunity(case, as_of=date.today())

    investigation_open(
        actor=actor,
        case=case,
        authority=InvestigatingAuthority.PROSECUTOR,
        opened_on=days_ago(20),
        source="Lettre du procureur de la République",
    )

    assert not in_impunity(case, as_of=date.today())


def test_a_conviction_recorded_step_by_step_takes_the_case_out(actor, mission):
    case = Case.objects.get(incidents=import_deadly_attack(mission, days=400))
    suspect = suspect_identify(
        actor=actor, case=case, name="Oumar Test", identified_on=days_ago(399), source="PV"
    )
    for offset, kind in enumerate(
        [ProcedureStepKind.CHARGED, ProcedureStepKind.TRIAL_OPENED, ProcedureStepKind.CONVICTED]
    ):
        assert in_impunity(case, as_of=date.today())
        procedure_record_step(
            actor=actor,
            suspect=suspect,
            kind=kind,
            occurred_on=days_ago(398 - offset),
            source="Plumitif de la cour d'assises",
        )

    assert not in_impunity(case, as_of=date.today())
