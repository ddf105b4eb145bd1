"""The PDF case file: one case as the user may see it, read back with pdftotext."""

import hashlib

import pytest

from peacekeeping.models import AuditEntry
from tests.exports.conftest import body_of, client_for

pytestmark = pytest.mark.django_db


def case_file(client, world, persona, reference=None):
    client_for(client, world, persona)
    return client.get(f"/exports/case-file/{reference or world.case_a.reference}/")


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_case_file_holds_the_case_its_investigation_and_procedures(
    export_world, client, pdftotext
):
    response = case_file(client, export_world, "legal_a")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="case-file-')
    body = body_of(response)
    assert body.startswith(b"%PDF")
    text = words(pdftotext(body))
    case = export_world.case_a
    assert f"Case file {case.reference}" in text
    assert "MINUSCA" in text and "Central African Republic (CAF)" in text
    assert case.attack_date.isoformat() in text
    assert "Tribunal de grande instance de Bangui" in text
    assert "Jean-Baptiste KOYAMBA" in text and "Rahim CHOWDHURY" in text
    assert "mandat de dépôt" in text and "Procès-verbal d'arrestation" in text  # UTF-8 intact
    assert "Request for information on" in text  # the follow-up with the host State
    assert "legal_a" in text  # who exported it
    assert response["X-Export-SHA256"] == hashlib.sha256(body).hexdigest()
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["kind"] == [None, "case_file"]
    assert entry.changes["filters"] == [None, {"reference": [case.reference]}]


def test_an_analyst_without_the_names_grant_gets_them_masked(export_world, client, pdftotext):
    text = words(pdftotext(body_of(case_file(client, export_world, "analyst_a"))))

    assert "KOYAMBA" not in text and "CHOWDHURY" not in text
    assert "███" in text
    assert "mandat de dépôt" in text  # the procedure itself is shown


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("analyst_all", 200),
        ("staff_a", 403),
        ("liaison_a", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_have_the_case_file(export_world, client, persona, status):
    assert case_file(client, export_world, persona).status_code == status


def test_a_case_outside_the_scope_is_not_found(export_world, client):
    response = case_file(client, export_world, "analyst_a", export_world.case_b.reference)

    assert response.status_code == 404
    assert case_file(client, export_world, "legal_a", "NO-SUCH-CASE").status_code == 404
