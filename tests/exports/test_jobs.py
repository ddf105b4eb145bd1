"""Large exports go through Celery (in-process here: eager; a real worker in
test_worker.py): a job with progress, a download link when done, a manifest, an expiry.
The job's row decides who builds it: a duplicate delivery does nothing, a dead worker's
job is re-queued by the sweeper, and the file is deleted when it expires."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accountability.exports import services
from accountability.exports.models import ExportJob
from accountability.exports.services import (
    export_files_purge,
    export_job_build,
    export_jobs_sweep,
)
from accountability.exports.tasks import build_export, purge_expired_exports
from incidents.models import Casualty
from missions.models import Membership
from peacekeeping.models import AuditEntry
from tests.exports.conftest import READERS, body_of, client_for

pytestmark = pytest.mark.django_db

S = ExportJob.Status


@pytest.fixture
def low_threshold(settings):
    settings.EXPORT_ASYNC_THRESHOLD = 3
    return settings


def _request_large_export(client, world, persona="analyst_all", fmt="csv", **params):
    client_for(client, world, persona)
    response = client.get("/exports/casualties/", {**params, "format": fmt})
    assert response.status_code == 302, response.content[:300]
    job = ExportJob.objects.latest("id")
    assert response["Location"] == f"/exports/jobs/{job.pk}/"
    return job


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_over_the_threshold_becomes_a_job_with_a_download_link(
    export_world, client, eager, low_threshold, django_capture_on_commit_callbacks, fmt
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        job = _request_large_export(client, export_world, fmt=fmt)

    # The build; once it is done, the owner's notification, then its e-mail (if chosen).
    assert len(queued) == 3
    job.refresh_from_db()
    assert (job.status, job.progress, job.delivery, job.attempts) == (S.DONE, 100, "stored", 1)
    assert job.notifications.filter(recipient=export_world.users["analyst_all"]).exists()
    assert job.expires_at == job.finished_at + timedelta(hours=settings.EXPORT_RETENTION_HOURS)
    page = client.get(f"/exports/jobs/{job.pk}/").content.decode()
    assert f"/exports/jobs/{job.pk}/download/" in page
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    body = body_of(download)
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["X-Export-SHA256"] == hashlib.sha256(body).hexdigest() == job.sha256
    rows = READERS[fmt](body)
    assert sorted(int(r["id"]) for r in rows) == sorted(
        Casualty.objects.values_list("pk", flat=True)
    )
    assert job.row_count == len(rows) == job.manifest["row_count"]
    manifest = json.loads(client.get(f"/exports/jobs/{job.pk}/manifest/").content)
    assert manifest == job.manifest and manifest["sha256"] == job.sha256
    entry = AuditEntry.objects.get(action="export", object_id=str(job.pk))
    assert entry.actor == export_world.users["analyst_all"]
    assert entry.changes["row_count"] == [None, len(rows)]


def test_the_job_page_shows_progress_until_done(export_world, client, low_threshold):
    job = _request_large_export(client, export_world)  # queued: on_commit not run here

    page = client.get(f"/exports/jobs/{job.pk}/")
    partial = client.get(f"/exports/jobs/{job.pk}/", headers={"HX-Request": "true"})

    assert job.status == S.PENDING
    assert 'hx-trigger="every 2s"' in page.content.decode()
    assert "<progress" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/exports/jobs/{job.pk}/manifest/").status_code == 404


def test_progress_is_recorded_while_rows_are_written(export_world, client, low_threshold):
    job = _request_large_export(client, export_world, fmt="json")
    seen = []
    original = ExportJob.objects.filter

    def spy(*args, **kwargs):
        row = original(pk=job.pk).values("progress", "progress_message").first()
        seen.append((row["progress"], row["progress_message"]))
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ExportJob.objects, "filter", spy)
        mp.setattr("accountability.exports.services.PROGRESS_EVERY_SECONDS", 0)
        mp.setattr("accountability.exports.services.settings.EXPORT_CHUNK_SIZE", 100)
        export_job_build(job_id=job.pk)

    assert any(message.startswith("writing") for _p, message in seen)
    assert any("rows written" in message for _p, message in seen)
    job.refresh_from_db()
    assert (job.status, job.progress) == (S.DONE, 100)


def test_someone_elses_job_is_not_found(export_world, client, eager, low_threshold):
    job = _request_large_export(client, export_world, persona="analyst_all")
    export_job_build(job_id=job.pk)

    client_for(client, export_world, "analyst_a")
    for suffix in ("", "download/", "manifest/"):
        assert client.get(f"/exports/jobs/{job.pk}/{suffix}").status_code == 404
    client_for(client, export_world, "staff_a")
    assert client.get(f"/exports/jobs/{job.pk}/").status_code == 403
    client_for(client, export_world, "admin")
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 200


def test_a_task_delivered_twice_builds_one_file(export_world, client, eager, low_threshold):
    job = _request_large_export(client, export_world)

    first = build_export.delay(job_id=job.pk).get()
    second = build_export.delay(job_id=job.pk).get()

    job.refresh_from_db()
    assert (first, second) == ("done", "skipped")
    assert job.attempts == 1
    assert AuditEntry.objects.filter(action="export", object_id=str(job.pk)).count() == 1
    assert len(list((settings.MEDIA_ROOT / "exports").rglob("*.csv"))) == 1


def test_the_sweeper_requeues_a_job_whose_worker_died(
    export_world, client, eager, low_threshold, django_capture_on_commit_callbacks
):
    job = _request_large_export(client, export_world)
    long_ago = timezone.now() - timedelta(seconds=settings.EXPORT_STALE_AFTER_SECONDS + 5)
    # A worker claimed it, then died: running, its heartbeat old, never queued since.
    ExportJob.objects.filter(pk=job.pk).update(
        status=S.RUNNING, attempts=1, heartbeat_at=long_ago, queued_at=long_ago
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = export_jobs_sweep()

    job.refresh_from_db()
    assert result["requeued"] == [job.pk]
    assert (job.status, job.attempts) == (S.DONE, 2)


def test_the_sweeper_gives_up_after_the_last_attempt(export_world, client, low_threshold):
    job = _request_large_export(client, export_world)
    long_ago = timezone.now() - timedelta(hours=1)
    ExportJob.objects.filter(pk=job.pk).update(
        status=S.RUNNING, attempts=settings.EXPORT_MAX_ATTEMPTS, heartbeat_at=long_ago
    )

    result = export_jobs_sweep()

    job.refresh_from_db()
    assert result["failed"] == [job.pk]
    assert job.status == S.FAILED and "Gave up" in job.error


def test_a_worker_that_lost_its_claim_leaves_no_file(export_world, client, low_threshold):
    job = _request_large_export(client, export_world)
    real_manifest = services.build_manifest

    def taken_over(*args, **kwargs):
        # The file is stored; another worker takes the job over before this one finishes.
        ExportJob.objects.filter(pk=job.pk).update(attempts=7)
        return real_manifest(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "build_manifest", taken_over)
        outcome = export_job_build(job_id=job.pk)

    assert outcome == "lost"
    assert not [p for p in (settings.MEDIA_ROOT / "exports").rglob("*") if p.is_file()]
    assert not AuditEntry.objects.filter(action="export", object_id=str(job.pk)).exists()


def test_a_user_who_lost_the_right_to_export_gets_no_file(export_world, client, low_threshold):
    job = _request_large_export(client, export_world, persona="analyst_all")
    Membership.objects.filter(user=export_world.users["analyst_all"]).delete()

    assert export_job_build(job_id=job.pk) == S.FAILED

    job.refresh_from_db()
    assert "may no longer export" in job.error and not job.file


def test_expired_files_are_purged_by_the_beat_task(export_world, client, eager, low_threshold):
    job = _request_large_export(client, export_world)
    export_job_build(job_id=job.pk)
    job.refresh_from_db()
    path = settings.MEDIA_ROOT / job.file.name
    assert path.exists()

    assert export_files_purge() == []  # not yet expired
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    purged = purge_expired_exports.delay().get()

    job.refresh_from_db()
    assert purged == [job.pk]
    assert not path.exists()
    assert (job.status, job.file.name) == (S.EXPIRED, "")
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 410
    # The record stays: what was exported, by whom, its manifest.
    assert client.get(f"/exports/jobs/{job.pk}/manifest/").status_code == 200


def test_small_exports_are_served_at_once_and_not_stored(export_world, client):
    client_for(client, export_world, "analyst_all")

    response = client.get("/exports/casualties/")

    job = ExportJob.objects.get(pk=response["X-Export-Id"])
    assert (job.delivery, job.status, job.file.name) == ("direct", S.DONE, "")
    assert not (settings.MEDIA_ROOT / "exports").exists()
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_the_worker_imports_the_export_tasks_and_beat_runs_the_sweeper_and_purge():
    assert "accountability.exports.tasks" in settings.CELERY_IMPORTS
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "accountability.exports.tasks.purge_expired_exports",
        "accountability.exports.tasks.sweep_stalled_exports",
    } <= tasks
    from peacekeeping.celery import app

    app.loader.import_default_modules()
    assert "accountability.exports.tasks.build_export" in app.tasks
