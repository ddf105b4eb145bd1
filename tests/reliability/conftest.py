"""Helpers of the reliability tests: a throwaway Redis, a Celery broker switched to it,
a real `celery worker` process on the test database, and the personas' clients.

The machine's shared Redis and PostgreSQL are never stopped: a test that needs Redis to
go down or restart starts its own `redis-server` on a free loopback port (append-only
persistence in the test's temporary folder) and points the Celery app at it.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from peacekeeping.celery import app
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-4000:] if log is not None and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")


# --- a Redis of our own ---------------------------------------------------------------------


class RedisServer:
    """`redis-server` on a free loopback port, its data in `folder`.

    With `appendonly`, every write is appended to the AOF and fsynced (`appendfsync
    always`), as docker-compose.yml runs it (there `everysec`): queued jobs survive a
    restart, even a crash (SIGKILL).
    """

    def __init__(self, folder: Path, *, appendonly: bool = True):
        self.folder = folder
        self.port = free_port()
        self.appendonly = appendonly
        self.process: subprocess.Popen | None = None
        self.log = folder / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always",
            "--dir",
            str(self.folder),
            "--logfile",
            str(self.log),
        ]

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=5)

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(self.command(), cwd=self.folder)

        def answers():
            try:
                return self.client().ping()
            except Exception:  # not up yet
                return False

        wait_for(answers, timeout=20, what=f"redis-server on port {self.port}", log=self.log)
        return self

    def crash(self) -> None:
        """SIGKILL: no shutdown, no last save; only what is on disk survives."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.crash()


@pytest.fixture
def redis_server_binary():
    if shutil.which("redis-server") is None:
        reason = "needs redis-server on PATH (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(f"CI needs this service: {reason}")
        pytest.skip(reason)


@pytest.fixture
def own_redis(redis_server_binary, tmp_path):
    """A Redis of the test's own, not started: `own_redis.start()` when it should be up."""
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    yield server
    server.stop()


@contextlib.contextmanager
def broker_at(url: str):
    """Point the Celery app (not eager) at another broker for the block."""
    from peacekeeping import outbox

    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def reset_pools():
        # Dropped, not closed: kombu keeps one pool per broker URL for the process, and
        # the next user of that URL (this block's end, the next test) gets it back.
        app._pool = None
        app.amqp._producer_pool = None
        outbox._broker.update(checked=float("-inf"), up=True)

    app.conf.broker_url = url
    app.conf.task_always_eager = False
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset_pools()


# --- a real worker on the test database -------------------------------------------------


def subprocess_database_url() -> str:
    """The test database, as a URL for another process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


class WorkerProcess:
    """`celery -A peacekeeping worker` (pool solo) on the test database and a broker."""

    def __init__(self, *, broker_url: str, log: Path, **env):
        self.log = log
        environment = {
            **os.environ,
            "DATABASE_URL": subprocess_database_url(),
            "REDIS_URL": broker_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "peacekeeping.settings",
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
                f"--hostname=reliability-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


@pytest.fixture
def start_worker(tmp_path):
    started: list[WorkerProcess] = []

    def start(broker_url: str, **env) -> WorkerProcess:
        worker = WorkerProcess(
            broker_url=broker_url, log=tmp_path / f"worker{len(started)}.log", **env
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client, signed in as that persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
