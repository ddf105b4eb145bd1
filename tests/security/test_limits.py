"""Limits are the same whatever the way in: one text limit in the model that the form,
the API and the services apply; uploads cut off as they arrive when too large, with
clean names whose extension is what the bytes are, and no PDF that runs code."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from incidents.models import TEXT_MAX_LENGTH, Attachment, Incident
from incidents.services import attachment_add, incident_update
from peacekeeping.errors import DomainError
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (TEXT_MAX_LENGTH + 1)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


# --- one narrative limit -----------------------------------------------------------------


def test_the_form_refuses_a_narrative_the_api_refuses(world, client_of):
    client = client_of(world.users["staff_a"])
    data = incident_post(
        world.mission_a, casualties=[KILLED_SOLDIER], place="Ndele", narrative=TOO_LONG
    )

    page = client.post(reverse("incidents:incident_create"), data)
    api = client.post(
        "/api/v1/incidents/",
        {
            "mission": world.mission_a.pk,
            "occurred_at": "2025-01-02T10:00:00Z",
            "incident_type": "malicious_act",
            "place": "Ndele",
            "narrative": TOO_LONG,
        },
        content_type="application/json",
    )

    assert page.status_code == 400
    assert "at most 100000 characters" in page.content.decode().replace(",", "")
    assert api.status_code == 400
    assert not Incident.objects.filter(place="Ndele").exists()


def test_the_service_refuses_it_for_every_caller(world):
    with pytest.raises(DomainError, match="at most 100,000 are kept") as refused:
        incident_update(actor=world.users["staff_a"], incident=world.incident_a, sources=TOO_LONG)

    assert refused.value.field == "sources"
    world.incident_a.refresh_from_db()
    assert world.incident_a.sources == "Flash report"


def test_the_longest_narrative_allowed_is_kept(world):
    longest = "y" * TEXT_MAX_LENGTH

    incident_update(actor=world.users["staff_a"], incident=world.incident_a, narrative=longest)

    world.incident_a.refresh_from_db()
    assert len(world.incident_a.narrative) == TEXT_MAX_LENGTH


# --- uploads ---------------------------------------------------------------------------


class CountingInput(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.consumed += len(line)
        return line


def test_a_file_over_the_limit_is_cut_off_before_the_body_is_read(settings):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    body = encode_multipart(
        BOUNDARY,
        {"place": "Bria", "attachments": upload("huge.pdf", PDF + b"0" * (4 * 1024 * 1024))},
    )
    stream = CountingInput(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/incidents/new/",
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": stream,
            "wsgi.url_scheme": "http",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
        }
    )

    assert request.POST["place"] == "Bria"
    assert "attachments" not in request.FILES
    assert request.refused_uploads == ["huge.pdf"]
    assert stream.consumed < len(body) / 4  # stopped soon after 64 KB, of 4 MB


def test_the_form_says_the_file_is_too_large_and_saves_nothing(
    world, client_of, media_root, settings
):
    settings.ATTACHMENT_MAX_BYTES = 64 * 1024
    data = incident_post(world.mission_a, casualties=[KILLED_SOLDIER], place="Zemio")
    data["attachments"] = upload("huge.pdf", PDF + b"0" * (1024 * 1024))

    response = client_of(world.users["staff_a"]).post(reverse("incidents:incident_create"), data)

    assert response.status_code == 413
    assert "huge.pdf: The file is larger than the 64 KB allowed." in response.content.decode()
    assert not Incident.objects.filter(place="Zemio").exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("\u202etxt.exe", "txt.pdf"),
        ("rapport\u202egnp.exe", "rapportgnp.pdf"),
        ("payload.exe", "payload.pdf"),
        ("..\\..\\windows\\evil.pdf.exe", "evil.pdf.pdf"),
        ("\u200b\u2066.exe", "exe.pdf"),
        ("\u202e", "evidence.pdf"),
        ("Procès-verbal n°12.pdf", "Procès-verbal n°12.pdf"),
    ],
)
def test_the_name_is_cleaned_and_takes_the_extension_of_the_content(world, media_root, given, kept):
    attachment = attachment_add(
        actor=world.users["staff_a"], incident=world.incident_a, uploaded_file=upload(given, PDF)
    )

    assert attachment.original_name == kept
    assert attachment.file.name.endswith(".pdf")
    assert attachment.content_type == "application/pdf"


def test_the_download_uses_the_clean_name(world, media_root, client_of):
    attachment = attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=upload("\u202efdp.exe", PDF),
    )
    url = reverse("incidents:attachment_download", args=[world.incident_a.reference, attachment.pk])

    response = client_of(world.users["staff_a"]).get(url)

    assert 'filename="fdp.pdf"' in response["Content-Disposition"]
    assert "\u202e" not in response["Content-Disposition"]


def _pdf_with(dictionary: bytes) -> bytes:
    return b"%PDF-1.4\n1 0 obj\n" + dictionary + b"\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("content", "feature"),
    [
        (_pdf_with(b"<< /Type /Catalog /OpenAction 2 0 R >>"), "OpenAction"),
        (_pdf_with(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
        (_pdf_with(b"<< /Type /Catalog /Open#41ction 2 0 R >>"), "OpenAction"),
        (_pdf_with(b"<< /AA << /O 3 0 R >> >>"), "AA"),
        (_pdf_with(b"<< /S /Launch /F (cmd.exe) >>"), "Launch"),
    ],
)
def test_a_pdf_that_runs_something_is_refused(world, media_root, content, feature):
    with pytest.raises(DomainError, match=f"runs when it is opened \\(.*{feature}") as refused:
        attachment_add(
            actor=world.users["staff_a"],
            incident=world.incident_a,
            uploaded_file=upload("report.pdf", content),
        )

    assert refused.value.code == "active_content"
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_action_hidden_in_a_compressed_object_stream_is_found(world, media_root):
    hidden = zlib.compress(b"<< /Type /Catalog /OpenAction [3 0 R /Fit] >>")
    content = (
        b"%PDF-1.5\n5 0 obj\n<< /Type /ObjStm /N 1 /First 0 /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF\n"
    )

    with pytest.raises(DomainError, match="OpenAction"):
        attachment_add(
            actor=world.users["staff_a"],
            incident=world.incident_a,
            uploaded_file=upload("scan.pdf", content),
        )


def test_a_plain_pdf_with_an_image_stream_is_accepted(world, media_root):
    # A stream's bytes are data: a chance "/JS" in an image does not refuse the file.
    content = (
        b"%PDF-1.4\n1 0 obj\n<< /Type /XObject /Subtype /Image /Length 9 >>\nstream\n"
        b"ab/JS cd\n\nendstream\nendobj\n%%EOF\n"
    )

    attachment = attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=upload("photo.pdf", content),
    )

    assert attachment.content_type == "application/pdf"
