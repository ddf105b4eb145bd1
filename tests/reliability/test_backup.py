"""Backup: `pg_dump -Fc` of the database restored into a new database has every record
and every history entry, and the restored audit chain verifies (README, "Backup and
restore" gives the commands run here)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from incidents.services import attachment_add
from peacekeeping.models import AuditEntry, RowHistory
from tests.reliability.conftest import subprocess_database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
VERIFY = """
import json, django
django.setup()
from django.db import connection
from peacekeeping.audit import audit_verify_chain
problems = audit_verify_chain()
with connection.cursor() as cursor:
    try:
        cursor.execute("UPDATE peacekeeping_auditentry SET action = 'x'")
        refused = False
    except Exception:
        refused = True
print(json.dumps({"problems": problems, "append_only": refused}))
"""


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"] or "postgres"
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(*command: str) -> str:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def _table_fingerprints(cursor) -> dict[str, tuple[int, str]]:
    """Rows and a digest of their content, per table of the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    fingerprints = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{table}" t'
        )
        fingerprints[table] = cursor.fetchone()
    return fingerprints


@pytest.fixture
def restored(tmp_path):
    """The test database dumped and restored into a new one; its name."""
    source = connection.settings_dict["NAME"]
    target = f"restore_{secrets.token_hex(6)}"
    dump = tmp_path / "peacekeeping.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    _run("createdb", target)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump))
        yield target
    finally:
        _run("dropdb", "--if-exists", "--force", target)


def test_a_restored_dump_has_every_record_and_every_history_entry(
    needs_postgres, world, media_root, request
):
    attachment_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%x\n"),
    )
    assert RowHistory.objects.count() > 0 and AuditEntry.objects.count() > 0
    with connection.cursor() as cursor:
        before = _table_fingerprints(cursor)

    target = request.getfixturevalue("restored")

    import psycopg2

    db = connection.settings_dict
    other = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=target,
    )
    try:
        with other.cursor() as cursor:
            after = _table_fingerprints(cursor)
    finally:
        other.close()
    assert after == before
    assert after["peacekeeping_rowhistory"][0] == RowHistory.objects.count()
    assert after["peacekeeping_auditentry"][0] == AuditEntry.objects.count()

    url = urlsplit(subprocess_database_url())
    verify = subprocess.run(
        [sys.executable, "-c", VERIFY],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{target}"))},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
    answer = json.loads(verify.stdout.strip().splitlines()[-1])
    assert answer == {"problems": [], "append_only": True}  # chain intact, triggers restored
