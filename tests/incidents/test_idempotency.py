"""One submission, one incident: recording under an idempotency key (service level)."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import Incident
from incidents.services import incident_record_once
from missions.choices import PersonnelCategory
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditEntry
from tests.factories import MissionFactory, UserFactory

KILLED = {"category": PersonnelCategory.MILITARY_CONTINGENT, "outcome": Outcome.KILLED}


@pytest.fixture
def mission():
    return MissionFactory(acronym="TESTIDEM")


def _fields(mission, **overrides):
    return {
        "mission": mission,
        "occurred_at": datetime.now(UTC) - timedelta(days=3),
        "incident_type": IncidentType.MALICIOUS_ACT,
        "attack_type": AttackType.AMBUSH,
        "place": "Kidal",
        "casualties": [KILLED],
        **overrides,
    }


@pytest.mark.django_db
def test_a_replayed_key_returns_the_first_incident_and_records_nothing(mission):
    clerk = UserFactory()
    key = uuid.uuid4()

    first, created = incident_record_once(actor=clerk, idempotency_key=key, **_fields(mission))
    again, created_again = incident_record_once(
        actor=clerk, idempotency_key=str(key), **_fields(mission, place="Somewhere else")
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.place == "Kidal"
    assert Incident.objects.filter(mission=mission).count() == 1
    assert first.casualties.count() == 1
    # One recording in the audit trail, not two.
    assert AuditEntry.objects.filter(action="incident.record", object_id=str(first.pk)).count() == 1


@pytest.mark.django_db
def test_the_same_key_from_another_user_is_another_submission(mission):
    key = uuid.uuid4()

    mine, _ = incident_record_once(actor=UserFactory(), idempotency_key=key, **_fields(mission))
    theirs, created = incident_record_once(
        actor=UserFactory(), idempotency_key=key, **_fields(mission)
    )

    assert created is True
    assert theirs.pk != mine.pk


@pytest.mark.django_db
def test_without_a_key_each_call_records(mission):
    clerk = UserFactory()

    incident_record_once(actor=clerk, idempotency_key=None, **_fields(mission))
    incident_record_once(actor=clerk, idempotency_key="", **_fields(mission))

    assert Incident.objects.filter(mission=mission).count() == 2


@pytest.mark.django_db
def test_a_key_that_is_not_a_uuid_is_refused_and_records_nothing(mission):
    with pytest.raises(DomainError, match="is not a UUID"):
        incident_record_once(actor=UserFactory(), idempotency_key="twice", **_fields(mission))

    assert not Incident.objects.filter(mission=mission).exists()


@pytest.mark.django_db
def test_a_refused_submission_leaves_its_key_free(mission):
    clerk = UserFactory()
    key = uuid.uuid4()
    with pytest.raises(DomainError):
        incident_record_once(
            actor=clerk,
            idempotency_key=key,
            **_fields(mission, incident_type=IncidentType.ACCIDENT),  # with an attack type
        )

    incident, created = incident_record_once(actor=clerk, idempotency_key=key, **_fields(mission))

    assert created is True
    assert incident.idempotency_key == key


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_copies_of_one_submission_arriving_together_record_one_incident(needs_postgres, mission):
    clerk = UserFactory()
    key = uuid.uuid4()
    copies = 4
    barrier = threading.Barrier(copies)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def send():
        try:
            barrier.wait()
            incident, created = incident_record_once(
                actor=clerk, idempotency_key=key, **_fields(mission)
            )
            results.append((incident.pk, created))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({pk for pk, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (copies - 1) + [True]
    assert Incident.objects.filter(mission=mission).count() == 1
