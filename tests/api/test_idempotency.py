"""The API's Idempotency-Key: a retried POST gets the first answer and records nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from incidents.models import Incident
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db

RECENT = (datetime.now(UTC) - timedelta(days=5)).isoformat()


def _body(world, **overrides):
    return {
        "mission": world.mission_a.pk,
        "occurred_at": RECENT,
        "incident_type": "malicious_act",
        "attack_type": "ambush",
        "place": "Ndélé",
        "casualties": [{"category": "military_contingent", "outcome": "killed"}],
        **overrides,
    }


def _post(client, body, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/incidents/", body, format="json", **headers)


def test_a_retry_with_the_same_key_returns_the_same_incident(client_for, world):
    client = client_for("staff_a")
    key = str(uuid.uuid4())

    first = _post(client, _body(world), key)
    retry = _post(client, _body(world), key)

    assert first.status_code == 201, first.content
    assert retry.status_code == 201, retry.content
    assert retry.json()["reference"] == first.json()["reference"]
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Incident.objects.filter(place="Ndélé").count() == 1
    incident = Incident.objects.get(place="Ndélé")
    assert (
        AuditEntry.objects.filter(action="incident.record", object_id=str(incident.pk)).count() == 1
    )


def test_a_replay_gets_the_first_answer_even_if_its_body_would_now_be_refused(client_for, world):
    client = client_for("staff_a")
    key = str(uuid.uuid4())
    first = _post(client, _body(world), key)

    retry = _post(client, {"mission": world.mission_a.pk}, key)

    assert retry.status_code == 201
    assert retry.json()["reference"] == first.json()["reference"]


def test_new_keys_record_new_incidents(client_for, world):
    client = client_for("staff_a")

    _post(client, _body(world), str(uuid.uuid4()))
    _post(client, _body(world), str(uuid.uuid4()))
    _post(client, _body(world), None)

    assert Incident.objects.filter(place="Ndélé").count() == 3


def test_another_users_key_never_returns_this_users_incident(client_for, world):
    from missions.choices import Role
    from missions.services import membership_grant
    from tests.factories import UserFactory

    colleague = UserFactory(username="staff_a2")
    membership_grant(
        actor=world.users["admin"], user=colleague, mission=world.mission_a, role=Role.MISSION_STAFF
    )
    world.users["staff_a2"] = colleague
    key = str(uuid.uuid4())

    mine = _post(client_for("staff_a"), _body(world), key)
    theirs = _post(client_for("staff_a2"), _body(world), key)

    assert theirs.status_code == 201
    assert theirs.json()["reference"] != mine.json()["reference"]
    assert "Idempotent-Replayed" not in theirs


def test_a_key_that_is_not_a_uuid_is_a_clear_400(client_for, world):
    response = _post(client_for("staff_a"), _body(world), "once")

    assert response.status_code == 400
    assert "is not a UUID" in response.json()["detail"]
    assert not Incident.objects.filter(place="Ndélé").exists()
