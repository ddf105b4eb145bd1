"""An incident's country is one of its mission's host countries, whatever the way in: the
service refuses any other, so the form, the API, the admin and the importer agree.

A free choice was a scope escalation: on submission the case takes the incident's country
as host State, leaves the real host State's liaison and enters another State's report.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accountability.models import Case
from incidents.choices import IncidentType
from incidents.models import Incident
from incidents.services import incident_record, incident_update
from missions.models import Country
from peacekeeping.errors import DomainError

pytestmark = pytest.mark.django_db


def test_mission_staff_cannot_move_an_incident_to_another_state_through_the_api(client_for, world):
    incident = world.incident_a
    elsewhere = Country.objects.get(iso3="SSD")

    response = client_for("staff_a").patch(
        f"/api/v1/incidents/{incident.reference}/", {"country": elsewhere.pk}, format="json"
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "not_a_host_country"
    assert body["field"] == "country"
    assert "not a host country of MINUSCA" in body["detail"]
    incident.refresh_from_db()
    assert incident.country == world.host_a
    case = Case.objects.get(case_incidents__incident=incident)
    assert case.host_state == world.host_a


def test_a_host_country_is_still_accepted(client_for, world):
    response = client_for("staff_a").patch(
        f"/api/v1/incidents/{world.incident_a.reference}/",
        {"country": world.host_a.pk, "place": "Bria"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["place"] == "Bria"


def test_a_new_incident_in_another_state_is_refused_through_the_api(client_for, world):
    response = client_for("staff_a").post(
        "/api/v1/incidents/",
        {
            "mission": world.mission_a.pk,
            "occurred_at": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
            "incident_type": "malicious_act",
            "country": Country.objects.get(iso3="FRA").pk,
            "place": "Nowhere-sur-Seine",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_host_country"
    assert not Incident.objects.filter(place="Nowhere-sur-Seine").exists()


def test_the_service_refuses_it_for_every_caller(world):
    with pytest.raises(DomainError, match="not a host country") as refused:
        incident_record(
            actor=world.users["admin"],
            mission=world.mission_a,
            occurred_at=datetime.now(UTC) - timedelta(days=1),
            incident_type=IncidentType.MALICIOUS_ACT,
            country=world.host_b,
        )
    assert refused.value.field == "country"
    with pytest.raises(DomainError, match="not a host country"):
        incident_update(actor=world.users["admin"], incident=world.incident_a, country=world.host_b)


def test_the_admin_refuses_it_with_a_message(client_of, world):
    admin_client = client_of(world.users["admin"])
    incident = world.incident_a
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "occurred_at_0": incident.occurred_at.date().isoformat(),
            "occurred_at_1": incident.occurred_at.time().strftime("%H:%M:%S"),
            "country": world.host_b.pk,
            "perpetrators": [],
        }
    )
    for prefix in ("casualties", "attachments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = admin_client.post(url, data, follow=True)

    assert "not a host country of MINUSCA" in response.content.decode()
    incident.refresh_from_db()
    assert incident.country == world.host_a
