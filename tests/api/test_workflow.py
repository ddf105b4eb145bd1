"""Workflow steps are POST actions that call the services; an illegal step is a 400 with
a machine-readable code and a readable message, and changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accountability.models import CapacitySupport, FollowUp, ProcedureStep

pytestmark = pytest.mark.django_db

# A moment recent enough to be after nothing and in no future.
RECENT = (datetime.now(UTC) - timedelta(days=30)).isoformat()


def test_an_incident_goes_from_draft_to_verified_through_the_api(client_for, world):
    client = client_for("staff_a")

    created = client.post(
        "/api/v1/incidents/",
        {
            "mission": world.mission_a.pk,
            "occurred_at": RECENT,
            "incident_type": "malicious_act",
            "attack_type": "ied",
            "place": "Kaga-Bandoro",
            "casualties": [{"category": "formed_police_unit", "outcome": "injured"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    reference = created.json()["reference"]
    assert reference.startswith("MINUSCA-")
    assert created.json()["status"] == "draft"

    casualty = client.post(
        f"/api/v1/incidents/{reference}/casualties/",
        {"category": "military_contingent", "outcome": "killed"},
        format="json",
    )
    assert casualty.status_code == 201, casualty.content
    submitted = client.post(f"/api/v1/incidents/{reference}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    # A malicious act that killed or injured: its case opened on submission.
    assert submitted.json()["case"].startswith("CASE-MINUSCA-")
    assert (submitted.json()["killed"], submitted.json()["injured"]) == (1, 1)

    # Four eyes: the submitter may not verify; another colleague does.
    own_check = client.post(f"/api/v1/incidents/{reference}/verify/")
    assert own_check.status_code == 400
    assert own_check.json()["code"] == "four_eyes"
    verified = client_for("admin").post(f"/api/v1/incidents/{reference}/verify/")
    assert verified.json()["status"] == "verified"


def test_submitting_twice_is_an_illegal_transition(client_for, world):
    response = client_for("staff_a").post(f"/api/v1/incidents/{world.incident_a.reference}/submit/")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert "Only a draft can be submitted" in body["detail"]


def test_a_verdict_before_a_trial_is_refused_and_nothing_is_recorded(client_for, world):
    response = client_for("legal_a").post(
        f"/api/v1/suspects/{world.suspect_a.pk}/steps/",
        {"kind": "convicted", "occurred_on": str(date.today()), "source": "Judgment"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "illegal_transition",
        "detail": "A verdict needs a trial opened; no trial has been opened for this suspect.",
        "field": "kind",
    }
    assert ProcedureStep.objects.filter(suspect=world.suspect_a).count() == 1


def test_a_legal_officer_walks_a_case_through_investigation_and_procedure(client_for, world):
    client = client_for("legal_a")
    case = world.case_a.reference
    today = str(date.today())

    investigation = client.post(
        f"/api/v1/cases/{case}/investigations/",
        {"authority": "prosecutor", "opened_on": today, "source": "Réquisitoire"},
        format="json",
    )
    assert investigation.status_code == 201, investigation.content
    moved = client.post(
        f"/api/v1/investigations/{investigation.json()['id']}/status/",
        {"status": "suspects_identified", "on": today, "source": "PV"},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "suspects_identified"
    again = client.post(
        f"/api/v1/investigations/{investigation.json()['id']}/status/",
        {"status": "opened", "on": today, "source": "PV"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "illegal_transition"

    suspect = client.post(
        f"/api/v1/cases/{case}/suspects/",
        {"name": "Idriss MAHAMAT", "identified_on": today, "source": "PV d'audition"},
        format="json",
    )
    assert suspect.status_code == 201, suspect.content
    assert suspect.json()["steps"][0]["kind"] == "identified"
    step = client.post(
        f"/api/v1/suspects/{suspect.json()['id']}/steps/",
        {"kind": "warrant_issued", "occurred_on": today, "source": "Mandat d'arrêt"},
        format="json",
    )
    assert step.status_code == 201, step.content
    assert step.json()["kind"] == "warrant_issued"

    detail = client.get(f"/api/v1/cases/{case}/").json()
    assert detail["stage"] == "suspects_identified"
    assert {s["name"] for s in detail["suspects"]} == {"Jean-Baptiste KOYAMBA", "Idriss MAHAMAT"}


def test_a_follow_up_response_is_recorded_once(client_for, world):
    client = client_for("legal_a")
    sent = date.today() - timedelta(days=3)
    created = client.post(
        f"/api/v1/cases/{world.case_a.reference}/follow-ups/",
        {
            "sent_on": str(sent),
            "channel": "note_verbale",
            "summary": "Request for the state of the procedure",
            "response_due": str(sent + timedelta(days=1)),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["overdue"] is True
    follow_up = created.json()["id"]
    assert client.get("/api/v1/follow-ups/", {"overdue": "true"}).json()["results"][0]["id"] == (
        follow_up
    )

    answer = {"received_on": str(date.today()), "outcome": "The file is with the prosecutor."}
    first = client.post(f"/api/v1/follow-ups/{follow_up}/response/", answer, format="json")
    second = client.post(f"/api/v1/follow-ups/{follow_up}/response/", answer, format="json")

    assert first.status_code == 200
    assert first.json()["overdue"] is False
    assert second.status_code == 400
    assert second.json()["code"] == "illegal_transition"
    assert FollowUp.objects.get(pk=follow_up).outcome == answer["outcome"]


def test_capacity_support_is_recorded_for_the_host_state(client_for, world):
    response = client_for("legal_a").post(
        "/api/v1/capacity-support/",
        {
            "host_state": world.host_a.pk,
            "mission": world.mission_a.pk,
            "provided_on": str(date.today()),
            "institution": "judiciary",
            "kind": "training",
            "description": "Training of investigating judges",
            "cases": [world.case_a.reference],
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["cases"] == [world.case_a.reference]
    # Another State's case is outside the legal officer's scope.
    refused = client_for("legal_a").post(
        "/api/v1/capacity-support/",
        {
            "host_state": world.host_b.pk,
            "provided_on": str(date.today()),
            "institution": "police",
            "kind": "training",
            "description": "x",
            "cases": [world.case_b.reference],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "out_of_scope"


def test_capacity_support_for_a_state_outside_ones_missions_is_refused(client_for, world):
    response = client_for("legal_a").post(
        "/api/v1/capacity-support/",
        {
            "host_state": world.host_b.pk,
            "provided_on": str(date.today()),
            "institution": "police",
            "kind": "training",
            "description": "Training of police officers",
        },
        format="json",
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("out_of_scope", "host_state")
    assert not CapacitySupport.objects.filter(host_state=world.host_b).exists()


def test_validation_errors_name_the_field(client_for, world):
    response = client_for("legal_a").post(
        f"/api/v1/cases/{world.case_a.reference}/follow-ups/",
        {"sent_on": "not a date", "channel": "pigeon"},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == "sent_on"
    assert set(body["errors"]) == {"sent_on", "channel", "summary"}


def test_filters_and_ordering_are_validated(client_for, world):
    client = client_for("admin")

    assert client.get("/api/v1/cases/", {"stage__in": "trial"}).status_code == 200
    assert client.get("/api/v1/cases/", {"impunity": "maybe"}).status_code == 400
    assert client.get("/api/v1/cases/", {"ordering": "summary"}).status_code == 400
    assert client.get("/api/v1/cases/", {"page_size": 501}).status_code == 400
    ordered = client.get("/api/v1/cases/", {"ordering": "attack_date"}).json()["results"]
    assert [c["reference"] for c in ordered] == [world.case_a.reference, world.case_b.reference]
    impunity = client.get("/api/v1/cases/", {"impunity": "true"}).json()["results"]
    assert all(c["impunity"] for c in impunity)


def test_cursor_pages_follow_each_other(client_for, world):
    client = client_for("admin")

    first = client.get("/api/v1/cases/", {"page_size": 1}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert second["next"] is None
