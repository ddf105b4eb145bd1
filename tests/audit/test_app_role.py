"""The app's database role cannot rewrite history, and a cut history shows.

The app role is created inside the test database's cluster by the owner (the role the
tests run as), exactly as `manage.py setup_app_role` creates it in production.
"""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from peacekeeping.audit import audit_record, audit_verify_chain
from peacekeeping.checkpoints import Expected, audit_checkpoint_take
from peacekeeping.db_roles import app_role_create, app_role_grant
from peacekeeping.models import AuditCheckpoint, AuditEntry, RowHistory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]

PASSWORD = "app-role-test-password"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app_role():
    """(role, connect): the role, and a function opening a connection as it."""
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    app_role_create(role=role, password=PASSWORD)
    app_role_grant(role=role)
    opened = []

    def connect():
        settings = connection.settings_dict
        conn = psycopg2.connect(
            host=settings["HOST"] or "127.0.0.1",
            port=settings["PORT"] or 5432,
            dbname=settings["NAME"],
            user=role,
            password=PASSWORD,
        )
        conn.autocommit = True
        opened.append(conn)
        return conn

    yield role, connect
    for conn in opened:
        conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def history():
    """An audit entry and a row of history to protect."""
    from missions.models import Mission

    mission = Mission.objects.create(acronym="ROLETEST", name_en="Role test")
    audit_record(actor=None, action="test", obj=mission)
    return mission


@pytest.mark.parametrize(
    "trick",
    [
        "TRUNCATE peacekeeping_rowhistory",
        "TRUNCATE peacekeeping_auditentry",
        "SET session_replication_role = replica",
        "ALTER TABLE peacekeeping_rowhistory DISABLE TRIGGER ALL",
        "ALTER TABLE peacekeeping_auditentry DISABLE TRIGGER peacekeeping_auditentry_append_only",
        "DELETE FROM peacekeeping_auditentry",
        "UPDATE peacekeeping_rowhistory SET actor_name = 'forger'",
        "DELETE FROM peacekeeping_auditcheckpoint",
        "DROP TRIGGER peacekeeping_rowhistory_append_only ON peacekeeping_rowhistory",
    ],
)
def test_the_app_role_cannot_get_past_the_append_only_history(app_role, history, trick):
    _role, connect = app_role
    audit_checkpoint_take()
    before = (AuditEntry.objects.count(), RowHistory.objects.count())
    cursor = connect().cursor()

    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute(trick)

    assert (AuditEntry.objects.count(), RowHistory.objects.count()) == before
    assert AuditCheckpoint.objects.count() == 1


def test_the_app_role_owns_nothing_and_is_no_superuser(app_role):
    role, connect = app_role
    cursor = connect().cursor()
    cursor.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
        " WHERE rolname = current_user"
    )
    assert cursor.fetchone() == (False, False, False, False)
    cursor.execute(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles"
        " WHERE rolname = current_user)"
    )
    assert cursor.fetchone() == (0,)


def test_the_app_works_as_the_app_role(app_role, history):
    """A service write, its history, a checkpoint and a verification, run by the app's
    own code connected as the app role (a process of its own, as in production)."""
    role, _connect = app_role
    settings = connection.settings_dict
    url = (
        f"postgres://{role}:{PASSWORD}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    script = (
        "from missions.models import Mission\n"
        "from peacekeeping.audit import audit_record, audit_verify_chain\n"
        "from peacekeeping.checkpoints import audit_checkpoint_take\n"
        "m = Mission.objects.get(acronym='ROLETEST')\n"
        "m.name_en = 'Renamed by the app role'\n"
        "m.save()\n"
        "audit_record(actor=None, action='rename', obj=m)\n"
        "assert audit_checkpoint_take() is not None\n"
        "assert audit_verify_chain() == [], audit_verify_chain()\n"
        "print('ok')\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "peacekeeping.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert RowHistory.objects.filter(
        table_name="missions_mission", operation="UPDATE", actor_name=role
    ).exists()


def test_setup_app_role_refuses_a_role_that_owns_tables(history):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="another role than the owner"):
        call_command("setup_app_role", role=connection.settings_dict["USER"] or "postgres")


def _cut(sql: str) -> None:
    """What only an owner or a superuser can do: past the triggers, then delete."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def _five_entries(history):
    for n in range(5):
        audit_record(actor=None, action=f"step {n}", obj=history)


def test_a_cut_tail_of_the_audit_chain_is_detected(history):
    _five_entries(history)
    audit_checkpoint_take()
    assert audit_verify_chain() == []

    _cut(
        "DELETE FROM peacekeeping_auditentry WHERE id IN "
        "(SELECT id FROM peacekeeping_auditentry ORDER BY id DESC LIMIT 2)"
    )

    problems = audit_verify_chain()
    assert any("was cut" in problem for problem in problems), problems


def test_an_emptied_audit_trail_and_row_history_are_detected(history):
    _five_entries(history)
    audit_checkpoint_take()

    _cut("TRUNCATE peacekeeping_auditentry, peacekeeping_rowhistory")

    problems = audit_verify_chain()
    assert any("audit trail holds 0 entries" in problem for problem in problems), problems
    assert any("row history holds 0 rows" in problem for problem in problems), problems


def test_a_cut_is_detected_against_a_checkpoint_kept_outside_the_database(history):
    _five_entries(history)
    checkpoint = audit_checkpoint_take()
    kept = Expected(
        audit_last_id=checkpoint.audit_last_id,
        audit_last_hash=checkpoint.audit_last_hash,
        audit_count=checkpoint.audit_count,
    )
    # Whoever cut the history also removed the checkpoints.
    _cut("TRUNCATE peacekeeping_auditentry, peacekeeping_auditcheckpoint")

    assert audit_verify_chain() == []  # nothing left in the database to compare with
    assert audit_verify_chain(expected=kept) != []
    with pytest.raises(Exception, match="not intact"):
        call_command(
            "verify_audit_chain",
            audit_last_id=kept.audit_last_id,
            audit_last_hash=kept.audit_last_hash,
            audit_count=kept.audit_count,
        )


def test_writes_after_the_checkpoint_keep_the_chain_intact(history):
    audit_checkpoint_take()
    _five_entries(history)

    assert audit_verify_chain() == []
    assert audit_checkpoint_take() is not None
    assert audit_checkpoint_take() is None  # nothing new: no new checkpoint
