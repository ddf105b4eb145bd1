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


def test_a_legal_officer_cannot_record_a_step_on_another_missions_suspect(world):
    client = signed_in(world, "legal_a")
    url = reverse(
        "accountability:suspect_record_step",
        kwargs={"reference": world.case_b.reference, "pk": world.suspect_b.pk},
    )

    response = client.post(
        url,
        {
            "kind": "warrant_issued",
            "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
            "source": "Mandat d'arrêt n° 12",
        },
    )

    assert response.status_code == 404
    assert not ProcedureStep.objects.filter(suspect=world.suspect_b, kind="warrant_issued").exists()


def test_naming_another_cases_suspect_under_ones_own_case_is_refused(world):
    """The suspect id of mission B under mission A's case reference: still 404."""
    client = signed_in(world, "legal_a")
    url = reverse(
        "accountability:suspect_record_step",
        kwargs={"reference": world.case_a.reference, "pk": world.suspect_b.pk},
    )

    response = client.post(
        url,
        {
            "kind": "warrant_issued",
            "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
            "source": "Mandat d'arrêt n° 12",
        },
    )

    assert response.status_code == 404
    assert not ProcedureStep.objects.filter(suspect=world.suspect_b, kind="warrant_issued").exists()


def test_a_read_only_persona_cannot_record_a_step_it_can_see(world):
    client = signed_in(world, "analyst_a")
    url = reverse(
        "accountability:suspect_record_step",
        kwargs={"reference": world.case_a.reference, "pk": world.suspect_a.pk},
    )

    response = client.post(
        url,
        {
            "kind": "warrant_issued",
            "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
            "source": "Mandat d'arrêt n° 12",
        },
    )

    assert response.status_code == 403
    assert not ProcedureStep.objects.filter(suspect=world.suspect_a, kind="warrant_issued").exists()


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
