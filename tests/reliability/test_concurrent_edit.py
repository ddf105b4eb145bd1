"""Two legal officers editing the same case: the second sees a conflict and what changed,
on the page and in the API; nothing is silently overwritten."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accountability.models import Case
from missions.choices import Role
from missions.services import membership_grant
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_officers(world):
    """legal_a and a colleague, both legal officers of mission A."""
    from django.contrib.auth import get_user_model

    colleague = get_user_model().objects.create_user(
        "legal_a2", email="legal_a2@example.org", password=PASSWORD
    )
    membership_grant(
        actor=world.users["admin"], user=colleague, role=Role.LEGAL_OFFICER, mission=world.mission_a
    )
    first, second = Client(), Client()
    first.force_login(world.users["legal_a"])
    second.force_login(colleague)
    return first, second


def form_of(response) -> dict:
    """What the browser would post back from the edit page, untouched."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[name] = "" if value is None else value
        if field.show_hidden_initial:
            data[f"initial-{name}"] = data[name]
    return data


def test_the_second_editor_sees_the_conflict_and_what_changed_and_overwrites_nothing(
    world, two_officers
):
    first, second = two_officers
    url = reverse("accountability:case_edit", args=[world.case_a.reference])
    mine, theirs = form_of(first.get(url)), form_of(second.get(url))

    saved = first.post(url, {**mine, "summary": "Ambush on Route 7 by an armed group."})
    conflict = second.post(url, {**theirs, "focal_point": world.users["staff_a"].pk})

    assert saved.status_code == 302
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "Someone else changed this case while you were editing it" in page
    # What changed, by whom: the first officer's summary.
    assert 'id="conflict"' in page
    assert "Ambush on Route 7 by an armed group." in page
    assert "legal_a" in page
    case = Case.objects.get(pk=world.case_a.pk)
    assert case.summary == "Ambush on Route 7 by an armed group."
    assert case.focal_point is None  # the second save did not happen

    # The form now holds their summary and the second officer's focal point: saving
    # again applies the second officer's change on top of the first's.
    again = conflict.context["form"]
    assert again.data["summary"] == "Ambush on Route 7 by an armed group."
    assert str(again.data["focal_point"]) == str(world.users["staff_a"].pk)
    retried = second.post(url, dict(again.data.items()))
    assert retried.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Ambush on Route 7 by an armed group."
    assert case.focal_point == world.users["staff_a"]


def test_a_step_recorded_meanwhile_is_a_conflict_too(world, two_officers):
    """Recording an investigation moves the case on (stage, version): an edit started
    before it is refused and the page lists what the step changed (from the row history
    on PostgreSQL, the case's edits otherwise)."""
    first, second = two_officers
    url = reverse("accountability:case_edit", args=[world.case_a.reference])
    theirs = form_of(second.get(url))
    first.post(
        reverse("accountability:case_record_investigation", args=[world.case_a.reference]),
        {
            "authority": "police",
            "opened_on": world.case_a.attack_date.isoformat(),
            "source": "Procès-verbal n° 7",
        },
    )

    conflict = second.post(url, {**theirs, "summary": "Written without knowing."})

    assert conflict.status_code == 409
    assert Case.objects.get(pk=world.case_a.pk).summary == ""
    if connection.vendor == "postgresql":
        conflict_section = conflict.content.decode().split('id="conflict"', 1)[1]
        assert "Investigation status" in conflict_section  # what the step changed


def test_the_api_answers_412_with_what_changed_and_changes_nothing(world):
    first, second = APIClient(), APIClient()
    for client, persona in ((first, "legal_a"), (second, "admin")):
        token, _created = Token.objects.get_or_create(user=world.users[persona])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = f"/api/v1/cases/{world.case_a.reference}/"
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag

    saved = first.patch(url, {"summary": "Ambush on Route 7."}, format="json", HTTP_IF_MATCH=etag)
    stale = second.patch(url, {"summary": "Overwrite"}, format="json", HTTP_IF_MATCH=etag)

    assert saved.status_code == 200
    assert stale.status_code == 412
    answer = stale.json()
    assert answer["code"] == "stale_version"
    changed = [change for entry in answer["changes"] for change in entry["changes"]]
    assert {"field": "summary", "before": "—", "after": "Ambush on Route 7."}.items() <= next(
        change for change in changed if change["field"] == "summary"
    ).items()
    assert answer["changes"][0]["who"] == "legal_a"
    assert Case.objects.get(pk=world.case_a.pk).summary == "Ambush on Route 7."
