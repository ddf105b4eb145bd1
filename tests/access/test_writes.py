"""Writes are refused outside the user's scope, and a session ends for good at logout."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accountability.models import ProcedureStep
from incidents.models import Incident
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(world, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def incident_post(mission) -> dict:
    return {
        "mission": mission.pk,
        "occurred_date": "2026-01-10",
        "occurred_time": "08:00",
        "date_precision": "day",
        "incident_type": "accident",
        "location_precision": "near",
        "place": "Bangui",
        "narrative": "Vehicle accident",
        "action": "draft",
        "casualties-TOTAL_FORMS": "0",
        "casualties-INITIAL_FORMS": "0",
        "casualties-MIN_NUM_FORMS": "0",
        "casualties-MAX_NUM_FORMS": "1000",
    }


def test_mission_staff_cannot_log_an_incident_for_another_mission(world):
    client = signed_in(world, "staff_b")
    before = Incident.objects.filter(mission=world.mission_a).count()

    response = client.post(reverse("incidents:incident_create"), incident_post(world.mission_a))

    assert response.status_code in {400, 403}
    assert Incident.objects.filter(mission=world.mission_a).count() == before


def test_mission_staff_can_log_an_incident_for_their_own_mission(world):
    client = signed_in(world, "staff_b")

    response = client.post(reverse("incidents:incident_create"), incident_post(world.mission_b))

    assert response.status_code == 302
    assert Incident.objects.filter(mission=world.mission_b, place="Bangui").exists()


@pytest.mark.parametrize(
    ("persona", "case", "suspect", "status"),
    [
        # Another mission's suspect, under its own case: not in scope, so 404.
        ("legal_a", "case_b", "suspect_b", 404),
        # Mission B's suspect id under mission A's case reference: still 404.
        ("legal_a", "case_a", "suspect_b", 404),
        # A read-only persona sees the suspect but may not write: 403.
        ("analyst_a", "case_a", "suspect_a", 403),
    ],
    ids=[
        "a_legal_officer_on_another_missions_suspect",
        "another_cases_suspect_under_ones_own_case",
        "a_read_only_persona_on_a_suspect_it_can_see",
    ],
)
def test_recording_a_step_outside_ones_scope_or_role_is_refused(
    world, persona, case, suspect, status
):
    client = signed_in(world, persona)
    suspect = getattr(world, suspect)
    url = reverse(
        "accountability:suspect_record_step",
        kwargs={"reference": getattr(world, case).reference, "pk": suspect.pk},
    )

    response = client.post(
        url,
        {
            "kind": "warrant_issued",
            "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
            "source": "Mandat d'arrêt n° 12",
        },
    )

    assert response.status_code == status
    assert not ProcedureStep.objects.filter(suspect=suspect, kind="warrant_issued").exists()


def test_a_session_cookie_is_worthless_after_logout(world):
    client = Client()
    assert client.post(
        reverse("login"), {"username": "staff_a", "password": PASSWORD}
    ).status_code in {200, 302}
    stolen = client.cookies["sessionid"].value
    assert client.get(reverse("incidents:incident_list")).status_code == 200

    client.post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = stolen

    response = replay.get(reverse("incidents:incident_list"))
    assert response.status_code == 302
    assert reverse("login") in response.headers["Location"]
