"""The incident form carries a submission key: a double tap or a replay records once."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Attachment, Incident
from peacekeeping.models import AuditEntry
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db

CREATE = reverse("incidents:incident_create")


def test_the_new_incident_form_carries_a_fresh_key_each_time(world, client_of):
    client = client_of(world.users["staff_a"])

    first = client.get(CREATE).context["form"]["idempotency_key"].value()
    second = client.get(CREATE).context["form"]["idempotency_key"].value()

    assert uuid.UUID(str(first)) != uuid.UUID(str(second))


def test_posting_the_same_form_twice_records_one_incident_and_answers_alike(world, client_of):
    client = client_of(world.users["staff_a"])
    key = str(uuid.uuid4())

    def post():
        data = incident_post(
            world.mission_a, casualties=[KILLED_SOLDIER], idempotency_key=key, action="submit"
        )
        data["attachments"] = SimpleUploadedFile(
            "flash.txt", b"Flash report: ambush north of Bria.", "text/plain"
        )
        return client.post(CREATE, data, follow=True)

    first = post()
    second = post()

    incident = Incident.objects.get(place="Bria")  # exactly one
    assert first.redirect_chain[-1][0] == incident.get_absolute_url()
    assert second.redirect_chain[-1][0] == incident.get_absolute_url()
    assert "was not recorded twice" in second.text
    assert incident.status == "submitted"
    assert incident.casualties.count() == 1
    assert Attachment.objects.filter(incident=incident).count() == 1
    assert (
        AuditEntry.objects.filter(action="incident.record", object_id=str(incident.pk)).count() == 1
    )


def test_a_refused_post_keeps_its_key_so_the_corrected_one_records_once(world, client_of):
    client = client_of(world.users["staff_a"])
    key = str(uuid.uuid4())
    refused = client.post(
        CREATE,
        incident_post(world.mission_a, idempotency_key=key, incident_type="accident"),
    )
    assert refused.status_code == 400
    assert f'value="{key}"' in refused.text

    client.post(CREATE, incident_post(world.mission_a, idempotency_key=key))
    client.post(CREATE, incident_post(world.mission_a, idempotency_key=key))

    assert Incident.objects.filter(place="Bria").count() == 1


def test_another_clerks_key_does_not_open_this_clerks_incident(world, client_of):
    key = str(uuid.uuid4())
    client_of(world.users["staff_a"]).post(
        CREATE, incident_post(world.mission_a, idempotency_key=key)
    )

    response = client_of(world.users["staff_b"]).post(
        CREATE, incident_post(world.mission_b, idempotency_key=key, place="Beni")
    )

    assert response.status_code == 302
    assert Incident.objects.get(place="Beni").mission == world.mission_b
