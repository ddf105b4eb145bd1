"""Real Celery workers against the real Redis and PostgreSQL.

- an embedded worker (celery.contrib.testing, pool solo) builds reports end to end: the
  PDF of the Central African Republic reads back in French, South Sudan's in English;
- a delivery twice of the same task builds one report;
- a `celery worker` process killed (SIGKILL) in the middle of a report, then a new worker
  and the sweeper: exactly one complete report, without waiting for Redis's visibility
  timeout (the first delivery is still parked, unacknowledged, in Redis).
"""

import base64
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from urllib.parse import quote

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connection, connections

from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period
from accountability.reports.services import followup_report_create, followup_report_request
from accountability.reports.tasks import build_followup_report, sweep_stalled_reports
from peacekeeping.celery import app
from tests.celery_state import KOMBU_KEYS, state_report
from tests.reports.conftest import stored_files

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.reports.urls"),
]

S = FollowUpReport.Status
LAST_MONTH = Period.containing(date.today(), "month").previous()


def wait_for(predicate, *, timeout: float, what: str, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log is not None and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{state_report()}\n{tail}")


def parked_builds(broker) -> list[int]:
    """The reports whose build was delivered to a worker and never acknowledged."""
    parked = []
    for raw in broker.hvals("unacked"):
        message = json.loads(raw)[0]
        if message["headers"]["task"] == build_followup_report.name:
            _args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            parked.append(kwargs["report_id"])
    return parked


def report_row(pk: int) -> FollowUpReport:
    return FollowUpReport.objects.get(pk=pk)


@pytest.fixture
def broker(needs_postgres, needs_redis):
    """The real Redis, with no Celery message left over from another test."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*KOMBU_KEYS)
    assert not app.conf.task_always_eager, "REDIS_URL is set: tasks must go through Redis"
    yield client
    client.delete(*KOMBU_KEYS)


@pytest.fixture
def embedded_worker(broker):
    """A Celery worker in a thread of this process (pool solo)."""
    app.loader.import_module("celery.contrib.testing.tasks")

    def close_db(**kwargs):
        connections.close_all()  # the worker thread's own connection

    task_postrun.connect(close_db, weak=False)
    try:
        # No result backend: readiness comes from start_worker itself, not a ping task.
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
            yield
    finally:
        task_postrun.disconnect(close_db)


def test_a_real_worker_builds_the_reports_in_french_and_in_english(
    embedded_worker, report_world, media_root, pdftotext
):
    caf = followup_report_request(
        actor=report_world.users["legal_caf"], host_state=report_world.caf
    )
    ssd = followup_report_request(
        actor=report_world.users["legal_ssd"], host_state=report_world.ssd
    )

    for report in (caf, ssd):
        wait_for(
            lambda r=report: report_row(r.pk).status in (S.DONE, S.FAILED),
            timeout=120,
            what=f"report {report.host_state.iso3}",
        )
    caf, ssd = report_row(caf.pk), report_row(ssd.pk)
    assert (caf.status, caf.attempts, ssd.status, ssd.attempts) == (S.DONE, 1, S.DONE, 1)

    french = pdftotext(media_root / caf.pdf.name)
    assert "Rapport de suivi des attaques contre les Casques bleus" in french
    assert "République centrafricaine" in french
    assert "Affaires en cours" in french and "Suspects en fuite" in french
    assert f"Données arrêtées au {long_date(caf, 'fr')}" in " ".join(french.split())
    assert report_world.case_old.reference in french
    english = pdftotext(media_root / ssd.pdf.name)
    assert "Follow-up report on attacks against peacekeepers" in english
    assert "South Sudan" in english and "Open cases" in english
    assert f"Data as of {long_date(ssd, 'en')}" in " ".join(english.split())
    assert "Rapport de suivi" not in english

    wait_for(lambda: len(mail.outbox) >= 4, timeout=30, what="the e-mails")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "legal_caf@example.org",
        "legal_minusca@example.org",
        "legal_ssd@example.org",
        "liaison_caf@example.org",
    ]


def long_date(report, language: str) -> str:
    """The report's day as the document writes it ("6 décembre 2026")."""
    from datetime import date

    from django.utils import translation

    from accountability.reports.labels import format_date, report_labels

    with translation.override(language):
        day = date.fromisoformat(report.content["as_of_date"])
        return format_date(day, report_labels(language), long=True)


def test_a_task_delivered_twice_to_a_real_worker_builds_one_report(
    embedded_worker, report_world, media_root
):
    report = followup_report_create(host_state=report_world.ssd, period=LAST_MONTH)
    build_followup_report.delay(report_id=report.pk)  # the same job, a second time

    wait_for(lambda: report_row(report.pk).status == S.DONE, timeout=120, what="the report")
    time.sleep(2)  # let the second delivery run too

    report = report_row(report.pk)
    assert FollowUpReport.objects.count() == 1
    assert report.attempts == 1
    assert len(stored_files(media_root)) == 3


# --- a worker process killed in the middle of a report -----------------------------------


def worker_database_url() -> str:
    """The test database, as a URL for a worker process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


class WorkerProcess:
    """`celery -A peacekeeping worker`, pool solo, on the test database."""

    def __init__(self, name: str, log, **env):
        self.log = log
        environment = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.handle = log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "peacekeeping",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={name}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, no requeue."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.handle.close()


@pytest.fixture
def worker_processes(broker, tmp_path):
    started: list[WorkerProcess] = []

    def start(name: str, **env) -> WorkerProcess:
        worker = WorkerProcess(name, tmp_path / f"{name}.log", **env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_killing_the_worker_mid_report_then_a_new_worker_and_the_sweeper_make_one_report(
    broker, worker_processes, report_world, media_root, pdftotext
):
    report = followup_report_create(host_state=report_world.caf, period=LAST_MONTH)
    doomed = worker_processes("doomed", DJANGO_SETTINGS_MODULE="tests.reports.worker_settings")
    # The doomed worker pauses at 45 % ("rendering the PDF"): kill it there.
    wait_for(
        lambda: report_row(report.pk).progress == 45,
        timeout=120,
        what="the first worker to reach 45 %",
        log=doomed.log,
    )
    doomed.kill()
    stuck = report_row(report.pk)
    assert (stuck.status, stuck.attempts) == (S.RUNNING, 1)
    # Its delivery is parked, unacknowledged, until Redis's visibility timeout (an hour).
    assert broker.hlen("unacked") == 1

    rescuer = worker_processes(
        "rescuer",
        DJANGO_SETTINGS_MODULE="peacekeeping.settings",
        REPORT_STALE_AFTER_SECONDS="3",
    )

    def sweep_until_done():
        if report_row(report.pk).status == S.DONE:
            return True
        sweep_stalled_reports.delay()  # what beat sends every minute
        time.sleep(1.5)
        return False

    wait_for(sweep_until_done, timeout=180, what="the rescued report", log=rescuer.log)

    reports = FollowUpReport.objects.filter(host_state=report_world.caf)
    assert reports.count() == 1
    done = reports.get()
    assert (done.status, done.progress, done.attempts) == (S.DONE, 100, 2)
    files = stored_files(media_root)
    assert len(files) == 3 and all("-a2." in name for name in files)
    text = pdftotext(media_root / done.pdf.name)
    assert "Rapport de suivi des attaques contre les Casques bleus" in text
    # The first delivery is still parked, never needed (a sweep the rescuer is running
    # may sit there too).
    assert parked_builds(broker) == [report.pk]
