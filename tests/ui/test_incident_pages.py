"""The incident page, editing a draft, submitting, evidence downloads, and who may do what."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.choices import IncidentStatus, Outcome
from incidents.models import Incident
from incidents.services import attachment_add, casualty_add, incident_record, incident_update
from missions.choices import PersonnelCategory
from peacekeeping.models import AuditEntry
from tests.factories import PersonnelFactory
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db


def _draft(world, *, place="Ndélé", casualty=True):
    incident = incident_record(
        actor=world.users["staff_a"],
        mission=world.mission_a,
        occurred_at=date(2025, 3, 4),
        incident_type="malicious_act",
        attack_type="ied",
        place=place,
    )
    if casualty:
        casualty_add(
            actor=world.users["staff_a"],
            incident=incident,
            category=PersonnelCategory.MILITARY_CONTINGENT,
            outcome=Outcome.INJURED,
        )
    incident.refresh_from_db()
    return incident


def _edit_post(incident, **overrides) -> dict:
    """The edit form as loaded, with the clerk's changes: hidden initial values included."""
    loaded = {
        "occurred_date": "2025-03-04",
        "occurred_time": "",
        "date_precision": "day",
        "place": incident.place,
        "admin_area": "",
        "country": str(incident.country_id or ""),
        "latitude": "",
        "longitude": "",
        "location_precision": "near",
        "incident_type": "malicious_act",
        "attack_type": "ied",
        "narrative": "",
        "sources": "",
    }
    data = incident_post(**loaded)
    data.update({f"initial-{name}": value for name, value in loaded.items()})
    data.pop("initial-perpetrators", None)
    data["version"] = str(incident.version)
    data.update(overrides)
    return data


# --- scope ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["incident_detail", "incident_edit", "incident_submit", "attachment_download"]
)
def test_staff_of_another_mission_get_404_on_every_page_of_the_incident(
    world, client_of, url_name, tmp_path, settings
):
    kwargs = {"reference": world.incident_a.reference}
    if url_name == "attachment_download":
        # A file that exists: the 404 is the scope's, not a missing row's.
        settings.MEDIA_ROOT = tmp_path
        kwargs["pk"] = attachment_add(
            actor=world.users["staff_a"],
            incident=world.incident_a,
            uploaded_file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 evidence"),
        ).pk
    client = client_of(world.users["staff_b"])

    response = (client.post if url_name == "incident_submit" else client.get)(
        reverse(f"incidents:{url_name}", kwargs=kwargs)
    )

    assert response.status_code == 404


def test_staff_cannot_record_for_another_mission(world, client_of):
    client = client_of(world.users["staff_b"])

    response = client.post(
        reverse("incidents:incident_create"),
        incident_post(world.mission_a, casualties=[KILLED_SOLDIER]),
    )

    assert response.status_code == 400
    assert "mission" in response.context["form"].errors
    assert not Incident.objects.filter(place="Bria").exists()


def test_someone_who_may_only_read_cannot_edit(world, client_of):
    client = client_of(world.users["analyst_a"])
    draft = _draft(world)

    assert client.get(draft.get_absolute_url()).status_code == 200
    edit = reverse("incidents:incident_edit", kwargs={"reference": draft.reference})
    assert client.get(edit).status_code == 403
    assert client.post(edit, _edit_post(draft, place="Elsewhere")).status_code == 403
    assert client.get(reverse("incidents:incident_create")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    response = client.get(world.incident_a.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the incident page ------------------------------------------------------------------


def test_the_page_shows_casualties_case_stage_and_history_but_no_suspect(world, client_of):
    response = client_of(world.users["staff_a"]).get(world.incident_a.get_absolute_url())

    assert response.status_code == 200
    html = response.text
    assert world.case_a.reference in html
    assert world.case_a.get_stage_display() in html
    assert "Killed" in html
    assert "Incident recorded" in html
    assert "Incident submitted" in html
    assert world.suspect_a.name not in html


def test_names_of_victims_are_masked_for_an_analyst_and_the_view_is_audited(world, client_of):
    soldier = PersonnelFactory(family_name="Rahman", given_name="Karim")
    draft = _draft(world, casualty=False)
    casualty_add(
        actor=world.users["admin"], incident=draft, personnel=soldier, outcome=Outcome.KILLED
    )

    staff_page = client_of(world.users["staff_a"]).get(draft.get_absolute_url())
    analyst_page = client_of(world.users["analyst_a"]).get(draft.get_absolute_url())

    assert "RAHMAN" in staff_page.text
    assert "RAHMAN" not in analyst_page.text
    assert "Name withheld" in analyst_page.text
    views = AuditEntry.objects.filter(action="view_incident", object_id=str(draft.pk))
    assert [(e.actor_name, e.changes["names_shown"][1]) for e in views] == [
        ("staff_a", True),
        ("analyst_a", False),
    ]


def test_an_incident_without_named_victims_is_viewed_without_an_audit_entry(world, client_of):
    client_of(world.users["staff_a"]).get(world.incident_a.get_absolute_url())

    assert not AuditEntry.objects.filter(action="view_incident").exists()


def test_the_case_reference_is_shown_even_before_the_case_page_exists(world, client_of):
    html = client_of(world.users["staff_a"]).get(world.incident_a.get_absolute_url()).text

    assert world.case_a.reference in html


# --- evidence ---------------------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_only_within_scope(
    world, client_of, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=SimpleUploadedFile("rapport ambush.pdf", b"%PDF-1.4 evidence"),
    )
    url = reverse(
        "incidents:attachment_download",
        kwargs={"reference": world.incident_a.reference, "pk": attachment.pk},
    )

    response = client_of(world.users["staff_a"]).get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "rapport" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert client_of(world.users["staff_b"]).get(url).status_code == 404
    # The file's own id under another incident's reference is no way round the scope.
    other = reverse(
        "incidents:attachment_download",
        kwargs={"reference": world.incident_b.reference, "pk": attachment.pk},
    )
    assert client_of(world.users["admin"]).get(other).status_code == 404
    # Files are never served from a public URL.
    assert (tmp_path / attachment.file.name).exists()
    assert (
        client_of(world.users["staff_a"]).get(f"/media/{attachment.file.name}").status_code == 404
    )


# --- editing a draft, with optimistic concurrency ----------------------------------------


def test_editing_a_draft_changes_only_what_the_clerk_changed(world, client_of):
    draft = _draft(world)
    edit = reverse("incidents:incident_edit", kwargs={"reference": draft.reference})
    client = client_of(world.users["staff_a"])
    assert client.get(edit).status_code == 200

    response = client.post(edit, _edit_post(draft, place="Ndélé market"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.place == "Ndélé market"
    assert draft.version == 2
    update = AuditEntry.objects.filter(action="incident.update", object_id=str(draft.pk)).get()
    assert set(update.changes) == {"place", "version"}


def test_a_conflicting_edit_is_refused_and_shows_what_changed(world, client_of):
    draft = _draft(world)
    loaded = _edit_post(draft, narrative="Our account of the IED strike.")
    # Someone else saves first.
    incident_update(
        actor=world.users["admin"], incident=draft, expected_version=1, place="Ndélé south"
    )
    edit = reverse("incidents:incident_edit", kwargs={"reference": draft.reference})

    response = client_of(world.users["staff_a"]).post(edit, loaded)

    assert response.status_code == 409
    html = response.text
    assert "Someone else changed this incident" in html
    assert "Ndélé south" in html  # what they changed, and now in the form
    assert "admin" in html
    assert "Our account of the IED strike." in html  # the clerk's own change is kept
    draft.refresh_from_db()
    assert draft.narrative == ""
    # Saving again applies the clerk's change over theirs, without undoing theirs.
    form = response.context["form"]
    again = client_of(world.users["staff_a"]).post(edit, form.data)
    assert again.status_code == 302
    draft.refresh_from_db()
    assert (draft.place, draft.narrative) == ("Ndélé south", "Our account of the IED strike.")


def test_a_casualty_is_removed_and_another_added_when_editing(world, client_of):
    draft = _draft(world)
    injured = draft.casualties.get()
    edit = reverse("incidents:incident_edit", kwargs={"reference": draft.reference})
    data = _edit_post(draft, remove=[str(injured.pk)])
    data.update({f"casualties-0-{k}": v for k, v in KILLED_SOLDIER.items()})

    response = client_of(world.users["staff_a"]).post(edit, data)

    assert response.status_code == 302
    assert list(draft.casualties.values_list("outcome", flat=True)) == [Outcome.KILLED]


def test_a_draft_is_submitted_from_its_page(world, client_of):
    draft = _draft(world)
    client = client_of(world.users["staff_a"])
    submit = reverse("incidents:incident_submit", kwargs={"reference": draft.reference})

    stale = client.post(submit, {"version": "0"})
    draft.refresh_from_db()
    assert stale.status_code == 302
    assert draft.status == IncidentStatus.DRAFT

    client.post(submit, {"version": str(draft.version)})
    draft.refresh_from_db()
    assert draft.status == IncidentStatus.SUBMITTED
    assert draft.cases.exists()


def test_a_verified_incident_cannot_be_edited(world, client_of):
    from incidents.services import incident_verify

    # Another colleague checks the administrator's submission (four eyes).
    incident_verify(actor=world.users["staff_b"], incident=world.incident_a)
    edit = reverse("incidents:incident_edit", kwargs={"reference": world.incident_a.reference})

    response = client_of(world.users["staff_a"]).get(edit)

    assert response.status_code == 302
    assert response["Location"] == world.incident_a.get_absolute_url()
