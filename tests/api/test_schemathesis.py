"""schemathesis against the live schema of a real server on a throwaway PostgreSQL database.

The server is gunicorn in a subprocess, on a free loopback port, with its own database
(`test_schemathesis_<random>`) migrated and seeded with the personas' world; the fuzzer
authenticates with the administrator's token so that every operation, writes included,
is reached. It must find nothing: no server error, no undocumented status code, header
or body, no accepted invalid input.
"""

import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_TIME = int(os.environ.get("SCHEMATHESIS_MAX_TIME", "30"))
# More arguments for schemathesis, e.g. "--seed 1234" to replay a failing run.
EXTRA_ARGS = shlex.split(os.environ.get("SCHEMATHESIS_ARGS", ""))

SEED = """
import django
django.setup()
from rest_framework.authtoken.models import Token
from tests.personas import build_world
world = build_world()
import json
print(json.dumps({
    persona: Token.objects.create(user=world.users[persona]).key
    for persona in ("admin", "staff_a", "legal_a", "analyst_a", "liaison_a")
}))
"""
# Each role sees and may do different things (its scope, masked names, read-only
# access), so each is fuzzed on its own, every run bounded by MAX_TIME seconds.
ROLES = ("admin", "staff_a", "legal_a", "analyst_a", "liaison_a")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connection(url: str):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
    )
    connection.autocommit = True
    return connection


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=30):
                return
        except OSError:  # refused, reset or timed out: not up yet
            time.sleep(0.5)
    raise AssertionError(f"the server did not answer {url} within {timeout} s")


@pytest.fixture(scope="module")
def postgres_url_once() -> str:
    from tests.conftest import IN_CI

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if IN_CI:
            pytest.fail(f"CI needs this service: {reason}")
        pytest.skip(reason)
    return url


@pytest.fixture(scope="module")
def throwaway_database(postgres_url_once):
    postgres_url = postgres_url_once
    name = f"test_schemathesis_{secrets.token_hex(6)}"
    connection = _admin_connection(postgres_url)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(postgres_url, name)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


@pytest.fixture(scope="module")
def live_server_url(throwaway_database, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("schemathesis-server")
    env = {
        **os.environ,
        "DATABASE_URL": throwaway_database,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        # The fuzzer sends thousands of requests: throttling is tested elsewhere.
        "API_THROTTLE_USER": "1000000/hour",
        "API_THROTTLE_ANON": "1000000/hour",
        "API_THROTTLE_TOKEN": "1000000/hour",
        "PYTHONPATH": str(ROOT),
    }
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)
    tokens = json.loads(
        subprocess.run([sys.executable, "-c", SEED], **run).stdout.strip().splitlines()[-1]
    )

    port = _free_port()
    # To a file, not a pipe: a pipe nobody reads fills up and blocks the server.
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "peacekeeping.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
            # gunicorn's own 4 KB request-line limit stays: its 414 is documented.
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(f"{url}/livez/", server, tmp_path / "server.log")
        yield url, tokens, tmp_path / "server.log"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.mark.parametrize("persona", ROLES)
def test_schemathesis_finds_nothing(live_server_url, tmp_path, persona):
    url, tokens, server_log = live_server_url
    token = tokens[persona]
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(CONFIG),
        "run",
        f"{url}/api/schema/",
        "--checks",
        "all",
        "--generation-allow-x00",
        "false",
        "--max-time",
        str(MAX_TIME),
        "--header",
        f"Authorization: Token {token}",
        # Password checks (POST /api/v1/auth/token/) hash at production strength: on a
        # busy 2-core machine one can outlast schemathesis's 10 s default.
        "--request-timeout",
        "60",
        "--workers",
        "2",
        "--no-color",
        # Nothing written into the working tree between runs.
        "--generation-database",
        ":memory:",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        *EXTRA_ARGS,
    ]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=MAX_TIME + 300
    )
    server_errors = [line for line in server_log.read_text().splitlines() if "ERROR" in line]
    assert result.returncode == 0, (
        result.stdout[-20000:] + result.stderr[-5000:] + "\n".join(server_errors[-20:])
    )
