"""Two PostgreSQL roles: the owner migrates, the app role only reads and writes rows.

The owner (in compose: POSTGRES_USER) owns the schema and runs `migrate`. Web processes
and workers connect as the app role (DATABASE_APP_ROLE), which owns nothing, is no
superuser, and holds only the rights the app uses:

- SELECT, INSERT, UPDATE, DELETE on the domain and framework tables;
- SELECT and INSERT only on the audit trail, the row history and the checkpoints
  (HISTORY_TABLES), no UPDATE or DELETE on the procedure's steps and the case events
  (they may go only with their parent), SELECT only on django_migrations;
- sequences: USAGE and SELECT.

So TRUNCATE of the history (no TRUNCATE right), `SET session_replication_role = replica`
(superuser only) and `ALTER TABLE ... DISABLE TRIGGER` (owner only) all fail for it, and
the append-only triggers stand. `app_role_grant` runs after every migrate when
DATABASE_APP_ROLE is set (PeacekeepingConfig), so a table a later migration adds is
covered; `manage.py setup_app_role` creates the role and grants once by hand.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

from peacekeeping.history import IMMUTABLE_TABLES, NO_UPDATE_TABLES

# The app may add rows here and read them; nothing else.
HISTORY_TABLES = IMMUTABLE_TABLES
READ_ONLY_TABLES = ("django_migrations",)

_ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"


class RoleError(Exception):
    """The app role cannot be set up as asked (a message for the operator)."""


def _quote(conn, name: str) -> str:
    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise RoleError(f"{name!r} is not a plain role name (letters, digits, _ and -).")
    return conn.ops.quote_name(name)


def app_role_create(*, role: str, password: str = "", using_connection=None) -> None:
    """Create the role, or bring an existing one back to the attributes it must have."""
    conn = using_connection or default_connection
    quoted = _quote(conn, role)
    with conn.cursor() as cursor:
        cursor.execute("SELECT rolname = current_user FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row and row[0]:
            raise RoleError(
                f"{role!r} is the role running this command: the app role must be another "
                "role than the owner that migrates."
            )
        verb = "ALTER" if row else "CREATE"
        cursor.execute(f"{verb} ROLE {quoted} {_ROLE_ATTRIBUTES}")
        if password:
            # ALTER ROLE takes no bind parameters: quote the literal as PostgreSQL does.
            literal = "'" + password.replace("'", "''") + "'"
            cursor.execute(f"ALTER ROLE {quoted} PASSWORD {literal}")


@transaction.atomic
def app_role_grant(*, role: str, using_connection=None) -> int:
    """Give the role exactly the rights above on every table of the schema; returns how
    many tables. Refuses a role that owns anything or is a superuser."""
    conn = using_connection or default_connection
    if conn.vendor != "postgresql":
        return 0
    quoted = _quote(conn, role)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
            " FROM pg_roles r WHERE rolname = %s",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            raise RoleError(f"role {role!r} does not exist: run manage.py setup_app_role.")
        superuser, owned = row
        if superuser or owned:
            raise RoleError(
                f"role {role!r} must be no superuser and own no table "
                f"(superuser: {superuser}, owns {owned}): it would pass the triggers."
            )
        schema = "current_schema()"
        cursor.execute(f"SELECT {schema}")
        schema_name = conn.ops.quote_name(cursor.fetchone()[0])
        tables = [t.name for t in conn.introspection.get_table_list(cursor) if t.type in {"t", "p"}]
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema_name} TO {quoted}")
        # Start from nothing, so a right given by hand earlier does not linger.
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {quoted}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_name} FROM {quoted}")
        for table in tables:
            if table in HISTORY_TABLES:
                rights = "SELECT, INSERT"
            elif table in NO_UPDATE_TABLES:
                rights = "SELECT, INSERT, DELETE"
            elif table in READ_ONLY_TABLES:
                rights = "SELECT"
            else:
                rights = "SELECT, INSERT, UPDATE, DELETE"
            cursor.execute(f"GRANT {rights} ON {conn.ops.quote_name(table)} TO {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {quoted}")
    return len(tables)
