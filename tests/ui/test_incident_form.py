"""Logging an incident in the guided form: errors keep what was typed; draft; submit."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from accountability.models import Case
from incidents.choices import IncidentStatus, Outcome
from incidents.models import Incident
from peacekeeping.models import AuditEntry
from tests.factories import PersonnelFactory
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db

CREATE = reverse("incidents:incident_create")


def test_the_form_offers_only_the_missions_the_clerk_records_for(world, client_of):
    response = client_of(world.users["staff_a"]).get(CREATE)

    assert response.status_code == 200
    missions = list(response.context["form"].fields["mission"].queryset)
    assert missions == [world.mission_a]
    assert 'enctype="multipart/form-data"' in response.text


def test_a_failed_validation_keeps_everything_typed_and_says_what_to_fix(world, client_of):
    client = client_of(world.users["staff_a"])
    before = Incident.objects.count()
    data = incident_post(
        world.mission_a,
        casualties=[KILLED_SOLDIER],
        incident_type="accident",
        attack_type="ambush",
        narrative="Truck overturned near Kaga-Bandoro; the driver was trapped.",
    )

    response = client.post(CREATE, data)

    assert response.status_code == 400
    assert Incident.objects.count() == before
    html = response.text
    # Said at the top, linked to the field, and by the field itself.
    assert 'class="error-summary"' in html
    assert 'href="#id_attack_type"' in html
    assert "An attack type is only for malicious acts" in html
    assert 'aria-invalid="true"' in html
    # Everything typed is still there, the casualty row included.
    assert "Truck overturned near Kaga-Bandoro; the driver was trapped." in html
    assert 'value="Bria"' in html
    assert 'value="Haute-Kotto"' in html
    assert 'value="6.53920"' in html
    assert 'name="casualties-0-nationality" value="Bangladesh"' in html
    assert '<option value="killed" selected>' in html
    assert '<option value="accident" selected>' in html


def test_a_future_date_is_refused_on_the_date_field(world, client_of):
    client = client_of(world.users["staff_a"])
    tomorrow = date.today() + timedelta(days=2)

    response = client.post(
        CREATE, incident_post(world.mission_a, occurred_date=tomorrow.isoformat())
    )

    assert response.status_code == 400
    assert response.context["form"].errors["occurred_date"] == [
        "An incident cannot be dated in the future."
    ]


def test_a_draft_is_saved_with_its_casualties(world, client_of):
    client = client_of(world.users["staff_a"])

    response = client.post(CREATE, incident_post(world.mission_a, casualties=[KILLED_SOLDIER]))

    incident = Incident.objects.get(place="Bria")
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    assert incident.status == IncidentStatus.DRAFT
    assert incident.mission == world.mission_a
    assert incident.reference.startswith("MINUSCA-")
    assert incident.created_by == world.users["staff_a"]
    casualty = incident.casualties.get()
    assert (casualty.outcome, casualty.nationality.iso3) == (Outcome.KILLED, "BGD")
    # A draft opens no case yet.
    assert not Case.objects.filter(case_incidents__incident=incident).exists()
    page = client.get(response["Location"])
    assert "was saved as a draft" in page.text


def test_submitting_a_malicious_act_that_killed_opens_its_case(world, client_of):
    client = client_of(world.users["staff_a"])

    response = client.post(
        CREATE, incident_post(world.mission_a, casualties=[KILLED_SOLDIER], action="submit")
    )

    incident = Incident.objects.get(place="Bria")
    assert response.status_code == 302
    assert incident.status == IncidentStatus.SUBMITTED
    case = Case.objects.get(case_incidents__incident=incident)
    assert case.mission == world.mission_a
    assert case.killed == 1
    page = client.get(incident.get_absolute_url())
    assert case.reference in page.text


def test_submitting_without_a_casualty_is_refused_and_nothing_is_saved(world, client_of):
    client = client_of(world.users["staff_a"])

    response = client.post(CREATE, incident_post(world.mission_a, action="submit"))

    assert response.status_code == 400
    assert not Incident.objects.filter(place="Bria").exists()
    assert "Add at least one casualty before submitting" in response.text


def test_a_known_peacekeeper_is_picked_by_service_number(world, client_of):
    soldier = PersonnelFactory(family_name="Rahman", given_name="Karim")
    soldier.assignments.create(mission=world.mission_a, start_date=date(2020, 1, 1))
    client = client_of(world.users["staff_a"])
    form = client.get(CREATE)
    assert str(soldier) in form.text  # offered in the datalist

    client.post(
        CREATE,
        incident_post(
            world.mission_a,
            casualties=[{"personnel": str(soldier), "outcome": "injured"}],
        ),
    )

    casualty = Incident.objects.get(place="Bria").casualties.get()
    assert casualty.personnel == soldier
    assert casualty.category == soldier.category


def test_a_peacekeeper_of_another_mission_is_neither_offered_nor_accepted(world, client_of):
    outsider = PersonnelFactory(family_name="Mbeki", given_name="Thabo")
    outsider.assignments.create(mission=world.mission_b, start_date=date(2020, 1, 1))
    client = client_of(world.users["staff_a"])
    assert str(outsider) not in client.get(CREATE).text

    response = client.post(
        CREATE,
        incident_post(
            world.mission_a,
            casualties=[{"personnel": str(outsider), "outcome": "injured"}],
        ),
    )

    assert response.status_code == 400
    row = response.context["formset"].forms[0]
    assert "No peacekeeper of your mission" in row.errors["personnel"][0]
    assert not Incident.objects.filter(place="Bria").exists()


def test_a_service_refusal_is_shown_on_the_casualty_row(world, client_of):
    client = client_of(world.users["staff_a"])
    too_early = (date.today() - timedelta(days=10)).isoformat()

    response = client.post(
        CREATE,
        incident_post(
            world.mission_a,
            casualties=[{**KILLED_SOLDIER, "date_of_death": too_early}],
        ),
    )

    assert response.status_code == 400
    row = response.context["formset"].forms[0]
    assert "cannot be before the incident" in row.errors["date_of_death"][0]
    assert not Incident.objects.filter(place="Bria").exists()


def test_evidence_files_are_attached_and_a_refused_file_undoes_the_whole_save(
    world, client_of, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client = client_of(world.users["staff_a"])
    pdf = _upload("report.pdf", b"%PDF-1.4 flash report")
    exe = _upload("tool.exe", b"MZ\x90\x00\x03binary")

    refused = client.post(CREATE, {**incident_post(world.mission_a), "attachments": [pdf, exe]})

    assert refused.status_code == 400
    assert "tool.exe: This type of file is not accepted" in refused.text
    assert not Incident.objects.filter(place="Bria").exists()
    assert list(tmp_path.rglob("*.pdf")) == []  # no orphan left on disk

    accepted = client.post(
        CREATE,
        {**incident_post(world.mission_a), "attachments": [_upload("report.pdf", b"%PDF-1.4")]},
    )

    assert accepted.status_code == 302
    attachment = Incident.objects.get(place="Bria").attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("report.pdf", "application/pdf")


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_recording_is_audited(world, client_of):
    client_of(world.users["staff_a"]).post(
        CREATE, incident_post(world.mission_a, casualties=[KILLED_SOLDIER])
    )

    incident = Incident.objects.get(place="Bria")
    actions = set(
        AuditEntry.objects.filter(actor=world.users["staff_a"]).values_list("action", flat=True)
    )
    assert {"incident.record", "casualty.add"} <= actions
    assert incident.perpetrator_unknown


def test_perpetrators_are_picked_from_the_register_shown_with_their_aliases(world, client_of):
    from incidents.services import armed_group_create

    group = armed_group_create(actor=world.users["admin"], name="3R", aliases=["Retour"])
    client = client_of(world.users["staff_a"])
    assert "3R (Retour)" in client.get(CREATE).text

    client.post(CREATE, incident_post(world.mission_a, perpetrators=[str(group.pk)]))

    incident = Incident.objects.get(place="Bria")
    assert list(incident.perpetrators.all()) == [group]
    assert not incident.perpetrator_unknown


def test_the_edit_form_carries_the_values_loaded_and_the_version(world, client_of):
    from incidents.services import incident_record

    draft = incident_record(
        actor=world.users["staff_a"],
        mission=world.mission_a,
        occurred_at=date(2025, 3, 4),
        incident_type="accident",
        place="Kaga-Bandoro",
    )
    edit = reverse("incidents:incident_edit", kwargs={"reference": draft.reference})

    html = client_of(world.users["staff_a"]).get(edit).text

    assert 'name="initial-place" value="Kaga-Bandoro"' in html
    assert 'name="version" value="1"' in html
    assert 'name="mission"' not in html  # the mission is permanent
