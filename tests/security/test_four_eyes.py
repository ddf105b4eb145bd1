"""Four eyes: an incident is verified by someone other than the user who submitted it
(FOUR_EYES_VERIFICATION, on by default). Verification is the only step the project calls
a check; the refusal is a clear, translated message and changes nothing."""

import pytest
from django.utils import translation

from incidents.choices import IncidentStatus
from incidents.services import incident_verify
from missions.choices import Role
from missions.services import membership_grant
from peacekeeping.errors import IllegalTransition
from peacekeeping.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_submitter_cannot_verify_their_own_incident(world):
    incident = world.incident_a  # submitted by the administrator
    assert incident.submitted_by == world.users["admin"]

    with pytest.raises(IllegalTransition, match="another colleague must check it") as refused:
        incident_verify(actor=world.users["admin"], incident=incident)

    assert refused.value.code == "four_eyes"
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="incident.verify").exists()


def test_another_colleague_verifies_it(world):
    incident_verify(actor=world.users["staff_a"], incident=world.incident_a)

    world.incident_a.refresh_from_db()
    assert world.incident_a.status == IncidentStatus.VERIFIED
    assert world.incident_a.verified_by == world.users["staff_a"]


def test_the_api_refuses_the_submitter_with_a_400_and_a_reason(client_for, world):
    client = client_for("staff_a")
    reference = world.incident_a.reference
    # staff_a edits and the administrator's submission stands; make staff_a the submitter.
    type(world.incident_a).objects.filter(pk=world.incident_a.pk).update(
        submitted_by=world.users["staff_a"]
    )

    response = client.post(f"/api/v1/incidents/{reference}/verify/")

    assert response.status_code == 400
    assert response.json()["code"] == "four_eyes"
    assert f"You submitted {reference}" in response.json()["detail"]


def test_the_refusal_is_translated(world):
    with translation.override("fr"), pytest.raises(IllegalTransition) as refused:
        incident_verify(actor=world.users["admin"], incident=world.incident_a)

    assert "un autre collègue doit le vérifier" in refused.value.message


def test_a_one_person_test_bench_may_turn_it_off(world, settings):
    settings.FOUR_EYES_VERIFICATION = False

    incident_verify(actor=world.users["admin"], incident=world.incident_a)

    world.incident_a.refresh_from_db()
    assert world.incident_a.status == IncidentStatus.VERIFIED


def test_it_is_on_by_default():
    from peacekeeping import settings as project_settings

    assert project_settings.FOUR_EYES_VERIFICATION is True


def test_an_administrator_membership_does_not_exempt_the_submitter(world):
    user = world.users["staff_a"]
    membership_grant(actor=world.users["admin"], user=user, role=Role.ADMINISTRATOR, all_scope=True)
    type(world.incident_a).objects.filter(pk=world.incident_a.pk).update(submitted_by=user)
    world.incident_a.refresh_from_db()

    with pytest.raises(IllegalTransition):
        incident_verify(actor=user, incident=world.incident_a)
