"""A time typed as local is read in the mission's time zone (from its main host country),
stored in UTC, and shown in the mission's zone with the zone named."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from incidents.models import Incident
from missions.importers import MISSIONS_JSON, read_reference_json
from missions.models import Mission
from missions.time_zones import HOST_ZONES, zone_for_hosts
from tests.ui.post_data import incident_post

pytestmark = pytest.mark.django_db

CREATE = reverse("incidents:incident_create")


def test_every_mission_gets_the_zone_of_its_main_host_country():
    assert Mission.objects.get(acronym="MINUSCA").time_zone == "Africa/Bangui"
    assert Mission.objects.get(acronym="UNMISS").time_zone == "Africa/Juba"
    hosts = {h for r in read_reference_json(MISSIONS_JSON) for h in r["host_countries"]}
    assert hosts <= set(HOST_ZONES)
    assert zone_for_hosts([]) == "UTC"


def test_a_local_time_is_read_in_the_missions_zone_and_shown_with_it(world, client):
    client.force_login(world.users["staff_a"])  # MINUSCA: Africa/Bangui, UTC+1
    data = incident_post(world.mission_a, occurred_date="2026-03-10", occurred_time="14:30")

    response = client.post(CREATE, data)

    assert response.status_code == 302
    incident = Incident.objects.latest("id")
    assert incident.occurred_at == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
    page = client.get(incident.get_absolute_url()).text
    assert "10 March 2026, 14:30 (Africa/Bangui)" in page
    assert "2026-03-10 13:30 UTC" in page
