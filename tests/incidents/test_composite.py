"""An incident written whole (facts, casualties, evidence, submission), all or nothing."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.choices import AttackType, IncidentStatus, IncidentType
from incidents.models import Attachment, Casualty, Incident
from incidents.services import PartRefused, incident_record_whole, incident_update_whole
from peacekeeping.errors import StaleVersion
from peacekeeping.models import AuditEntry
from tests.incidents.helpers import INJURED, KILLED, at, record

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nrest of a pdf"
UNKNOWN_OUTCOME = {**KILLED, "outcome": "vanished"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def fields(**overrides) -> dict:
    return {
        "occurred_at": at(2024),
        "incident_type": IncidentType.MALICIOUS_ACT,
        "attack_type": AttackType.IED,
        "place": "Kidal",
        **overrides,
    }


def report(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def write(actor, mission, **overrides):
    values = {
        "actor": actor,
        "mission": mission,
        "idempotency_key": uuid.uuid4(),
        "fields": fields(),
        "casualties": [KILLED],
        "attachments": [report()],
        "submit": True,
    }
    return incident_record_whole(**{**values, **overrides})


def test_the_whole_write_is_recorded_and_each_part_audited(actor, mission, media):
    incident, created = write(actor, mission, casualties=[KILLED, INJURED])

    assert created is True
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.SUBMITTED
    assert incident.casualties.count() == 2
    attachment = incident.attachments.get()
    assert (media / attachment.file.name).read_bytes() == PDF
    actions = list(
        AuditEntry.objects.filter(actor=actor).order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "incident.record",
        "casualty.add",
        "casualty.add",
        "attachment.add",
        "incident.submit",
        "case.open",  # a submitted malicious act that killed a peacekeeper calls for a case
    ]


def test_a_refused_casualty_leaves_no_incident_no_file_and_names_the_row(actor, mission, media):
    with pytest.raises(PartRefused) as refused:
        write(actor, mission, casualties=[KILLED, UNKNOWN_OUTCOME])

    assert refused.value.part == PartRefused.CASUALTY
    assert refused.value.index == 1
    assert refused.value.field == "outcome"
    assert "vanished" in refused.value.message
    assert not Incident.objects.filter(mission=mission).exists()
    assert not Casualty.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(actor=actor).exists()


def test_a_refused_file_deletes_the_files_already_stored(actor, mission, media):
    with pytest.raises(PartRefused) as refused:
        write(actor, mission, attachments=[report(), report("tool.exe", b"MZ\x90\x00")])

    assert refused.value.part == PartRefused.ATTACHMENT
    assert refused.value.file_name == "tool.exe"
    assert not Incident.objects.filter(mission=mission).exists()
    assert stored_files(media) == []


def test_a_refused_submission_leaves_nothing(actor, mission, media):
    with pytest.raises(PartRefused) as refused:
        write(actor, mission, casualties=[])  # nothing to submit without a casualty

    assert refused.value.part == PartRefused.SUBMISSION
    assert "no casualty" in refused.value.message
    assert not Incident.objects.filter(mission=mission).exists()
    assert stored_files(media) == []
    assert not AuditEntry.objects.filter(actor=actor).exists()


def test_refused_facts_name_the_incident(actor, mission, media):
    with pytest.raises(PartRefused) as refused:
        write(actor, mission, fields=fields(incident_type="mystery"))

    assert refused.value.part == PartRefused.INCIDENT
    assert not Incident.objects.filter(mission=mission).exists()
    assert stored_files(media) == []


def test_a_replay_returns_the_first_incident_and_writes_nothing(actor, mission, media):
    key = uuid.uuid4()
    first, created = write(actor, mission, idempotency_key=key)

    again, created_again = write(
        actor, mission, idempotency_key=key, fields=fields(place="Gao"), casualties=[INJURED]
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.place == "Kidal"
    assert Incident.objects.filter(mission=mission).count() == 1
    assert Casualty.objects.count() == 1
    assert len(stored_files(media)) == 1
    assert AuditEntry.objects.filter(action="incident.record").count() == 1


def test_an_edit_is_written_whole_and_audited(actor, mission, media):
    incident = record(actor, mission, casualties=[KILLED, INJURED])
    injured = incident.casualties.get(outcome=INJURED["outcome"])

    incident_update_whole(
        actor=actor,
        incident=incident,
        expected_version=incident.version,
        fields={"place": "Gao"},
        remove=[injured],
        casualties=[INJURED],
        attachments=[report()],
        submit=True,
    )

    incident.refresh_from_db()
    assert (incident.place, incident.status) == ("Gao", IncidentStatus.SUBMITTED)
    assert incident.casualties.count() == 2
    assert not Casualty.objects.filter(pk=injured.pk).exists()
    assert len(stored_files(media)) == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "incident.update",
        "casualty.remove",
        "casualty.add",
        "attachment.add",
        "incident.submit",
    } <= actions


def test_a_refused_edit_changes_nothing_and_keeps_no_file(actor, mission, media):
    incident = record(actor, mission, place="Kidal")
    version = incident.version

    with pytest.raises(PartRefused) as refused:
        incident_update_whole(
            actor=actor,
            incident=incident,
            expected_version=version,
            fields={"place": "Gao"},
            attachments=[report()],
            casualties=[UNKNOWN_OUTCOME],
        )

    assert (refused.value.part, refused.value.index) == (PartRefused.CASUALTY, 0)
    incident.refresh_from_db()
    assert (incident.place, incident.version) == ("Kidal", version)
    assert incident.casualties.count() == 1
    assert stored_files(media) == []


def test_an_edit_over_someone_elses_change_is_a_conflict_not_an_overwrite(actor, mission, media):
    incident = record(actor, mission, place="Kidal")
    read_version = incident.version
    incident_update_whole(
        actor=actor, incident=incident, expected_version=read_version, fields={"place": "Gao"}
    )

    with pytest.raises(StaleVersion):
        incident_update_whole(
            actor=actor,
            incident=Incident.objects.get(pk=incident.pk),
            expected_version=read_version,
            fields={"place": "Ménaka"},
            attachments=[report()],
        )

    incident.refresh_from_db()
    assert incident.place == "Gao"
    assert stored_files(media) == []
