"""Optimistic concurrency: detail answers carry an ETag; a stale If-Match is a 412 and
changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest

pytestmark = pytest.mark.django_db

# A moment recent enough to be after nothing and in no future.
RECENT = (datetime.now(UTC) - timedelta(days=30)).isoformat()


def test_detail_answers_carry_an_etag_from_the_version(client_for, world):
    client = client_for("admin")

    incident = client.get(f"/api/v1/incidents/{world.incident_a.reference}/")
    case = client.get(f"/api/v1/cases/{world.case_a.reference}/")
    suspect = client.get(f"/api/v1/suspects/{world.suspect_a.pk}/")

    assert incident["ETag"] == f'"v{world.incident_a.version}"'
    assert case["ETag"] == f'"v{world.case_a.version}"'
    assert suspect["ETag"].startswith('"') and len(suspect["ETag"]) > 10


def test_an_update_with_a_stale_if_match_is_412_and_changes_nothing(client_for, world):
    client = client_for("staff_a")
    url = f"/api/v1/incidents/{world.incident_a.reference}/"
    read = client.get(url)["ETag"]
    # Someone else changes the incident meanwhile.
    assert client.patch(url, {"place": "Bria"}, format="json").status_code == 200

    stale = client.patch(url, {"place": "Bossangoa"}, format="json", HTTP_IF_MATCH=read)

    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    world.incident_a.refresh_from_db()
    assert world.incident_a.place == "Bria"
    assert world.incident_a.version == 3


def test_an_update_with_the_current_etag_succeeds_and_returns_the_next_one(client_for, world):
    client = client_for("staff_a")
    url = f"/api/v1/incidents/{world.incident_a.reference}/"
    etag = client.get(url)["ETag"]

    response = client.patch(url, {"place": "Bria"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] == '"v3"'
    assert response.json()["place"] == "Bria"


def test_put_replaces_the_facts(client_for, world):
    client = client_for("staff_a")
    url = f"/api/v1/incidents/{world.incident_a.reference}/"

    response = client.put(
        url,
        {"occurred_at": RECENT, "incident_type": "malicious_act"},
        format="json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )

    assert response.status_code == 200, response.content
    assert response.json()["place"] == ""
    assert response.json()["attack_type"] == ""


def test_a_workflow_step_with_a_stale_if_match_is_412_and_records_nothing(client_for, world):
    client = client_for("legal_a")
    case = world.case_a
    stale = f'"v{case.version - 1}"'

    response = client.post(
        f"/api/v1/cases/{case.reference}/follow-ups/",
        {"sent_on": str(date.today()), "channel": "letter", "summary": "Reminder"},
        format="json",
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert case.follow_ups.count() == 1


def test_if_match_star_always_matches(client_for, world):
    response = client_for("staff_a").post(
        f"/api/v1/incidents/{world.incident_a.reference}/verify/", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "verified"


def test_a_case_edit_with_a_stale_if_match_is_412_and_changes_nothing(client_for, world):
    client = client_for("legal_a")
    url = f"/api/v1/cases/{world.case_a.reference}/"
    read = client.get(url)["ETag"]
    first = client.patch(url, {"summary": "Ambush on Route 7"}, format="json", HTTP_IF_MATCH=read)
    assert first.status_code == 200, first.content
    assert first["ETag"] != read

    second = client.patch(url, {"summary": "Overwritten"}, format="json", HTTP_IF_MATCH=read)

    assert second.status_code == 412
    world.case_a.refresh_from_db()
    assert world.case_a.summary == "Ambush on Route 7"


def test_a_case_focal_point_must_be_a_member_of_its_mission(client_for, world):
    client = client_for("legal_a")
    url = f"/api/v1/cases/{world.case_a.reference}/"

    outsider = client.patch(url, {"focal_point": world.users["staff_b"].pk}, format="json")
    member = client.patch(url, {"focal_point": world.users["staff_a"].pk}, format="json")

    assert outsider.status_code == 400
    assert outsider.json()["code"] == "out_of_scope"
    assert member.status_code == 200
    assert member.json()["focal_point"] == world.users["staff_a"].pk
    assert member.json()["suspects"][0]["name"] == "Jean-Baptiste KOYAMBA"
