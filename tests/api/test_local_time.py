"""Incident times through the API as on the incident page: `occurred_at` in UTC, beside it
the mission's time zone and the time as the mission's people read the clock; a time sent
without an offset is the mission's local time, as the incident form reads it."""

from datetime import UTC, datetime

import pytest

from incidents.choices import DatePrecision
from incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def timed(world):
    """MINUSCA's incident at 13:30 UTC, 14:30 in Bangui (UTC+1, no daylight saving)."""
    incident = world.incident_a
    Incident.objects.filter(pk=incident.pk).update(
        occurred_at=datetime(2026, 3, 10, 13, 30, tzinfo=UTC),
        date_precision=DatePrecision.EXACT,
    )
    return incident


def test_an_incident_reads_in_the_missions_zone_with_the_zone_named(client_for, timed):
    body = client_for("analyst_all").get(f"/api/v1/incidents/{timed.reference}/").json()

    assert body["occurred_at"] == "2026-03-10T13:30:00Z"
    assert body["time_zone"] == "Africa/Bangui"
    assert body["occurred_at_local"] == "2026-03-10T14:30:00+01:00"


def test_the_list_gives_the_same_local_time_as_the_detail(client_for, timed):
    client = client_for("analyst_all")
    rows = client.get("/api/v1/incidents/?mission=MINUSCA").json()["results"]
    detail = client.get(f"/api/v1/incidents/{timed.reference}/").json()

    row = next(r for r in rows if r["reference"] == timed.reference)
    assert row["time_zone"] == detail["time_zone"] == "Africa/Bangui"
    assert row["occurred_at_local"] == detail["occurred_at_local"] == "2026-03-10T14:30:00+01:00"


def test_a_day_without_a_time_has_no_local_time(client_for, world):
    Incident.objects.filter(pk=world.incident_a.pk).update(date_precision=DatePrecision.DAY)

    body = client_for("analyst_all").get(f"/api/v1/incidents/{world.incident_a.reference}/")

    assert body.json()["occurred_at_local"] is None
    assert body.json()["time_zone"] == "Africa/Bangui"


def _record(client, world, occurred_at: str):
    response = client.post(
        "/api/v1/incidents/",
        {
            "mission": world.mission_a.pk,
            "occurred_at": occurred_at,
            "date_precision": "exact",
            "incident_type": "malicious_act",
            "attack_type": "ied",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_time_sent_without_an_offset_is_the_missions_local_time(client_for, world):
    body = _record(client_for("staff_a"), world, "2026-03-10T14:30:00")

    assert Incident.objects.get(reference=body["reference"]).occurred_at == datetime(
        2026, 3, 10, 13, 30, tzinfo=UTC
    )
    assert body["occurred_at_local"] == "2026-03-10T14:30:00+01:00"


def test_a_time_sent_with_an_offset_is_read_as_given(client_for, world):
    body = _record(client_for("staff_a"), world, "2026-03-10T14:30:00Z")

    assert body["occurred_at"] == "2026-03-10T14:30:00Z"
    assert body["occurred_at_local"] == "2026-03-10T15:30:00+01:00"


def test_an_edit_without_an_offset_is_read_in_the_incidents_missions_zone(client_for, world):
    client = client_for("staff_a")
    reference = _record(client, world, "2026-03-10T14:30:00Z")["reference"]

    response = client.patch(
        f"/api/v1/incidents/{reference}/",
        {"occurred_at": "2026-03-11T08:00:00", "incident_type": "malicious_act"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["occurred_at"] == "2026-03-11T07:00:00Z"
