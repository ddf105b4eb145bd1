"""The incidents services: references, validation, workflow, casualties, groups (evidence:
test_evidence.py)."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accountability.choices import CaseStage, InvestigationStatus
from accountability.models import Case
from incidents.choices import (
    AttackType,
    IncidentSource,
    IncidentStatus,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.models import Casualty, Incident
from incidents.services import (
    armed_group_add_alias,
    armed_group_create,
    casualty_add,
    casualty_remove,
    incident_submit,
    incident_update,
    incident_verify,
)
from missions.choices import PersonnelCategory
from peacekeeping.errors import DomainError, IllegalTransition, StaleVersion
from peacekeeping.models import AuditEntry
from tests.factories import (
    CountryFactory,
    IncidentFactory,
    MissionFactory,
    PersonnelFactory,
    UserFactory,
)
from tests.incidents.helpers import INJURED, KILLED, at, record

pytestmark = pytest.mark.django_db

# --- recording ------------------------------------------------------------------------


def test_it_numbers_references_per_mission_and_year(actor, mission):
    other = MissionFactory(acronym="TESTOTHER")

    first = record(actor, mission)
    second = record(actor, mission, occurred_at=at(2024, 9))
    earlier_year = record(actor, mission, occurred_at=at(2023))
    other_mission = record(actor, other)

    assert first.reference == "TESTMALI-2024-0001"
    assert second.reference == "TESTMALI-2024-0002"
    assert earlier_year.reference == "TESTMALI-2023-0001"
    assert other_mission.reference == "TESTOTHER-2024-0001"


def test_it_numbers_on_from_the_highest_reference_in_use(actor, mission):
    IncidentFactory(mission=mission, reference="TESTMALI-2024-0041")
    IncidentFactory(mission=mission, reference="TESTMALI-2024-0007")

    assert record(actor, mission).reference == "TESTMALI-2024-0042"


def test_it_does_not_count_a_longer_acronym_sharing_the_prefix(actor, mission):
    IncidentFactory(reference="TESTMALIX-2024-0099")

    assert record(actor, mission).reference == "TESTMALI-2024-0001"


def test_it_rejects_an_incident_dated_in_the_future(actor, mission):
    with pytest.raises(DomainError, match="cannot be dated in the future") as error:
        record(actor, mission, occurred_at=timezone.now() + timedelta(hours=2))

    assert error.value.field == "occurred_at"
    assert not Incident.objects.exists()


def test_it_stores_a_bare_date_as_midnight_utc(actor, mission):
    incident = record(actor, mission, occurred_at=date(2024, 3, 5))

    assert incident.occurred_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert incident.occurred_on == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        (Decimal("16.27"), None, "both the latitude and the longitude"),
        (None, Decimal("-0.04"), "both the latitude and the longitude"),
        (Decimal("90.5"), Decimal("1"), "latitude must lie between -90 and 90"),
        (Decimal("12"), Decimal("-180.01"), "longitude must lie between -180 and 180"),
        ("north", "1", "is not a number"),
    ],
)
def test_it_rejects_coordinates_out_of_range_or_incomplete(
    actor, mission, latitude, longitude, message
):
    with pytest.raises(DomainError, match=message):
        record(actor, mission, latitude=latitude, longitude=longitude)


def test_it_keeps_coordinates_at_the_edge_of_the_range(actor, mission):
    incident = record(actor, mission, latitude=Decimal("-90"), longitude=Decimal("180"))

    incident.refresh_from_db()
    assert (incident.latitude, incident.longitude) == (Decimal("-90"), Decimal("180"))


def test_it_rejects_an_exact_location_without_coordinates(actor, mission):
    with pytest.raises(DomainError, match="exact location needs coordinates"):
        record(actor, mission, location_precision=LocationPrecision.EXACT)


def test_it_rejects_an_attack_type_for_an_accident(actor, mission):
    with pytest.raises(DomainError, match="attack type is only for malicious acts"):
        record(actor, mission, incident_type=IncidentType.ACCIDENT, attack_type=AttackType.IED)


def test_it_rejects_an_unknown_incident_type(actor, mission):
    with pytest.raises(DomainError, match="not a known incident type"):
        record(actor, mission, incident_type="alien_abduction", attack_type="")


def test_it_defaults_the_country_to_the_missions_only_host(actor, mission, mali):
    assert record(actor, mission).country == mali


def test_it_leaves_the_country_open_when_the_mission_has_several_hosts(actor):
    mission = MissionFactory(
        acronym="TESTTWO", host_countries=[CountryFactory(iso3="SDN"), CountryFactory(iso3="SSD")]
    )

    assert record(actor, mission).country is None


def test_it_keeps_the_host_country_given(actor, mali):
    niger = CountryFactory(iso3="NER")
    mission = MissionFactory(acronym="TESTSAHEL", host_countries=[mali, niger])

    assert record(actor, mission, country=niger).country == niger


def test_it_refuses_a_country_that_does_not_host_the_mission(actor, mission):
    niger = CountryFactory(iso3="NER")

    with pytest.raises(DomainError, match="not a host country of TESTMALI"):
        record(actor, mission, country=niger)


def test_it_marks_the_perpetrator_unknown_unless_groups_are_named(actor, mission):
    group = armed_group_create(actor=actor, name="Katiba Test")

    unknown = record(actor, mission)
    known = record(actor, mission, perpetrators=[group])

    assert unknown.perpetrator_unknown is True
    assert known.perpetrator_unknown is False
    assert list(known.perpetrators.all()) == [group]


def test_it_records_the_casualties_given_with_the_incident(actor, mission):
    incident = record(actor, mission, casualties=[KILLED, INJURED])

    assert sorted(incident.casualties.values_list("outcome", flat=True)) == [
        Outcome.INJURED,
        Outcome.KILLED,
    ]


def test_it_audits_the_recording_of_an_incident_and_its_casualties(actor, mission):
    incident = record(actor, mission)

    entry = AuditEntry.objects.get(action="incident.record")
    assert entry.actor == actor
    assert entry.object_id == str(incident.pk)
    assert entry.changes["reference"] == [None, incident.reference]
    assert AuditEntry.objects.filter(action="casualty.add").count() == 1


def test_a_manually_recorded_incident_waits_for_submission_before_its_case(actor, mission):
    incident = record(actor, mission)

    assert incident.status == IncidentStatus.DRAFT
    assert not Case.objects.exists()


def test_an_imported_deadly_attack_gets_its_case_at_once(actor, mission):
    incident = record(actor, mission, source=IncidentSource.UN_FATALITIES_FILE)

    case = Case.objects.get(incidents=incident)
    assert case.opened_by_import is True
    assert case.investigation_status == InvestigationStatus.UNKNOWN
    assert case.killed == 1


# --- updating -------------------------------------------------------------------------


def test_it_bumps_the_version_and_audits_the_changed_fields(actor, mission):
    incident = record(actor, mission, place="Aguelhok")

    incident_update(actor=actor, incident=incident, expected_version=1, place="Tessalit")

    incident.refresh_from_db()
    assert incident.place == "Tessalit"
    assert incident.version == 2
    entry = AuditEntry.objects.get(action="incident.update")
    assert entry.changes["place"] == ["Aguelhok", "Tessalit"]
    assert entry.changes["version"] == [1, 2]


def test_it_refuses_an_update_based_on_a_stale_version(actor, mission):
    incident = record(actor, mission, place="Aguelhok")
    incident_update(actor=actor, incident=incident, place="Tessalit")

    with pytest.raises(StaleVersion, match="changed by someone else"):
        incident_update(actor=actor, incident=incident, expected_version=1, place="Kidal")

    incident.refresh_from_db()
    assert incident.place == "Tessalit"


def test_it_refuses_to_edit_a_verified_incident(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)
    incident_verify(actor=UserFactory(username="checker"), incident=incident)

    with pytest.raises(DomainError, match="is verified; editing it is no longer possible"):
        incident_update(actor=actor, incident=incident, narrative="Rewritten")


def test_it_refuses_to_move_an_incident_to_another_mission(actor, mission):
    incident = record(actor, mission)

    with pytest.raises(DomainError, match="cannot be edited: mission"):
        incident_update(actor=actor, incident=incident, mission=MissionFactory())


def test_it_validates_the_fields_as_changed_together(actor, mission):
    incident = record(actor, mission)

    with pytest.raises(DomainError, match="attack type is only for malicious acts"):
        incident_update(actor=actor, incident=incident, incident_type=IncidentType.ACCIDENT)

    incident_update(
        actor=actor, incident=incident, incident_type=IncidentType.ACCIDENT, attack_type=""
    )
    incident.refresh_from_db()
    assert incident.incident_type == IncidentType.ACCIDENT


def test_an_update_that_changes_nothing_keeps_the_version(actor, mission):
    incident = record(actor, mission, place="Gao")

    incident_update(actor=actor, incident=incident, place="Gao")

    incident.refresh_from_db()
    assert incident.version == 1
    assert not AuditEntry.objects.filter(action="incident.update").exists()


def test_moving_the_date_of_an_incident_moves_its_case(actor, mission):
    incident = record(actor, mission, occurred_at=at(2024, 6, 1))
    incident_submit(actor=actor, incident=incident)

    incident_update(actor=actor, incident=incident, occurred_at=at(2024, 5, 20))

    assert Case.objects.get(incidents=incident).attack_date == date(2024, 5, 20)


def test_it_keeps_an_incident_in_a_case_a_malicious_act(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)

    with pytest.raises(DomainError, match="is part of case CASE-TESTMALI-2024-0001"):
        incident_update(
            actor=actor, incident=incident, incident_type=IncidentType.ACCIDENT, attack_type=""
        )


def test_reclassifying_a_submitted_accident_as_an_attack_opens_its_case(actor, mission):
    incident = record(actor, mission, incident_type=IncidentType.ACCIDENT, attack_type="")
    incident_submit(actor=actor, incident=incident)
    assert not Case.objects.exists()

    incident_update(
        actor=actor,
        incident=incident,
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
    )

    assert Case.objects.filter(incidents=incident).exists()


# --- workflow -------------------------------------------------------------------------


def test_it_refuses_to_submit_an_incident_without_casualties(actor, mission):
    incident = record(actor, mission, casualties=[])

    with pytest.raises(IllegalTransition, match="has no casualty"):
        incident_submit(actor=actor, incident=incident)


def test_it_refuses_to_submit_an_incident_twice(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)

    with pytest.raises(IllegalTransition, match="Only a draft can be submitted"):
        incident_submit(actor=actor, incident=incident)


def test_submitting_a_deadly_malicious_act_opens_its_case(actor, mission, mali):
    incident = record(actor, mission, casualties=[KILLED, INJURED])

    incident_submit(actor=actor, incident=incident)

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED
    assert incident.submitted_by == actor
    case = Case.objects.get(incidents=incident)
    assert (case.killed, case.injured) == (1, 1)
    assert case.host_state == mali
    assert case.stage == CaseStage.NO_INVESTIGATION
    assert case.opened_by_import is False
    assert AuditEntry.objects.filter(action="incident.submit", object_id=str(incident.pk)).exists()


@pytest.mark.parametrize(
    ("incident_type", "attack_type", "outcome"),
    [
        (IncidentType.ACCIDENT, "", Outcome.KILLED),
        (IncidentType.ILLNESS, "", Outcome.KILLED),
        (IncidentType.MALICIOUS_ACT, AttackType.ABDUCTION, Outcome.ABDUCTED),
    ],
)
def test_submitting_opens_no_case_unless_a_malicious_act_killed_or_injured(
    actor, mission, incident_type, attack_type, outcome
):
    incident = record(
        actor,
        mission,
        incident_type=incident_type,
        attack_type=attack_type,
        casualties=[{**KILLED, "outcome": outcome}],
    )

    incident_submit(actor=actor, incident=incident)

    assert not Case.objects.exists()


def test_it_refuses_to_verify_a_draft(actor, mission):
    incident = record(actor, mission)

    with pytest.raises(IllegalTransition, match="Only a submitted incident can be verified"):
        incident_verify(actor=actor, incident=incident)


def test_it_verifies_a_submitted_incident(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)
    verifier = UserFactory(username="verifier")

    incident_verify(actor=verifier, incident=incident)

    incident.refresh_from_db()
    assert incident.status == IncidentStatus.VERIFIED
    assert incident.verified_by == verifier
    assert incident.verified_at is not None
    assert AuditEntry.objects.get(action="incident.verify").actor == verifier


def test_it_refuses_to_verify_twice(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)
    incident_verify(actor=UserFactory(username="checker"), incident=incident)

    with pytest.raises(IllegalTransition, match="is verified"):
        incident_verify(actor=UserFactory(username="checker2"), incident=incident)


# --- casualties -----------------------------------------------------------------------


def test_a_known_peacekeeper_lends_the_casualty_their_category_and_nationality(actor, mission):
    incident = record(actor, mission, casualties=[])
    peacekeeper = PersonnelFactory(category=PersonnelCategory.INDIVIDUAL_POLICE)

    casualty = casualty_add(
        actor=actor, incident=incident, personnel=peacekeeper, outcome=Outcome.INJURED
    )

    assert casualty.category == PersonnelCategory.INDIVIDUAL_POLICE
    assert casualty.nationality == peacekeeper.nationality


def test_it_refuses_the_same_peacekeeper_twice_in_one_incident(actor, mission):
    incident = record(actor, mission, casualties=[])
    peacekeeper = PersonnelFactory()
    casualty_add(actor=actor, incident=incident, personnel=peacekeeper, outcome=Outcome.INJURED)

    with pytest.raises(DomainError, match="already a casualty"):
        casualty_add(actor=actor, incident=incident, personnel=peacekeeper, outcome=Outcome.KILLED)


def test_it_needs_a_category_for_an_unnamed_casualty(actor, mission):
    incident = record(actor, mission, casualties=[])

    with pytest.raises(DomainError, match="Give the person's category"):
        casualty_add(actor=actor, incident=incident, outcome=Outcome.KILLED)


def test_it_rejects_a_date_of_death_for_someone_injured(actor, mission):
    incident = record(actor, mission, casualties=[])

    with pytest.raises(DomainError, match="only for someone killed"):
        casualty_add(actor=actor, incident=incident, date_of_death=date(2024, 6, 3), **INJURED)


def test_it_rejects_a_date_of_death_before_the_incident(actor, mission):
    incident = record(actor, mission, occurred_at=at(2024, 6, 1), casualties=[])

    with pytest.raises(DomainError, match=r"cannot be before the incident \(2024-06-01\)"):
        casualty_add(actor=actor, incident=incident, date_of_death=date(2024, 5, 31), **KILLED)

    later = casualty_add(actor=actor, incident=incident, date_of_death=date(2024, 6, 1), **KILLED)
    assert later.date_of_death == date(2024, 6, 1)


def test_it_refuses_a_casualty_on_a_verified_incident(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)
    incident_verify(actor=UserFactory(username="checker"), incident=incident)

    with pytest.raises(DomainError, match="adding a casualty is no longer possible"):
        casualty_add(actor=actor, incident=incident, **INJURED)


def test_a_casualty_added_after_submission_is_counted_in_the_case(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)

    casualty_add(actor=actor, incident=incident, **INJURED)

    case = Case.objects.get(incidents=incident)
    assert (case.killed, case.injured) == (1, 1)


def test_it_keeps_the_last_casualty_of_a_submitted_incident(actor, mission):
    incident = record(actor, mission)
    incident_submit(actor=actor, incident=incident)

    with pytest.raises(DomainError, match="must keep at least one casualty"):
        casualty_remove(actor=actor, casualty=incident.casualties.get())


def test_removing_a_casualty_is_audited_and_recounted(actor, mission):
    incident = record(actor, mission, casualties=[KILLED, INJURED])
    incident_submit(actor=actor, incident=incident)
    injured = incident.casualties.get(outcome=Outcome.INJURED)
    injured_pk = injured.pk

    casualty_remove(actor=actor, casualty=injured)

    assert not Casualty.objects.filter(pk=injured_pk).exists()
    entry = AuditEntry.objects.get(action="casualty.remove")
    assert entry.object_id == str(injured_pk)
    assert entry.changes["outcome"] == [Outcome.INJURED, None]
    assert Case.objects.get(incidents=incident).injured == 0


# --- armed groups ---------------------------------------------------------------------


def test_it_registers_an_armed_group_with_its_aliases(actor):
    group = armed_group_create(actor=actor, name="Jama'at Test", aliases=["JT", "Test Front"])

    assert sorted(group.aliases.values_list("alias", flat=True)) == ["JT", "Test Front"]
    assert AuditEntry.objects.filter(action="armed_group.add_alias").count() == 2


@pytest.mark.parametrize("name", ["jama'at test", "jt"])
def test_it_refuses_a_name_already_in_the_register(actor, name):
    armed_group_create(actor=actor, name="Jama'at Test", aliases=["JT"])

    with pytest.raises(DomainError, match="already in the register, as Jama'at Test"):
        armed_group_create(actor=actor, name=name)


def test_it_refuses_an_alias_that_names_another_group(actor):
    first = armed_group_create(actor=actor, name="First Group")
    second = armed_group_create(actor=actor, name="Second Group")

    with pytest.raises(DomainError, match="already a name of First Group"):
        armed_group_add_alias(actor=actor, armed_group=second, alias="first group")

    armed_group_add_alias(actor=actor, armed_group=first, alias="FG")
    with pytest.raises(DomainError, match="already a name of this group"):
        armed_group_add_alias(actor=actor, armed_group=first, alias="fg")


# --- concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clerks_recording_at_the_same_moment_get_distinct_references(needs_postgres, mission):
    clerks, per_clerk = 6, 3
    barrier = threading.Barrier(clerks)
    errors: list[BaseException] = []

    def clerk():
        try:
            barrier.wait()
            for _ in range(per_clerk):
                record(None, mission)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    references = sorted(
        Incident.objects.filter(mission=mission).values_list("reference", flat=True)
    )
    assert references == [f"TESTMALI-2024-{n:04d}" for n in range(1, clerks * per_clerk + 1)]
