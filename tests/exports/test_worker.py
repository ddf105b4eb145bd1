"""A large export built by a real Celery worker against the real Redis and PostgreSQL:
an embedded worker (celery.contrib.testing, pool solo) picks the job up from Redis,
writes the file by COPY, and the analyst downloads it; a second delivery of the same task
finds the job done and writes nothing."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections

from accountability.exports.models import ExportJob
from accountability.exports.tasks import build_export
from incidents.models import Casualty
from peacekeeping.celery import app
from tests.celery_state import KOMBU_KEYS, state_report
from tests.exports.conftest import READERS, body_of, client_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

S = ExportJob.Status


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{state_report()}")


@pytest.fixture
def worker(needs_postgres, needs_redis):
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*KOMBU_KEYS)
    assert not app.conf.task_always_eager, "REDIS_URL is set: tasks must go through Redis"
    app.loader.import_module("celery.contrib.testing.tasks")

    def close_db(**kwargs):
        connections.close_all()  # the worker thread's own connection

    task_postrun.connect(close_db, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
            yield
    finally:
        task_postrun.disconnect(close_db)
        client.delete(*KOMBU_KEYS)


def test_a_real_worker_builds_a_large_export_and_the_user_downloads_it(
    worker, export_world, client, settings
):
    settings.EXPORT_ASYNC_THRESHOLD = 5
    client_for(client, export_world, "analyst_all")

    response = client.get("/exports/casualties/", {"format": "csv", "mission": "MINUSCA"})

    assert response.status_code == 302
    job = ExportJob.objects.get()
    job = wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status__in=[S.DONE, S.FAILED]).first(),
        timeout=120,
        what="the export job",
    )
    assert (job.status, job.attempts, job.error) == (S.DONE, 1, "")
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    rows = READERS["csv"](body_of(download))
    expected = Casualty.objects.filter(incident__mission__acronym="MINUSCA")
    assert sorted(int(r["id"]) for r in rows) == sorted(expected.values_list("pk", flat=True))
    assert download["X-Export-SHA256"] == job.sha256
    assert job.manifest["filters"] == {"mission": ["MINUSCA"]}

    build_export.delay(job_id=job.pk)  # the same job, delivered again
    time.sleep(2)
    job.refresh_from_db()
    assert job.attempts == 1
    assert len([p for p in (settings.MEDIA_ROOT / "exports").rglob("*.csv")]) == 1
