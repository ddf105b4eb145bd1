"""Scaled out on one machine: two web processes and two Celery workers that share only
PostgreSQL, Redis and an S3-compatible object store (README, "Scaling out").

Started here, each a process of its own, on loopback ports chosen free:

- moto's S3 server, with a bucket of its own (AWS_STORAGE_BUCKET_NAME and friends);
- a throwaway PostgreSQL database, migrated by `manage.py migrate` straight to
  PostgreSQL and seeded by `seed_demo`, dropped at the end; in front of it PgBouncer (when
  installed; CI installs it), as in docker-compose.yml: transaction pooling for the web
  processes and the reports worker, a session pool for the worker that runs exports;
- Redis: a database number of its own, flushed before and after;
- web A and web B: gunicorn, DEBUG=false;
- worker R: `celery worker -Q reports`; worker M: `-Q exports,notifications,celery`.

Then a legal officer's follow-up report, requested through web A, is built by worker R
and downloaded through web B (the bytes' SHA-256 is the one the API reports; the files
are objects in the bucket, nothing is written under MEDIA_ROOT); and a mixed load (locust,
headless, 20 s, loopback only: tests/scale/locustfile.py) runs across both web processes
with no failed request, after which every job is done, the reports built by worker R and
the exports by worker M.
"""

import csv
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import IN_CI

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
STATE = "CAF"  # demo-legal is a legal officer of MINUSCA, hosted by the CAR
LOAD_SECONDS = 20
# Simulated users; raise it (SCALE_TEST_USERS=30) to look for the limits in README.
LOAD_USERS = int(os.environ.get("SCALE_TEST_USERS", "6"))


# --- small helpers ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, stack=None, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    logs = stack.tails() if stack is not None else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{logs}")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def call(method: str, url: str, *, token: str, body: dict | None = None):
    """(status, headers, bytes) of one HTTP request, whatever the status."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Token {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@dataclass
class Stack:
    """The processes started by the test, each logging to its own file."""

    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    scratch: list[Path] = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.processes[name] = process
        return process

    def assert_running(self) -> None:
        dead = {name: p.returncode for name, p in self.processes.items() if p.poll() is not None}
        assert not dead, f"processes stopped: {dead}\n{self.tails()}"

    def tails(self, size: int = 2500) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-size:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for path in self.scratch:
            shutil.rmtree(path, ignore_errors=True)


# --- the shared services ----------------------------------------------------------------


def server_settings() -> dict:
    db = connection.settings_dict
    return {
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
        "host": db["HOST"] or "127.0.0.1",
        "port": int(db["PORT"] or 5432),
    }


def pg_url(server: dict, name: str, *, host: str | None = None, port: int | None = None) -> str:
    auth = quote(server["user"], safe="")
    if server["password"]:
        auth += ":" + quote(server["password"], safe="")
    return f"postgres://{auth}@{host or server['host']}:{port or server['port']}/{name}"


def admin_sql(server: dict, statement: str) -> None:
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=server["user"],
        password=server["password"],
        host=server["host"],
        port=server["port"],
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def query(server: dict, database: str, sql: str, params=()) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(
        dbname=database,
        user=server["user"],
        password=server["password"],
        host=server["host"],
        port=server["port"],
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        conn.close()


def dedicated_redis_url() -> str:
    """REDIS_URL with a database number of this test's own (15, or 14 if 15 is taken)."""
    parts = urlsplit(settings.REDIS_URL)
    given = parts.path.strip("/") or "0"
    number = "14" if given == "15" else "15"
    return urlunsplit(parts._replace(path=f"/{number}"))


def start_pgbouncer(stack: Stack, server: dict, database: str) -> int | None:
    """PgBouncer in front of the throwaway database, configured as in docker-compose.yml:
    `<db>` pooled per transaction, `<db>_session` per client connection."""
    binary = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    if binary is None:
        if IN_CI:
            pytest.fail("CI needs PgBouncer (Debian's pgbouncer): .ci/run installs it")
        return None
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="scale-pgbouncer-"))
    stack.scratch.append(folder)
    folder.chmod(0o755)  # PgBouncer drops root for the postgres user, who reads it
    (folder / "userlist.txt").write_text(f'"{server["user"]}" "{server["password"]}"\n')
    target = f"host={server['host']} port={server['port']} dbname={database}"
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{database} = {target} pool_mode=transaction\n"
        f"{database}_session = {target} pool_mode=session\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder}/userlist.txt\n"
        "pool_mode = transaction\nmax_client_conn = 500\ndefault_pool_size = 10\n"
        "server_reset_query = DISCARD ALL\nignore_startup_parameters = extra_float_digits\n"
    )
    for path in folder.iterdir():
        path.chmod(0o644)
    argv = [binary]
    if os.geteuid() == 0:
        argv += ["-u", pwd.getpwnam("postgres").pw_name]
    stack.start("pgbouncer", [*argv, str(folder / "pgbouncer.ini")], dict(os.environ))
    wait_for(lambda: port_open(port), timeout=20, what="PgBouncer", stack=stack)
    return port


# --- the test ---------------------------------------------------------------------------


def test_two_web_processes_and_two_workers_share_only_postgres_redis_and_the_object_store(
    needs_postgres, needs_redis, tmp_path
):
    import boto3
    import redis

    started = time.monotonic()
    server = server_settings()
    database = f"scale_{uuid.uuid4().hex[:10]}"
    bucket = f"scale-{uuid.uuid4().hex[:10]}"
    redis_url = dedicated_redis_url()
    media_root = tmp_path / "media-must-stay-empty"
    logs = tmp_path / "logs"
    logs.mkdir()
    stack = Stack(logs)
    broker = redis.Redis.from_url(redis_url)
    broker.flushdb()
    admin_sql(server, f'CREATE DATABASE "{database}"')
    seeding = None
    try:
        # The object store.
        s3_port = free_port()
        stack.start(
            "moto",
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
            dict(os.environ),
        )
        wait_for(lambda: port_open(s3_port), timeout=30, what="moto's S3 server", stack=stack)
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{s3_port}",
            region_name="us-east-1",
            aws_access_key_id="scale-test",
            aws_secret_access_key="scale-test",
        )
        s3.create_bucket(Bucket=bucket)

        direct_url = pg_url(server, database)
        pooler_port = start_pgbouncer(stack, server, database)
        if pooler_port:
            pooled = {
                "DATABASE_URL": pg_url(server, database, host="127.0.0.1", port=pooler_port),
                "DISABLE_SERVER_SIDE_CURSORS": "true",
            }
            session_pooled = {
                "DATABASE_URL": pg_url(
                    server, f"{database}_session", host="127.0.0.1", port=pooler_port
                ),
                "DISABLE_SERVER_SIDE_CURSORS": "false",
            }
        else:
            pooled = session_pooled = {"DATABASE_URL": direct_url}

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "peacekeeping.settings",
            "DEBUG": "false",
            "SECRET_KEY": "scale-out-test-secret-key-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": direct_url,
            "DISABLE_SERVER_SIDE_CURSORS": "false",
            "REDIS_URL": redis_url,
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "scale-test",
            "AWS_SECRET_ACCESS_KEY": "scale-test",
            "MEDIA_ROOT": str(media_root),
            # Every export with a row is a background job; no throttling of the load.
            "EXPORT_ASYNC_THRESHOLD": "0",
            "API_THROTTLE_USER": "1000000/hour",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("TEST_DATABASE_NAME", None)

        def manage(*args: str) -> str:
            result = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
            )
            assert result.returncode == 0, f"manage.py {args}: {result.stderr[-3000:]}"
            return result.stdout

        # Migrations go straight to PostgreSQL, as the compose file's `migrate` service.
        manage("migrate", "--no-input")
        seeding = subprocess.Popen(
            [sys.executable, "manage.py", "seed_demo", "--force"],
            cwd=ROOT,
            env=env,
            stdout=(logs / "seed_demo.log").open("ab"),
            stderr=subprocess.STDOUT,
        )

        web = {name: free_port() for name in ("a", "b")}
        for name, port in web.items():
            stack.start(
                f"web-{name}",
                [
                    str(BIN / "gunicorn"),
                    "peacekeeping.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "5",
                    "--access-logfile",
                    "-",
                ],
                {**env, **pooled},
            )
        workers = {
            "reports": ("reports", pooled),
            "mixed": ("exports,notifications,celery", session_pooled),
        }
        for name, (queues, database_env) in workers.items():
            stack.start(
                f"worker-{name}",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "peacekeeping",
                    "worker",
                    "-Q",
                    queues,
                    f"--hostname={name}@scale-test",
                    "--concurrency=1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=INFO",
                ],
                {**env, **database_env},
            )

        assert seeding.wait(timeout=180) == 0, (logs / "seed_demo.log").read_text()[-3000:]
        token = manage("create_api_token", "demo-legal").strip().splitlines()[-1]
        a, b = (f"http://127.0.0.1:{web[name]}" for name in ("a", "b"))
        for base in (a, b):
            wait_for(
                lambda base=base: (
                    port_open(int(base.rsplit(":", 1)[1]))
                    and call("GET", f"{base}/readyz/", token=token)[0] == 200
                ),
                timeout=90,
                what=f"{base}/readyz/",
                stack=stack,
            )
        stack.assert_running()
        setup_seconds = time.monotonic() - started

        # 1. A report requested through web A, built by worker R, downloaded through web B.
        status, _headers, body = call(
            "POST", f"{a}/api/v1/followup-reports/", token=token, body={"host_state": STATE}
        )
        assert status == 201, body
        report_id = json.loads(body)["id"]
        requested = time.monotonic()

        def finished():
            status, _headers, body = call(
                "GET", f"{b}/api/v1/followup-reports/{report_id}/", token=token
            )
            assert status == 200, body
            report = json.loads(body)
            return report if report["status"] in {"done", "failed"} else None

        report = wait_for(finished, timeout=120, what="the report", stack=stack, interval=0.5)
        report_seconds = time.monotonic() - requested
        assert report["status"] == "done", report["error"]
        for fmt in ("pdf", "xlsx", "html"):
            link = report["files"][fmt]
            assert link["url"].startswith(b)  # B's own answer, B's own link
            status, headers, content = call("GET", link["url"], token=token)
            assert status == 200, content[:500]
            assert hashlib.sha256(content).hexdigest() == link["sha256"]
            assert headers["X-Content-SHA256"] == link["sha256"]
            assert int(headers["Content-Length"]) == len(content)
        assert content.startswith(b"<!DOCTYPE html>") or b"<html" in content[:500]
        [(built_by, pdf_name)] = query(
            server,
            database,
            "SELECT worker, pdf FROM accountability_followupreport WHERE id = %s",
            [report_id],
        )
        assert built_by == "reports@scale-test"
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
        assert pdf_name in keys

        # 2. A mixed load across both web processes, bounded in time, loopback only.
        load = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(LOAD_USERS),
                "--spawn-rate",
                str(LOAD_USERS),
                "--run-time",
                f"{LOAD_SECONDS}s",
                "--stop-timeout",
                "5",
                "--only-summary",
                "--csv",
                str(tmp_path / "load"),
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                key: value
                for key, value in {
                    **os.environ,
                    "SCALE_HOSTS": f"{a},{b}",
                    "SCALE_TOKEN": token,
                    "SCALE_STATE": STATE,
                }.items()
                if key != "DJANGO_SETTINGS_MODULE"
            },
            capture_output=True,
            text=True,
            timeout=LOAD_SECONDS + 60,
        )
        with (tmp_path / "load_stats.csv").open() as handle:
            stats = {row["Name"]: row for row in csv.DictReader(handle)}
        total = stats["Aggregated"]
        assert load.returncode == 0, f"{load.stdout[-3000:]}\n{load.stderr[-3000:]}"
        assert int(total["Failure Count"]) == 0, load.stdout[-3000:]
        assert int(stats["POST /api/v1/exports/"]["Request Count"]) > 0
        assert int(stats["POST /api/v1/followup-reports/"]["Request Count"]) > 0
        stack.assert_running()

        # Every job the load asked for is built, each by the worker of its queue.
        def jobs():
            reports = query(
                server, database, "SELECT status, worker FROM accountability_followupreport"
            )
            exports = query(
                server,
                database,
                "SELECT status, worker FROM accountability_exportjob WHERE delivery = 'stored'",
            )
            return reports, exports

        def drained():
            reports, exports = jobs()
            unfinished = [s for s, _w in reports + exports if s in {"pending", "running"}]
            return None if unfinished else (reports, exports)

        drained_from = time.monotonic()
        reports, exports = wait_for(
            drained,
            timeout=150,
            what="the workers to finish the jobs of the load",
            stack=stack,
            interval=1.0,
        )
        drain_seconds = time.monotonic() - drained_from
        assert {status for status, _w in reports + exports} == {"done"}, (reports, exports)
        assert {worker for _s, worker in reports} == {"reports@scale-test"}
        assert {worker for _s, worker in exports} == {"mixed@scale-test"}
        # Requests of an unchanged period return its existing version: one report at least.
        assert len(reports) >= 1 and len(exports) > 0
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
        assert any(key.startswith("exports/") for key in keys)
        assert any(key.startswith("reports/") for key in keys)
        # Nothing was written on this machine's disk: the files are objects in the bucket.
        assert not media_root.exists() or not any(media_root.rglob("*"))
        stack.assert_running()

        # The numbers behind README, "Scaling out" (shown with pytest -s).
        print(  # noqa: T201
            json.dumps(
                {
                    "pooler": "pgbouncer" if pooler_port else "direct",
                    "setup_seconds": round(setup_seconds, 1),
                    "first_report_seconds": round(report_seconds, 1),
                    "requests": int(total["Request Count"]),
                    "requests_per_second": round(float(total["Requests/s"]), 1),
                    "median_ms": total["Median Response Time"],
                    "p95_ms": total["95%"],
                    "max_ms": round(float(total["Max Response Time"])),
                    "reports_built": len(reports),
                    "exports_built": len(exports),
                    "drain_seconds": round(drain_seconds, 1),
                    "per_endpoint_p95_ms": {
                        name: row["95%"] for name, row in stats.items() if name != "Aggregated"
                    },
                },
                indent=1,
            )
        )
    finally:
        if seeding is not None and seeding.poll() is None:
            seeding.kill()
            seeding.wait(timeout=10)
        stack.stop()
        broker.flushdb()
        admin_sql(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
