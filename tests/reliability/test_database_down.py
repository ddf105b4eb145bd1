"""PostgreSQL unreachable: a clear 503 page and API error, and no partial write.

A real server (gunicorn, production settings) whose DATABASE_URL names a port where
nothing listens answers every request that needs the database with 503 and
`Retry-After`: the HTML page says what happened, the API answers its error JSON; the
probes say "not ready" but "alive". And a write cut off by the database half-way (the
server ends the connection from a trigger) leaves nothing behind.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from incidents.models import Casualty, Incident
from peacekeeping.models import AuditEntry
from peacekeeping.outbox_models import OutboxMessage
from tests.reliability.conftest import free_port
from tests.ui.post_data import KILLED_SOLDIER, incident_post

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _get(url: str, headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory):
    closed = free_port()  # nothing listens here
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed}/peacekeeping",
        "DB_CONNECT_TIMEOUT": "2",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": "",
        "LOG_LEVEL": "CRITICAL",
        "PYTHONPATH": str(ROOT),
    }
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "peacekeeping.wsgi", "--bind", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            _get(f"{url}/accounts/login/")
            break
        except OSError:
            if server.poll() is not None:
                raise AssertionError(log_path.read_text()) from None
            time.sleep(0.3)
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


def test_a_page_that_needs_the_database_is_a_clear_503(server_without_database):
    # A session cookie: the session and the user are read from the database.
    status, headers, body = _get(
        f"{server_without_database}/incidents/",
        {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"},
    )

    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "text/html" in headers["Content-Type"]
    assert "Temporarily unavailable" in body
    assert "The database cannot be reached" in body
    assert "Traceback" not in body


def test_the_api_answers_its_error_json_with_503(server_without_database):
    status, headers, body = _get(
        f"{server_without_database}/api/v1/incidents/", {"Authorization": "Token abc"}
    )

    assert status == 503
    assert headers["Retry-After"] == "30"
    answer = json.loads(body)
    assert answer["code"] == "service_unavailable"
    assert answer["field"] is None
    assert "database" in answer["detail"]


def test_the_health_probe_says_the_database_is_down(server_without_database):
    status, _headers, body = _get(f"{server_without_database}/healthz/")

    assert status == 503
    assert json.loads(body)["database"] == "down"


def test_the_probes_say_not_ready_but_alive(server_without_database):
    """The orchestrator stops routing traffic here, and does not restart the process."""
    ready = _get(f"{server_without_database}/readyz/")
    alive = _get(f"{server_without_database}/livez/")

    assert (ready[0], json.loads(ready[2])["database"]) == (503, "down")
    assert (alive[0], json.loads(alive[2])) == (200, {"status": "ok"})


@pytest.fixture
def database_gone_at_the_first_casualty(world, needs_postgres):
    """The database server ends this connection (pg_terminate_backend of its own backend)
    as a casualty row is about to be inserted: a real cut-off, half-way through a write."""
    table = Casualty._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_cut_off() RETURNS trigger AS $$ BEGIN"
            " PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW;"
            " END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f'CREATE TRIGGER test_cut_off BEFORE INSERT ON "{table}"'
            " FOR EACH ROW EXECUTE FUNCTION test_cut_off()"
        )
    yield
    with connection.cursor() as cursor:  # a new connection: the old one was ended
        cursor.execute(f'DROP TRIGGER test_cut_off ON "{table}"')
        cursor.execute("DROP FUNCTION test_cut_off()")


@pytest.mark.django_db(transaction=True)
def test_a_write_cut_off_by_the_database_half_way_leaves_nothing(
    world, database_gone_at_the_first_casualty
):
    """The incident row is written, then the database goes away before the casualty:
    the page is a 503 and neither the incident nor anything else was kept."""
    client = Client(raise_request_exception=False)
    client.force_login(world.users["staff_a"])
    counts = (
        Incident.objects.count(),
        Casualty.objects.count(),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )

    response = client.post(
        reverse("incidents:incident_create"),
        incident_post(world.mission_a, casualties=[KILLED_SOLDIER], action="submit", place="Zemio"),
    )

    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.content
    assert not Incident.objects.filter(place="Zemio").exists()
    assert counts == (
        Incident.objects.count(),
        Casualty.objects.count(),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )
