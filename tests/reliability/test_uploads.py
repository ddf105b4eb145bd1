"""Uploads: limited in size, recognised by their content (magic bytes, not the name),
stored under generated names outside the web root, and served only through a
permission-checked view, as a download."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from incidents.models import Attachment, Incident
from incidents.services import attachment_add
from peacekeeping.errors import DomainError
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n%evidence\n"


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


def test_an_executable_named_pdf_is_refused_and_nothing_is_stored(world, media_root):
    with pytest.raises(DomainError, match="not accepted as evidence"):
        attachment_add(
            actor=world.users["staff_a"],
            incident=world.incident_a,
            uploaded_file=upload("report.pdf", EXE),
        )

    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_form_refuses_it_and_saves_no_incident(world, media_root, client_of):
    client = client_of(world.users["staff_a"])
    data = incident_post(world.mission_a, casualties=[KILLED_SOLDIER], place="Zemio")
    data["attachments"] = upload("rapport.pdf", EXE)

    response = client.post(reverse("incidents:incident_create"), data)

    assert response.status_code == 400
    assert "rapport.pdf: This type of file is not accepted as evidence" in response.content.decode()
    assert not Incident.objects.filter(place="Zemio").exists()
    assert stored_files(media_root) == []


def test_a_png_named_pdf_is_kept_as_a_png_under_a_generated_name(world, media_root):
    attachment = attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=upload("report.pdf", PNG),
    )

    assert attachment.content_type == "image/png"  # what the bytes are, not what the name says
    # The download's name keeps the client's, with the extension of what the bytes are.
    assert attachment.original_name == "report.png"
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.png", attachment.file.name)
    [path] = stored_files(media_root)
    assert path.read_bytes() == PNG and "report" not in path.name


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(world, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024

    with pytest.raises(DomainError, match="larger than the 1 KB allowed"):
        attachment_add(
            actor=world.users["staff_a"],
            incident=world.incident_a,
            uploaded_file=upload("big.pdf", PDF + b"0" * 2048),
        )

    assert stored_files(media_root) == []


def test_uploads_live_outside_the_web_root_and_no_url_serves_them(world, media_root, client_of):
    attachment = attachment_add(
        actor=world.users["staff_a"], incident=world.incident_a, uploaded_file=upload("a.pdf", PDF)
    )
    web_roots = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    media = settings.MEDIA_ROOT.resolve()

    assert all(not media.is_relative_to(root.resolve()) for root in web_roots)
    client = client_of(world.users["admin"])
    for guess in (f"/media/{attachment.file.name}", f"/{attachment.file.name}"):
        assert client.get(guess).status_code == 404
    assert client.get(f"/static/../media/{attachment.file.name}").status_code == 404


@pytest.fixture
def evidence(world, media_root):
    """An HTML page uploaded as evidence: accepted as plain text, never served as HTML."""
    return attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=upload("page.html", b"<script>alert(1)</script>", "text/html"),
    )


def test_evidence_is_downloaded_as_an_attachment_by_those_who_see_the_incident(world, evidence):
    client = Client()
    client.force_login(world.users["staff_a"])
    url = reverse("incidents:attachment_download", args=[world.incident_a.reference, evidence.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="page.txt"' in response["Content-Disposition"]  # what it is
    assert response["Content-Type"].startswith("text/plain")  # sniffed, not text/html
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


@pytest.mark.parametrize("persona, status", [("staff_b", 404), ("liaison_other", 404)])
def test_evidence_is_refused_to_those_who_do_not_see_the_incident(world, evidence, persona, status):
    client = Client()
    client.force_login(world.users[persona])
    url = reverse("incidents:attachment_download", args=[world.incident_a.reference, evidence.pk])

    assert client.get(url).status_code == status


def test_evidence_is_refused_to_anonymous_visitors(world, evidence):
    url = reverse("incidents:attachment_download", args=[world.incident_a.reference, evidence.pk])

    response = Client().get(url)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
