"""Cases, investigations, suspects, follow-up and support, through their services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.models import CapacitySupport, Case, CaseEvent, FollowUp, ProcedureStep
from accountability.selectors import case_timeline
from accountability.services import (
    capacity_support_record,
    case_join_incident,
    case_open,
    case_open_for_incident,
    case_refresh,
    followup_record,
    followup_record_response,
    investigation_open,
    investigation_update_status,
    procedure_record_step,
    suspect_identify,
)
from accountability.timeline import event_text
from incidents.choices import IncidentType, Outcome
from peacekeeping.errors import DomainError, IllegalTransition
from peacekeeping.models import AuditEntry
from tests.accountability.conftest import days_ago
from tests.factories import CaseFactory, CountryFactory, MissionFactory

pytestmark = pytest.mark.django_db

IS = InvestigationStatus
POLICE = InvestigatingAuthority.POLICE
K = ProcedureStepKind


def open_investigation(actor, case, *, on=None, authority=POLICE):
    return investigation_open(
        actor=actor,
        case=case,
        authority=authority,
        opened_on=on or days_ago(150),
        source="Procès-verbal d'ouverture d'enquête",
    )


# --- opening a case -------------------------------------------------------------------


def test_it_numbers_cases_per_mission_and_year_of_the_attack(actor, make_incident):
    first = case_open(actor=actor, incidents=[make_incident(on=date(2024, 3, 1))])
    second = case_open(actor=actor, incidents=[make_incident(on=date(2024, 11, 2))])
    older = case_open(actor=actor, incidents=[make_incident(on=date(2023, 12, 31))])

    assert first.reference == "CASE-TESTMALI-2024-0001"
    assert second.reference == "CASE-TESTMALI-2024-0002"
    assert older.reference == "CASE-TESTMALI-2023-0001"


def test_a_new_case_starts_with_no_investigation_recorded(actor, make_incident, host):
    incident = make_incident(outcomes=[Outcome.KILLED, Outcome.KILLED, Outcome.INJURED])

    case = case_open(actor=actor, incidents=[incident])

    assert case.mission == incident.mission
    assert case.host_state == host
    assert case.attack_date == days_ago(200)
    assert case.opened_on == timezone.localdate()
    assert (case.killed, case.injured) == (2, 1)
    assert case.investigation_status == IS.UNKNOWN
    assert case.stage == CaseStage.NO_INVESTIGATION
    assert case.last_progress_on is None
    assert list(case.incidents.all()) == [incident]


def test_opening_a_case_is_written_to_its_timeline_and_the_audit_trail(actor, make_incident):
    incident = make_incident()

    case = case_open(actor=actor, incidents=[incident])

    event = CaseEvent.objects.get(case=case)
    assert event.kind == "case_opened"
    assert incident.reference in event_text(event.kind, event.params, event.description)
    entry = AuditEntry.objects.get(action="case.open")
    assert entry.actor == actor
    assert entry.object_id == str(case.pk)
    assert entry.changes["incidents"] == [None, [incident.reference]]


def test_a_case_of_several_incidents_dates_from_the_first_and_counts_them_all(actor, make_incident):
    later = make_incident(on=days_ago(100), outcomes=[Outcome.INJURED])
    earlier = make_incident(on=days_ago(101), outcomes=[Outcome.KILLED])

    case = case_open(actor=actor, incidents=[later, earlier])

    assert case.attack_date == days_ago(101)
    assert (case.killed, case.injured) == (1, 1)


@pytest.mark.parametrize(
    ("incident_type", "outcomes", "message"),
    [
        (IncidentType.ACCIDENT, [Outcome.KILLED], "Only a malicious act opens a case"),
        (IncidentType.MALICIOUS_ACT, [Outcome.ABDUCTED], "needs a peacekeeper killed or injured"),
        (IncidentType.MALICIOUS_ACT, [], "needs a peacekeeper killed or injured"),
    ],
)
def test_it_opens_cases_only_for_malicious_acts_that_killed_or_injured(
    actor, make_incident, incident_type, outcomes, message
):
    incident = make_incident(incident_type=incident_type, outcomes=outcomes)

    with pytest.raises(DomainError, match=message):
        case_open(actor=actor, incidents=[incident])

    assert not Case.objects.exists()


def test_it_refuses_an_incident_already_in_a_case(actor, case):
    incident = case.incidents.get()

    with pytest.raises(DomainError, match=f"already in case {case.reference}"):
        case_open(actor=actor, incidents=[incident])


def test_it_refuses_incidents_of_different_missions(actor, make_incident):
    here = make_incident()
    elsewhere = make_incident(mission=MissionFactory(acronym="TESTELSEWHERE"))

    with pytest.raises(DomainError, match="must belong to one mission"):
        case_open(actor=actor, incidents=[here, elsewhere])


def test_it_refuses_a_case_without_incidents(actor):
    with pytest.raises(DomainError, match="at least one incident"):
        case_open(actor=actor, incidents=[])


def test_the_host_state_defaults_to_the_missions_only_host(actor, make_incident, host):
    case = case_open(actor=actor, incidents=[make_incident(country=None)])

    assert case.host_state == host


def test_it_asks_for_the_host_state_when_it_cannot_tell(actor, make_incident):
    mission = MissionFactory(
        acronym="TESTTWO", host_countries=[CountryFactory(iso3="SDN"), CountryFactory(iso3="SSD")]
    )
    incident = make_incident(mission=mission, country=None)

    with pytest.raises(DomainError, match="Name the host State"):
        case_open(actor=actor, incidents=[incident])

    sudan = CountryFactory(iso3="SDN")
    assert case_open(actor=actor, incidents=[incident], host_state=sudan).host_state == sudan


def test_it_refuses_a_case_opened_before_the_attack(actor, make_incident):
    with pytest.raises(DomainError, match="cannot be opened before the attack"):
        case_open(actor=actor, incidents=[make_incident()], opened_on=days_ago(201))


def test_it_returns_the_existing_case_of_an_incident(actor, case):
    again = case_open_for_incident(actor=actor, incident=case.incidents.get())

    assert again.pk == case.pk
    assert Case.objects.count() == 1


def test_joining_an_incident_recomputes_the_attack_date_and_counts(actor, case, make_incident):
    earlier = make_incident(on=days_ago(201), outcomes=[Outcome.INJURED, Outcome.INJURED])

    case_join_incident(actor=actor, case=case, incident=earlier)

    case.refresh_from_db()
    assert case.attack_date == days_ago(201)
    assert (case.killed, case.injured) == (1, 2)
    assert AuditEntry.objects.filter(action="case.join_incident").exists()


def test_it_refuses_to_join_an_incident_of_another_mission(actor, case, make_incident):
    elsewhere = make_incident(mission=MissionFactory(acronym="TESTELSEWHERE"))

    with pytest.raises(DomainError, match="belongs to another mission"):
        case_join_incident(actor=actor, case=case, incident=elsewhere)


def test_it_refuses_to_join_an_incident_twice(actor, case):
    with pytest.raises(DomainError, match="already in this case"):
        case_join_incident(actor=actor, case=case, incident=case.incidents.get())


# --- investigations -------------------------------------------------------------------


def test_opening_an_investigation_moves_the_case_on(actor, case):
    investigation = open_investigation(actor, case, on=days_ago(150))

    case.refresh_from_db()
    assert investigation.status == IS.OPENED
    assert case.investigation_status == IS.OPENED
    assert case.investigation_opened_on == days_ago(150)
    assert case.last_progress_on == days_ago(150)
    assert case.stage == CaseStage.INVESTIGATION
    assert case.events.filter(kind="investigation_opened").exists()
    entry = AuditEntry.objects.get(action="investigation.open")
    assert entry.object_id == str(investigation.pk)


def test_the_earliest_investigation_dates_the_opening(actor, case):
    open_investigation(actor, case, on=days_ago(120))
    open_investigation(
        actor, case, on=days_ago(170), authority=InvestigatingAuthority.MILITARY_JUSTICE
    )

    case.refresh_from_db()
    assert case.investigation_opened_on == days_ago(170)
    assert case.last_progress_on == days_ago(120)


@pytest.mark.parametrize(
    ("opened_on", "source", "message"),
    [
        (days_ago(201), "PV", "cannot be dated before the attack"),
        (days_ago(-1), "PV", "cannot be dated in the future"),
        (days_ago(10), "  ", "needs a source"),
    ],
)
def test_it_refuses_an_investigation_badly_dated_or_unsourced(
    actor, case, opened_on, source, message
):
    with pytest.raises(DomainError, match=message):
        investigation_open(
            actor=actor, case=case, authority=POLICE, opened_on=opened_on, source=source
        )

    assert not case.investigations.exists()


@pytest.mark.parametrize(
    "path",
    [
        [IS.SUSPECTS_IDENTIFIED, IS.REFERRED_FOR_TRIAL],
        [IS.CLOSED_WITHOUT_CHARGE, IS.OPENED, IS.SUSPECTS_IDENTIFIED],
        [IS.SUSPECTS_IDENTIFIED, IS.CLOSED_WITHOUT_CHARGE, IS.OPENED],
    ],
)
def test_it_accepts_the_lawful_moves_of_an_investigation(actor, case, path):
    investigation = open_investigation(actor, case, on=days_ago(150))

    for offset, status in enumerate(path):
        investigation_update_status(
            actor=actor,
            investigation=investigation,
            status=status,
            on=days_ago(140 - offset),
            source="Lettre du procureur",
        )

    investigation.refresh_from_db()
    assert investigation.status == path[-1]
    assert AuditEntry.objects.filter(action="investigation.update_status").count() == len(path)


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ([], IS.REFERRED_FOR_TRIAL, "“opened” cannot become “referred for trial”"),
        ([], IS.OPENED, "“opened” cannot become “opened”"),
        ([IS.CLOSED_WITHOUT_CHARGE], IS.SUSPECTS_IDENTIFIED, "it can become opened"),
        ([IS.SUSPECTS_IDENTIFIED, IS.REFERRED_FOR_TRIAL], IS.CLOSED_WITHOUT_CHARGE, "it is over"),
    ],
)
def test_it_refuses_the_unlawful_moves_of_an_investigation(actor, case, path, status, message):
    investigation = open_investigation(actor, case)
    for step in path:
        investigation_update_status(
            actor=actor, investigation=investigation, status=step, on=days_ago(100), source="PV"
        )

    with pytest.raises(IllegalTransition, match=message):
        investigation_update_status(
            actor=actor, investigation=investigation, status=status, on=days_ago(90), source="PV"
        )


def test_it_refuses_a_change_dated_before_the_investigation_opened(actor, case):
    investigation = open_investigation(actor, case, on=days_ago(150))

    with pytest.raises(IllegalTransition, match=r"before its opening"):
        investigation_update_status(
            actor=actor,
            investigation=investigation,
            status=IS.SUSPECTS_IDENTIFIED,
            on=days_ago(151),
            source="PV",
        )


def test_closing_without_charge_closes_the_case_and_reopening_reopens_it(actor, case):
    investigation = open_investigation(actor, case)

    investigation_update_status(
        actor=actor,
        investigation=investigation,
        status=IS.CLOSED_WITHOUT_CHARGE,
        on=days_ago(60),
        source="Classement sans suite",
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CLOSED
    assert case.investigation_status == IS.CLOSED_WITHOUT_CHARGE
    assert case.last_progress_on == days_ago(60)

    investigation_update_status(
        actor=actor, investigation=investigation, status=IS.OPENED, on=days_ago(10), source="PV"
    )
    case.refresh_from_db()
    investigation.refresh_from_db()
    assert case.stage == CaseStage.INVESTIGATION
    assert investigation.closed_on is None


def test_a_closed_investigation_does_not_close_a_case_with_a_suspect_charged(actor, case):
    investigation = open_investigation(actor, case)
    suspect = suspect_identify(
        actor=actor, case=case, name="A. Ag Test", identified_on=days_ago(140), source="PV"
    )
    procedure_record_step(
        actor=actor, suspect=suspect, kind=K.CHARGED, occurred_on=days_ago(130), source="PV"
    )

    investigation_update_status(
        actor=actor,
        investigation=investigation,
        status=IS.CLOSED_WITHOUT_CHARGE,
        on=days_ago(60),
        source="PV",
    )

    case.refresh_from_db()
    assert case.stage == CaseStage.CHARGED


def test_the_case_shows_the_furthest_of_several_investigations(actor, case):
    police = open_investigation(actor, case)
    open_investigation(actor, case, authority=InvestigatingAuthority.PROSECUTOR)

    investigation_update_status(
        actor=actor,
        investigation=police,
        status=IS.CLOSED_WITHOUT_CHARGE,
        on=days_ago(100),
        source="PV",
    )

    case.refresh_from_db()
    assert case.investigation_status == IS.OPENED
    assert case.stage == CaseStage.INVESTIGATION


# --- suspects -------------------------------------------------------------------------


def test_identifying_a_suspect_records_the_first_step(actor, case):
    suspect = suspect_identify(
        actor=actor,
        case=case,
        name="Oumar Test",
        alias="Abou T.",
        identified_on=days_ago(120),
        source="Rapport de la gendarmerie",
    )

    step = ProcedureStep.objects.get(suspect=suspect)
    assert (step.kind, step.occurred_on) == (K.IDENTIFIED, days_ago(120))
    assert (suspect.status, suspect.status_since) == (K.IDENTIFIED, days_ago(120))
    case.refresh_from_db()
    assert case.stage == CaseStage.SUSPECTS_IDENTIFIED
    assert case.last_progress_on == days_ago(120)
    assert AuditEntry.objects.get(action="suspect.identify").object_id == str(suspect.pk)


def test_it_refuses_a_suspect_without_a_name(actor, case):
    with pytest.raises(DomainError, match="Give the suspect's name"):
        suspect_identify(actor=actor, case=case, name=" ", identified_on=days_ago(1), source="PV")


# --- follow-up ------------------------------------------------------------------------


def test_a_follow_up_is_recorded_on_the_timeline_but_is_not_progress(actor, case):
    follow_up = followup_record(
        actor=actor,
        case=case,
        sent_on=days_ago(30),
        channel=FollowUpChannel.NOTE_VERBALE,
        summary="Demande d'information sur l'enquête",
        response_due=days_ago(0),
    )

    case.refresh_from_db()
    assert case.last_progress_on is None
    assert case.events.filter(kind="follow_up").exists()
    assert AuditEntry.objects.get(action="follow_up.record").object_id == str(follow_up.pk)


def test_it_refuses_a_response_due_before_the_follow_up_was_sent(actor, case):
    with pytest.raises(DomainError, match="cannot be due before the follow-up was sent"):
        followup_record(
            actor=actor,
            case=case,
            sent_on=days_ago(30),
            channel=FollowUpChannel.LETTER,
            summary="Letter",
            response_due=days_ago(31),
        )


def test_it_records_a_response_once_and_not_before_the_follow_up(actor, case):
    follow_up = followup_record(
        actor=actor,
        case=case,
        sent_on=days_ago(30),
        channel=FollowUpChannel.MEETING,
        summary="Meeting with the Minister of Justice",
        response_due=days_ago(5),
    )
    assert list(FollowUp.objects.overdue()) == [follow_up]

    with pytest.raises(DomainError, match="before the follow-up was sent"):
        followup_record_response(
            actor=actor, follow_up=follow_up, received_on=days_ago(31), outcome="Reply"
        )

    followup_record_response(
        actor=actor, follow_up=follow_up, received_on=days_ago(2), outcome="Investigation opened"
    )
    assert not FollowUp.objects.overdue().exists()

    with pytest.raises(IllegalTransition, match="already recorded on"):
        followup_record_response(
            actor=actor, follow_up=follow_up, received_on=days_ago(1), outcome="Again"
        )


# --- capacity support -----------------------------------------------------------------


def test_it_records_capacity_support_for_cases_of_that_host_state(actor, case, host, mission):
    support = capacity_support_record(
        actor=actor,
        host_state=host,
        provided_on=days_ago(20),
        institution=Institution.JUDICIARY,
        kind=SupportKind.LOGISTICS,
        description="Transport of witnesses to the cour d'assises of Mopti",
        mission=mission,
        cases=[case],
    )

    assert list(support.cases.all()) == [case]
    assert case.events.filter(kind="capacity_support").exists()
    assert AuditEntry.objects.filter(action="capacity_support.record").exists()


@pytest.mark.parametrize(
    ("linked_to", "message"),
    [
        ("cases", "Case CASE-TESTMALI-.* falls under another host State than"),
        ("mission", "TESTMALI is not deployed in"),
    ],
)
def test_it_refuses_capacity_support_to_another_state_than_its_case_or_mission(
    actor, case, mission, linked_to, message
):
    """Support to Niger cannot be for a case in Mali, nor by a mission deployed in Mali."""
    niger = CountryFactory(iso3="NER")
    links = {"cases": [case], "mission": mission}

    with pytest.raises(DomainError, match=message):
        capacity_support_record(
            actor=actor,
            host_state=niger,
            provided_on=days_ago(20),
            institution=Institution.POLICE,
            kind=SupportKind.TRAINING,
            description="Training",
            **{linked_to: links[linked_to]},
        )

    assert not CapacitySupport.objects.exists()
    assert not case.events.filter(kind="capacity_support").exists()


# --- refresh and timeline -------------------------------------------------------------


def test_refreshing_a_case_recomputes_its_fields_from_the_rows(actor, case):
    open_investigation(actor, case, on=days_ago(150))
    Case.objects.filter(pk=case.pk).update(
        killed=9, stage=CaseStage.VERDICT, has_conviction=True, last_progress_on=None
    )

    case_refresh(case=case)

    case.refresh_from_db()
    assert case.killed == 1
    assert case.stage == CaseStage.INVESTIGATION
    assert case.has_conviction is False
    assert case.last_progress_on == days_ago(150)
    entry = AuditEntry.objects.get(action="case.refresh")
    assert entry.actor_name == "system"
    assert entry.changes["killed"] == [9, 1]


def test_refreshing_an_unchanged_case_writes_no_history(case):
    case_refresh(case=case)

    assert not AuditEntry.objects.filter(action="case.refresh").exists()


def test_refreshing_keeps_the_fields_of_a_case_without_incidents():
    case = CaseFactory(killed=0, injured=2, attack_date=days_ago(50))

    case_refresh(case=case)

    case.refresh_from_db()
    assert (case.killed, case.injured, case.attack_date) == (0, 2, days_ago(50))


def test_the_timeline_lists_events_and_steps_once_in_date_order(actor, case):
    open_investigation(actor, case, on=days_ago(150))
    suspect = suspect_identify(
        actor=actor, case=case, name="Oumar Test", identified_on=days_ago(140), source="PV"
    )
    procedure_record_step(
        actor=actor,
        suspect=suspect,
        kind=K.WARRANT_ISSUED,
        occurred_on=days_ago(145) + timedelta(days=10),
        source="Mandat",
        legal_term="mandat d'arrêt",
    )
    followup_record(
        actor=actor,
        case=case,
        sent_on=days_ago(160),
        channel=FollowUpChannel.LETTER,
        summary="Letter to the Minister",
    )

    timeline = case_timeline(case)

    assert [(entry.on, entry.kind) for entry in timeline] == [
        (days_ago(160), "follow_up"),
        (days_ago(150), "investigation_opened"),
        (days_ago(140), K.IDENTIFIED),
        (days_ago(135), K.WARRANT_ISSUED),
        (timezone.localdate(), "case_opened"),
    ]
    assert timeline[3].legal_term == "mandat d'arrêt"
    assert timeline[3].suspect == suspect
