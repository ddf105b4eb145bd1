"""Evidence attached to an incident: recognised by its content, limited in size, stored
under a generated name with its digest, and audited."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents.models import Attachment
from incidents.services import attachment_add
from peacekeeping.errors import DomainError
from peacekeeping.models import AuditEntry
from tests.incidents.helpers import record

pytestmark = pytest.mark.django_db


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def incident(actor, mission):
    return record(actor, mission)


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nrest of a pdf", "application/pdf", ".pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg", ".jpg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", ".png"),
        ("Témoignage du chef de patrouille.\n".encode(), "text/plain", ".txt"),
        (
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
    ],
)
def test_it_keeps_accepted_evidence_with_its_digest_under_a_generated_name(
    actor, incident, media, content, content_type, extension
):
    upload = SimpleUploadedFile("../../rapport final.bin", content, content_type="text/html")

    attachment = attachment_add(actor=actor, incident=incident, uploaded_file=upload)

    assert attachment.content_type == content_type
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content)
    # The client's name without its folders, with the extension of what the bytes are.
    assert attachment.original_name == f"rapport final{extension}"
    assert attachment.file.name.startswith("evidence/")
    assert attachment.file.name.endswith(extension)
    assert "rapport" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows executable
        b"<html><script>alert(1)</script>\x00",  # text with a NUL byte
        b"\xc3\x28 invalid UTF-8",
        zip_bytes(),  # a zip that is not a Word document
    ],
)
def test_it_rejects_files_of_other_types(actor, incident, media, content):
    upload = SimpleUploadedFile("evidence.pdf", content, content_type="application/pdf")

    with pytest.raises(DomainError, match="not accepted as evidence"):
        attachment_add(actor=actor, incident=incident, uploaded_file=upload)

    assert not Attachment.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_it_rejects_a_file_over_the_size_limit(actor, incident, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("big.txt", b"x" * 11)

    with pytest.raises(DomainError, match="larger than"):
        attachment_add(actor=actor, incident=incident, uploaded_file=upload)

    exactly = SimpleUploadedFile("ok.txt", b"x" * 10)
    assert attachment_add(actor=actor, incident=incident, uploaded_file=exactly).size == 10


def test_it_audits_the_evidence_with_its_digest(actor, incident, media):
    content = b"%PDF-1.4 report"
    attachment = attachment_add(
        actor=actor, incident=incident, uploaded_file=SimpleUploadedFile("r.pdf", content)
    )

    entry = AuditEntry.objects.get(action="attachment.add")
    assert entry.object_id == str(attachment.pk)
    assert entry.changes["sha256"] == [None, hashlib.sha256(content).hexdigest()]
