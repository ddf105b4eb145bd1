"""schemathesis against the live schema of a real server on a throwaway PostgreSQL database.

The server is gunicorn in a subprocess, on a free loopback port, with its own database
(`test_schemathesis_<random>`) migrated and seeded with the personas' world; the fuzzer
authenticates with the administrator's token so that every operation, writes included,
is reached. It must find nothing: no server error, no undocumented status code, header
or body, no accepted invalid input.
"""

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
MAX_TIME = int(os.environ.get("SCHEMATHESIS_MAX_TIME", "75"))
# More arguments for schemathesis, e.g. "--seed 1234" to replay a failing run.
EXTRA_ARGS = shlex.split(os.environ.get("SCHEMATHESIS_ARGS", ""))

SEED = """
import django
django.setup()
from rest_framework.authtoken.models import Token
from tests.personas import build_world
world = build_world()
print(Token.objects.create(user=world.users["admin"]).key)
"""


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


@pytest.fixture
def throwaway_database(postgres_url):
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


@pytest.fixture
def live_server_url(throwaway_database, tmp_path):
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
    token = subprocess.run([sys.executable, "-c", SEED], **run).stdout.strip().splitlines()[-1]

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
            # Fuzzed query strings outgrow gunicorn's 4 KB request line, which gunicorn
            # itself answers 414 before the app sees the request: not under test here.
            "--limit-request-line",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(f"{url}/livez/", server, tmp_path / "server.log")
        yield url, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_schemathesis_finds_nothing(live_server_url, tmp_path):
    url, token = live_server_url
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
    server_errors = [
        line for line in (tmp_path / "server.log").read_text().splitlines() if "ERROR" in line
    ]
    assert result.returncode == 0, (
        result.stdout[-20000:] + result.stderr[-5000:] + "\n".join(server_errors[-20:])
    )
