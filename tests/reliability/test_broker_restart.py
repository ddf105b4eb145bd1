"""Redis restarted while a worker builds a report: the same worker goes on serving.

The worker runs as in production (prefork pool of two, acknowledgement after the task),
on the test database and a Redis of the test's own; Redis is killed (or stopped cleanly)
while a report is half built, stays down a few seconds, and starts again (same port,
append-only file). Without peacekeeping/celery_fixes.py the worker exited with
"Unrecoverable error: AttributeError(... 'hostname')" when it acknowledged the report.
"""

import os
import subprocess
import sys
import time
from datetime import date

import pytest

from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period
from accountability.reports.services import followup_report_create
from tests.reliability.conftest import ROOT, broker_at, subprocess_database_url, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]

THIS_MONTH = Period.containing(date.today(), "month")
DOWN_FOR = 4.0


@pytest.fixture
def prefork_worker(own_redis, tmp_path, media_root):
    own_redis.start()
    log = tmp_path / "worker.log"
    handle = log.open("ab")
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "REDIS_URL": own_redis.url,
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_pause_settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "peacekeeping",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=INFO",
            f"--hostname=restart-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    wait_for(lambda: b"ready." in log.read_bytes(), timeout=60, what="the worker", log=log)
    yield process, log
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    handle.close()


def status_of(report) -> str:
    return FollowUpReport.objects.get(pk=report.pk).status


def half_built(report) -> bool:
    row = FollowUpReport.objects.get(pk=report.pk)
    return row.status == "running" and row.progress >= 45


@pytest.mark.parametrize("restart", ["crash", "stop"])
def test_the_same_worker_goes_on_serving_after_redis_restarts_mid_report(
    needs_postgres, world, own_redis, prefork_worker, restart
):
    process, log = prefork_worker
    with broker_at(own_redis.url):
        first = followup_report_create(host_state=world.host_a, period=THIS_MONTH)
        wait_for(lambda: half_built(first), timeout=120, what="the report half built", log=log)

        getattr(own_redis, restart)()  # SIGKILL, or a clean SIGTERM
        time.sleep(DOWN_FOR)  # as long as a container takes to come back
        own_redis.start()  # same port and append-only file

        wait_for(lambda: status_of(first) == "done", timeout=120, what="the first report", log=log)
        assert process.poll() is None, log.read_text()[-4000:]

        second = followup_report_create(host_state=world.host_a, period=THIS_MONTH)
        wait_for(lambda: status_of(second) == "done", timeout=120, what="the next report", log=log)

    assert process.poll() is None, log.read_text()[-4000:]
    assert "Unrecoverable error" not in log.read_text()
