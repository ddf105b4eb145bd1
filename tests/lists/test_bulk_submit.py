"""Mission staff submit several drafts at once; each goes through incident_submit,
audited alone, refused alone with its reason."""

import pytest
from django.conf import settings
from django.urls import reverse

from incidents.choices import IncidentStatus, Outcome
from incidents.models import Incident
from peacekeeping.models import AuditEntry
from tests.factories import CasualtyFactory, IncidentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")
BULK = reverse("incidents:incident_bulk_submit")


def _draft(world, reference: str, *, casualty: bool = True, mission=None):
    incident = IncidentFactory(
        reference=reference,
        mission=mission or world.mission_a,
        country=world.host_a,
        status=IncidentStatus.DRAFT,
    )
    if casualty:
        CasualtyFactory(incident=incident, outcome=Outcome.KILLED)
    return incident


def test_drafts_the_user_may_submit_get_a_checkbox_of_the_bulk_form(world, client_of):
    _draft(world, "MINUSCA-D-1")

    staff = client_of(world.users["staff_a"]).get(LIST).text

    assert 'name="incident" value="MINUSCA-D-1" form="bulk-form"' in staff
    # a submitted incident gets no checkbox
    assert f'value="{world.incident_a.reference}" form="bulk-form"' not in staff
    assert 'id="bulk-form"' in staff


def test_roles_that_do_not_record_incidents_get_no_bulk_form(world, client_of):
    _draft(world, "MINUSCA-D-1")

    html = client_of(world.users["legal_a"]).get(LIST).text

    assert 'id="bulk-form"' not in html
    assert 'form="bulk-form"' not in html


def test_each_ticked_draft_is_submitted_and_audited_as_if_alone(world, client_of):
    first, second = _draft(world, "MINUSCA-D-1"), _draft(world, "MINUSCA-D-2")
    client = client_of(world.users["staff_a"])

    response = client.post(
        BULK, {"incident": [first.reference, second.reference], "next": f"{LIST}?status=draft"}
    )

    assert response.status_code == 302 and response["Location"] == f"{LIST}?status=draft"
    statuses = dict(Incident.objects.values_list("reference", "status"))
    assert statuses["MINUSCA-D-1"] == statuses["MINUSCA-D-2"] == IncidentStatus.SUBMITTED
    entries = AuditEntry.objects.filter(action="incident.submit", actor=world.users["staff_a"])
    assert sorted(e.object_repr for e in entries) == ["MINUSCA-D-1", "MINUSCA-D-2"] or (
        entries.count() == 2
    )
    html = client.get(response["Location"]).text
    assert "Submitted: MINUSCA-D-1, MINUSCA-D-2." in html


def test_each_refusal_is_told_with_its_reason_and_the_others_are_done(world, client_of):
    good = _draft(world, "MINUSCA-D-1")
    empty = _draft(world, "MINUSCA-D-2", casualty=False)
    other_mission = _draft(world, "MONUSCO-D-3", mission=world.mission_b)
    client = client_of(world.users["staff_a"])

    response = client.post(
        BULK,
        {
            "incident": [
                good.reference,
                empty.reference,
                world.incident_a.reference,
                other_mission.reference,
            ],
            "next": LIST,
        },
        follow=True,
    )

    html = response.text
    assert "Submitted: MINUSCA-D-1." in html
    assert "MINUSCA-D-2: MINUSCA-D-2 has no casualty" in html
    assert f"{world.incident_a.reference}: Only a draft can be submitted" in html
    # another mission's draft is not confirmed to exist
    assert "MONUSCO-D-3: not found, or not yours to change" in html
    assert Incident.objects.get(pk=empty.pk).status == IncidentStatus.DRAFT
    assert Incident.objects.get(pk=other_mission.pk).status == IncidentStatus.DRAFT
    assert AuditEntry.objects.filter(action="incident.submit").count() == 1 + 2  # + the world's


def test_a_bulk_submit_is_told_in_french(world, client_of):
    good = _draft(world, "MINUSCA-D-1")
    empty = _draft(world, "MINUSCA-D-2", casualty=False)
    client = client_of(world.users["staff_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.post(
        BULK, {"incident": [good.reference, empty.reference], "next": LIST}, follow=True
    ).text

    assert "Soumis\u00a0: MINUSCA-D-1." in html
    assert "MINUSCA-D-2\u00a0: MINUSCA-D-2 n&#x27;a aucune victime" in html


def test_nothing_ticked_is_refused_with_a_word(world, client_of):
    html = client_of(world.users["staff_a"]).post(BULK, {"next": LIST}, follow=True).text

    assert "Tick at least one draft to submit." in html


def test_a_bulk_form_cannot_send_the_user_to_another_site(world, client_of):
    response = client_of(world.users["staff_a"]).post(
        BULK, {"incident": ["X"], "next": "https://evil.example/"}
    )

    assert response["Location"] == LIST
