"""The exports API: ask for an export with a list's filters, follow it, download it."""

import hashlib

import pytest
from rest_framework.test import APIClient

from accountability.exports.models import ExportJob
from tests.exports.conftest import READERS, body_of

pytestmark = pytest.mark.django_db


def api_for(world, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[persona])
    return client


def test_a_small_export_is_done_at_once_and_downloadable(export_world):
    api = api_for(export_world, "analyst_a")

    created = api.post(
        "/api/v1/exports/",
        {"kind": "casualties", "format": "csv", "filters": {"outcome": "killed"}},
        format="json",
    )

    assert created.status_code == 201, created.json()
    job = created.json()
    assert job["status"] == "done" and job["delivery"] == "stored"
    assert created["Location"].endswith(f"/api/v1/exports/{job['id']}/")
    download = api.get(job["download_url"])
    body = body_of(download)
    assert download["X-Export-SHA256"] == hashlib.sha256(body).hexdigest() == job["sha256"]
    assert download["Content-Disposition"].startswith("attachment;")
    rows = READERS["csv"](body)
    assert {r["outcome"] for r in rows} == {"killed"}
    assert {r["mission"] for r in rows} == {"MINUSCA"}
    assert len(rows) == job["row_count"] == 2
    manifest = api.get(job["manifest_url"]).json()
    assert manifest["filters"] == {"outcome": ["killed"]} and manifest["sha256"] == job["sha256"]


def test_a_large_export_is_accepted_then_built_in_the_background(
    export_world, eager, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_ASYNC_THRESHOLD = 3
    api = api_for(export_world, "analyst_all")

    with django_capture_on_commit_callbacks(execute=False) as queued:
        accepted = api.post("/api/v1/exports/", {"kind": "casualties"}, format="json")

    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending" and accepted.json()["download_url"] is None
    pending = api.get(f"/api/v1/exports/{accepted.json()['id']}/download/")
    assert pending.status_code == 409 and pending.json()["code"] == "not_ready"
    queued[0]()  # the worker's turn
    done = api.get(f"/api/v1/exports/{accepted.json()['id']}/").json()
    assert done["status"] == "done" and done["row_count"] == 14


def test_bad_requests_are_refused_with_the_error_schema(export_world):
    api = api_for(export_world, "analyst_all")

    bad_filter = api.post(
        "/api/v1/exports/", {"kind": "cases", "filters": {"mission_id": "x"}}, format="json"
    )
    bad_kind = api.post("/api/v1/exports/", {"kind": "case_file"}, format="json")
    bad_date = api.get("/api/v1/exports/indicators/", {"as_of": "yesterday"})

    assert bad_filter.status_code == 400 and bad_filter.json()["field"] == "mission_id"
    assert bad_kind.status_code == 400 and bad_kind.json()["field"] == "kind"
    assert bad_date.status_code == 400 and bad_date.json()["field"] == "as_of"


def test_a_job_of_someone_else_is_not_found(export_world):
    mine = api_for(export_world, "analyst_all").post(
        "/api/v1/exports/", {"kind": "cases"}, format="json"
    )
    job_id = mine.json()["id"]

    other = api_for(export_world, "analyst_a")
    admin = api_for(export_world, "admin")

    assert other.get(f"/api/v1/exports/{job_id}/").status_code == 404
    assert other.get(f"/api/v1/exports/{job_id}/download/").status_code == 404
    assert job_id not in [j["id"] for j in other.get("/api/v1/exports/").json()["results"]]
    assert admin.get(f"/api/v1/exports/{job_id}/").status_code == 200


def test_a_job_served_at_once_has_no_file_to_download(export_world, client):
    client.force_login(export_world.users["analyst_a"])
    served = client.get("/exports/cases/")

    response = api_for(export_world, "analyst_a").get(
        f"/api/v1/exports/{served['X-Export-Id']}/download/"
    )

    assert response.status_code == 409
    assert ExportJob.objects.get(pk=served["X-Export-Id"]).delivery == "direct"


def test_the_schema_documents_the_exports_endpoints(export_world):
    schema = (
        api_for(export_world, "analyst_a")
        .get("/api/schema/", HTTP_ACCEPT="application/json")
        .json()
    )

    paths = set(schema["paths"])
    assert {
        "/api/v1/exports/",
        "/api/v1/exports/{id}/",
        "/api/v1/exports/{id}/download/",
        "/api/v1/exports/{id}/manifest/",
        "/api/v1/exports/indicators/",
    } <= paths
