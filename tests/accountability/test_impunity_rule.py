"""What stops the impunity clock: only acts of the host State's own authorities.

A UN board of inquiry, a contributing country's inquiry or a UN special investigation is
recorded and shown, and neither opens the investigation nor counts as progress. A case
closed without charge, or ended by acquittal, has no conviction: the rule still applies.
Each case is written through the services, with dated rows, and read as of a day.
"""

from datetime import timedelta

import pytest

from accountability.choices import CaseStage, InvestigatingAuthority, InvestigationStatus
from accountability.choices import ProcedureStepKind as K
from accountability.impunity import (
    NO_INVESTIGATION,
    NO_PROGRESS,
    case_in_impunity,
    impunity_reasons,
    stops_the_clock,
    with_impunity,
)
from accountability.models import Case, CaseEvent, Investigation
from accountability.services import (
    case_open,
    investigation_open,
    investigation_update_status,
    procedure_record_step,
    suspect_identify,
)
from tests.accountability.conftest import days_ago

pytestmark = pytest.mark.django_db
A = InvestigatingAuthority
SOURCE = "Procès-verbal n° 12"


def reasons(case: Case, as_of=None) -> list[str]:
    return impunity_reasons(with_impunity(Case.objects.filter(pk=case.pk), as_of=as_of).get())


def attack(actor, make_incident, days: int) -> Case:
    return case_open(actor=actor, incidents=[make_incident(on=days_ago(days))])


@pytest.mark.parametrize(
    "authority",
    [A.UN_BOARD_OF_INQUIRY, A.CONTRIBUTING_COUNTRY, A.UN_SPECIAL_INVESTIGATION],
)
def test_an_inquiry_of_the_un_or_a_contributing_country_does_not_stop_the_clock(
    actor, make_incident, authority
):
    case = attack(actor, make_incident, 200)
    investigation_open(
        actor=actor, case=case, authority=authority, opened_on=days_ago(190), source=SOURCE
    )
    case.refresh_from_db()

    # Recorded and shown on the case, but not the host State's investigation.
    assert case.investigations.get().authority == authority
    assert case.investigation_opened_on is None
    assert case.last_progress_on is None
    assert case.stage == CaseStage.NO_INVESTIGATION
    assert case_in_impunity(case)
    assert reasons(case) == [NO_INVESTIGATION, NO_PROGRESS]
    # As of a past day, replayed from the rows, the same.
    assert reasons(case, as_of=days_ago(5)) == [NO_INVESTIGATION, NO_PROGRESS]


def test_only_the_host_states_authorities_stop_the_clock():
    assert {a for a in A.values if stops_the_clock(a)} == {
        A.POLICE,
        A.PROSECUTOR,
        A.MILITARY_JUSTICE,
    }


@pytest.mark.parametrize(("day", "in_time"), [(89, True), (90, True), (91, False)])
def test_a_host_state_investigation_counts_only_within_90_days(actor, make_incident, day, in_time):
    case = attack(actor, make_incident, 150)
    investigation_open(
        actor=actor,
        case=case,
        authority=A.PROSECUTOR,
        opened_on=days_ago(150) + timedelta(days=day),
        source=SOURCE,
    )
    case.refresh_from_db()

    assert case.investigation_opened_on == days_ago(150 - day)
    assert case_in_impunity(case) is not in_time
    assert reasons(case) == ([] if in_time else [NO_INVESTIGATION])
    # The same as of a past day (the rule replays the dated rows).
    assert case_in_impunity(case, as_of=days_ago(1)) is not in_time


def test_a_later_un_inquiry_is_no_progress_on_a_host_state_case(actor, make_incident):
    case = attack(actor, make_incident, 400)
    investigation_open(
        actor=actor, case=case, authority=A.POLICE, opened_on=days_ago(390), source=SOURCE
    )
    board = investigation_open(
        actor=actor,
        case=case,
        authority=A.UN_BOARD_OF_INQUIRY,
        opened_on=days_ago(20),
        source=SOURCE,
    )
    investigation_update_status(
        actor=actor,
        investigation=board,
        status=InvestigationStatus.SUSPECTS_IDENTIFIED,
        on=days_ago(10),
        source=SOURCE,
    )
    case.refresh_from_db()

    assert case.last_progress_on == days_ago(390)
    assert reasons(case) == [NO_PROGRESS]
    assert reasons(case, as_of=days_ago(2)) == [NO_PROGRESS]
    # The board's events name it: the timeline keeps them, the clock ignores them.
    assert CaseEvent.objects.filter(case=case, investigation=board).count() == 2


def test_a_case_closed_without_charge_stays_under_the_rule(actor, make_incident):
    case = attack(actor, make_incident, 700)
    investigation = investigation_open(
        actor=actor, case=case, authority=A.PROSECUTOR, opened_on=days_ago(690), source=SOURCE
    )
    investigation_update_status(
        actor=actor,
        investigation=investigation,
        status=InvestigationStatus.CLOSED_WITHOUT_CHARGE,
        on=days_ago(520),
        source="Ordonnance de classement sans suite",
    )
    case.refresh_from_db()

    assert case.stage == CaseStage.CLOSED
    assert not case.has_conviction
    assert reasons(case) == [NO_PROGRESS]
    assert case_in_impunity(case, as_of=days_ago(100))


def test_an_acquittal_leaves_the_case_under_the_rule(actor, make_incident):
    case = attack(actor, make_incident, 900)
    investigation_open(
        actor=actor, case=case, authority=A.PROSECUTOR, opened_on=days_ago(880), source=SOURCE
    )
    suspect = suspect_identify(
        actor=actor, case=case, name="Suspect A", identified_on=days_ago(870), source=SOURCE
    )
    for kind, days in ((K.ARRESTED, 860), (K.CHARGED, 850), (K.TRIAL_OPENED, 700)):
        procedure_record_step(
            actor=actor, suspect=suspect, kind=kind, occurred_on=days_ago(days), source=SOURCE
        )
    procedure_record_step(
        actor=actor, suspect=suspect, kind=K.ACQUITTED, occurred_on=days_ago(600), source=SOURCE
    )
    case.refresh_from_db()

    assert case.stage == CaseStage.VERDICT
    assert not case.has_conviction
    assert reasons(case) == [NO_PROGRESS]
    # Before its 180 days without progress had run, the acquitted case was not flagged.
    assert not case_in_impunity(case, as_of=days_ago(500))


def test_a_conviction_ends_the_rule_from_its_day_on(actor, make_incident):
    case = attack(actor, make_incident, 900)
    suspect = suspect_identify(
        actor=actor, case=case, name="Suspect B", identified_on=days_ago(870), source=SOURCE
    )
    for kind, days in ((K.CHARGED, 850), (K.TRIAL_OPENED, 700), (K.CONVICTED, 300)):
        procedure_record_step(
            actor=actor, suspect=suspect, kind=kind, occurred_on=days_ago(days), source=SOURCE
        )

    assert not case_in_impunity(case)
    assert case_in_impunity(case, as_of=days_ago(400))


def test_a_case_with_no_host_state_is_under_the_rule_all_the_same(actor, make_incident):
    case = attack(actor, make_incident, 200)
    Case.objects.filter(pk=case.pk).update(host_state=None)

    assert case_in_impunity(case)
    assert case_in_impunity(case, as_of=days_ago(10))


def test_the_data_migration_recomputes_what_a_un_inquiry_had_set(actor, make_incident):
    """Stored fields written by the old rule, from a UN board: the migration resets them."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module(
        "accountability.migrations.0007_impunity_host_state_authorities"
    )
    case = attack(actor, make_incident, 200)
    # As the old rule stored it: a board's inquiry, an event that does not name it, and
    # the case's fields set by it.
    board = Investigation.objects.create(
        case=case, authority=A.UN_BOARD_OF_INQUIRY, opened_on=days_ago(150), source=SOURCE
    )
    CaseEvent.objects.create(
        case=case,
        kind="investigation_opened",
        occurred_on=days_ago(150),
        description="Investigation opened by UN board of inquiry.",
    )
    Case.objects.filter(pk=case.pk).update(
        investigation_opened_on=days_ago(150),
        last_progress_on=days_ago(150),
        investigation_status=InvestigationStatus.OPENED,
        stage=CaseStage.INVESTIGATION,
    )
    assert not case_in_impunity(case)

    # A data migration: it writes rows and never the schema. A schema editor is not
    # opened (SQLite cannot open one inside the test's transaction); the migration is
    # given what RunPython gives, an editor on this connection.
    migration.forwards(apps, SimpleNamespace(connection=connection))

    case.refresh_from_db()
    assert (case.investigation_opened_on, case.last_progress_on) == (None, None)
    assert case.stage == CaseStage.NO_INVESTIGATION
    assert CaseEvent.objects.get(kind="investigation_opened", case=case).investigation == board
    assert case_in_impunity(case)


def test_overdue_is_one_definition_in_sql_and_in_python(actor, case):
    from accountability.figures import is_overdue
    from accountability.models import FollowUp
    from accountability.services import followup_record, followup_record_response

    follow_up = followup_record(
        actor=actor,
        case=case,
        sent_on=days_ago(60),
        channel="note_verbale",
        summary="Demande d'information",
        response_due=days_ago(30),
    )
    followup_record_response(
        actor=actor, follow_up=follow_up, received_on=days_ago(10), outcome="Réponse reçue"
    )
    follow_up.refresh_from_db()

    # Overdue between its due day and the day the answer came; not before, not after.
    for days, overdue in ((40, False), (29, True), (11, True), (10, False), (0, False)):
        day = days_ago(days)
        assert is_overdue(follow_up, day) is overdue, days
        assert FollowUp.objects.overdue(as_of=day).filter(pk=follow_up.pk).exists() is overdue
