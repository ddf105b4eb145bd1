"""Database-level history: triggers on every domain table (PostgreSQL).

`install_history_triggers` runs after every migrate (see PeacekeepingConfig.ready), so a
table added by a later migration is covered without anyone remembering. Who and from
where come from settings that `db_actor` (and the request middleware) set: session
settings on a connection of its own, or, behind PgBouncer in transaction mode, settings
local to the transaction of each write (see `TransactionActor`).
"""

from __future__ import annotations

import contextlib
import logging
import re

from django.apps import apps
from django.db import connection, transaction

# The proxy-aware address, as login throttling and the audit trail see it (also imported
# from here by peacekeeping/api.py).
from peacekeeping.accounts.network import client_ip

logger = logging.getLogger(__name__)

HISTORY_APPS = ("missions", "incidents", "accountability", "reports", "exports")
# Derived documents, not records: a report's progress ticks would flood the history, and
# its requests and results are in the audit trail already.
HISTORY_EXCLUDED = {
    "accountability_followupreport",
    "accountability_impunitydigest",
    "accountability_exportjob",
}
# Accounts, outside the domain apps but as much a part of the record: who could do what,
# granted when and by whom. Each table names its id column (a token's primary key is its
# key: a credential) and the columns whose values are replaced by a digest, so the history
# shows that a password or token changed without holding either.
ACCOUNT_TABLES: dict[str, tuple[str, ...]] = {
    "auth_user": ("id", "password"),
    "auth_group": ("id",),
    "auth_group_permissions": ("id",),
    "auth_user_groups": ("id",),
    "auth_user_user_permissions": ("id",),
    "authtoken_token": ("user_id", "key"),
}
# Tables that are append-only: no UPDATE or DELETE, ever.
IMMUTABLE_TABLES = (
    "peacekeeping_rowhistory",
    "peacekeeping_auditentry",
    "peacekeeping_auditcheckpoint",
)
# Tables that may lose rows only with their parent (cascade), never be edited.
NO_UPDATE_TABLES = ("accountability_procedurestep", "accountability_caseevent")

# One trigger per statement and operation, reading the statement's rows from its
# transition tables (PostgreSQL 10+): a bulk write (the UN file's import, a queryset
# update) records its rows with one INSERT ... SELECT instead of one PL/pgSQL call and
# one INSERT per row, which cost a quarter of an insert's time. Every row is still
# recorded, with its before and after images; an UPDATE that changes nothing in a row
# records nothing for it. The writer is read once per statement.
_HISTORY_COLUMNS = (
    "occurred_at, table_name, object_id, operation, before, after, "
    "actor_id, actor_name, ip_address, context"
)
_ACTOR = """
  v_actor_id bigint := NULLIF(current_setting('peacekeeping.actor_id', true), '')::bigint;
  v_actor_name text := COALESCE(
    NULLIF(current_setting('peacekeeping.actor_name', true), ''), current_user);
  v_ip inet := NULLIF(current_setting('peacekeeping.ip', true), '')::inet;
  v_context text := COALESCE(current_setting('peacekeeping.context', true), '');
  -- Arguments: the id column (default id), then columns kept only as a digest.
  v_id text := COALESCE(TG_ARGV[0], 'id');
  v_secrets text[] := COALESCE(TG_ARGV[1:TG_NARGS - 1], ARRAY[]::text[]);
"""
_FUNCTION = rf"""
DROP FUNCTION IF EXISTS peacekeeping_row_history() CASCADE;

-- Secret columns (a password hash, an API token's key) are recorded as a short digest:
-- the history shows that they changed, never what they are.
CREATE OR REPLACE FUNCTION peacekeeping_history_mask(img jsonb, secrets text[])
RETURNS jsonb AS $$
DECLARE
  secret text;
BEGIN
  FOREACH secret IN ARRAY secrets LOOP
    IF img ->> secret IS NOT NULL THEN
      img := jsonb_set(img, ARRAY[secret], to_jsonb('sha256:' ||
        left(encode(sha256(convert_to(img ->> secret, 'UTF8')), 'hex'), 16)));
    END IF;
  END LOOP;
  RETURN img;
END
$$ LANGUAGE plpgsql IMMUTABLE;

CREATE OR REPLACE FUNCTION peacekeeping_history_insert() RETURNS trigger AS $$
DECLARE {_ACTOR}
BEGIN
  INSERT INTO peacekeeping_rowhistory ({_HISTORY_COLUMNS})
  SELECT clock_timestamp(), TG_TABLE_NAME, n.img->>v_id, 'INSERT', NULL,
         peacekeeping_history_mask(n.img, v_secrets),
         v_actor_id, v_actor_name, v_ip, v_context
  FROM (SELECT to_jsonb(t) AS img FROM new_rows AS t) AS n;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION peacekeeping_history_update() RETURNS trigger AS $$
DECLARE {_ACTOR}
BEGIN
  INSERT INTO peacekeeping_rowhistory ({_HISTORY_COLUMNS})
  SELECT clock_timestamp(), TG_TABLE_NAME, n.img->>v_id, 'UPDATE',
         peacekeeping_history_mask(o.img, v_secrets), peacekeeping_history_mask(n.img, v_secrets),
         v_actor_id, v_actor_name, v_ip, v_context
  FROM (SELECT to_jsonb(t) AS img FROM old_rows AS t) AS o
  JOIN (SELECT to_jsonb(t) AS img FROM new_rows AS t) AS n ON n.img->v_id = o.img->v_id
  WHERE n.img <> o.img;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION peacekeeping_history_delete() RETURNS trigger AS $$
DECLARE {_ACTOR}
BEGIN
  INSERT INTO peacekeeping_rowhistory ({_HISTORY_COLUMNS})
  SELECT clock_timestamp(), TG_TABLE_NAME, o.img->>v_id, 'DELETE',
         peacekeeping_history_mask(o.img, v_secrets), NULL,
         v_actor_id, v_actor_name, v_ip, v_context
  FROM (SELECT to_jsonb(t) AS img FROM old_rows AS t) AS o;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION peacekeeping_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def history_tables() -> list[str]:
    tables = []
    for label in HISTORY_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if not model._meta.proxy and model._meta.managed and table not in HISTORY_EXCLUDED:
                tables.append(table)
    return sorted({*tables, *ACCOUNT_TABLES})


def history_trigger_sql(table: str) -> list[str]:
    """The statements that (re)create `table`'s history triggers: one per operation
    (a trigger with transition tables takes one event), named `<table>_<op>_history`.
    Dropped first: CREATE OR REPLACE cannot add transition tables to a trigger."""
    # Account tables name their id column and the columns kept only as a digest.
    arguments = ", ".join(f"'{a}'" for a in ACCOUNT_TABLES.get(table, ()))
    statements = []
    for operation, transition in (
        ("insert", "NEW TABLE AS new_rows"),
        ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("delete", "OLD TABLE AS old_rows"),
    ):
        name = f"{table}_{operation}_history"
        statements += [
            f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
            f'CREATE TRIGGER "{name}" AFTER {operation.upper()} ON "{table}" '
            f"REFERENCING {transition} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION peacekeeping_history_{operation}({arguments})",
        ]
    return statements


def install_history_triggers(using_connection=None) -> int:
    """Create or replace the triggers; returns how many tables are covered."""
    conn = using_connection or connection
    if conn.vendor != "postgresql":
        return 0
    existing = set(conn.introspection.table_names())
    tables = [t for t in history_tables() if t in existing]
    with conn.cursor() as cursor:
        cursor.execute(_FUNCTION)
        for table in HISTORY_EXCLUDED & existing:
            for operation in ("insert", "update", "delete"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{table}_{operation}_history" ON "{table}"')
        for table in tables:
            for sql in history_trigger_sql(table):
                cursor.execute(sql)
        for table in IMMUTABLE_TABLES:
            if table in existing:
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE '
                    f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION peacekeeping_refuse_change()'
                )
        for table in NO_UPDATE_TABLES:
            if table in existing:
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER "{table}_no_update" BEFORE UPDATE '
                    f'ON "{table}" FOR EACH ROW EXECUTE FUNCTION peacekeeping_refuse_change()'
                )
    return len(tables)


_SET_ACTOR = (
    "SELECT set_config('peacekeeping.actor_id', %s, {local}),"
    " set_config('peacekeeping.actor_name', %s, {local}),"
    " set_config('peacekeeping.ip', %s, {local}),"
    " set_config('peacekeeping.context', %s, {local})"
)
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def behind_transaction_pooler(conn) -> bool:
    """PgBouncer in transaction mode lends a server connection for one transaction only;
    the settings that point DATABASE_URL at it also disable server-side cursors."""
    return bool(conn.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"))


class TransactionActor:
    """Execute wrapper naming the writer in the transaction of each write.

    Behind a transaction pooler, two transactions of one Django connection may run on two
    server connections, and a session setting made on one would name this writer in
    another client's rows. So the actor is set with `set_config(..., true)` (local to the
    transaction) just before each INSERT, UPDATE or DELETE, in the same transaction: one
    extra round trip per write, none per read. An autocommit write gets a transaction
    around the pair.
    """

    def __init__(self, values: list[str]):
        self.values = values

    def __call__(self, execute, sql, params, many, context):
        if not isinstance(sql, str) or not _WRITE.match(sql):
            return execute(sql, params, many, context)
        conn = context["connection"]
        raw = context["cursor"].cursor  # the driver's cursor: no wrapper, no query log
        if conn.get_autocommit():
            with transaction.atomic(using=conn.alias):
                raw.execute(_SET_ACTOR.format(local="true"), self.values)
                return execute(sql, params, many, context)
        raw.execute(_SET_ACTOR.format(local="true"), self.values)
        return execute(sql, params, many, context)


def _drop_transaction_actor(conn) -> None:
    conn.execute_wrappers[:] = [
        w for w in conn.execute_wrappers if not isinstance(w, TransactionActor)
    ]


def set_db_actor(*, user=None, ip: str | None = None, context: str = "") -> None:
    """Name who is writing, for the history triggers, on this connection."""
    if connection.vendor != "postgresql":
        return
    is_user = user is not None and getattr(user, "is_authenticated", False)
    values = [
        str(user.pk) if is_user else "",
        user.get_username() if is_user else "",
        ip or "",
        context[:200],
    ]
    if behind_transaction_pooler(connection):
        _drop_transaction_actor(connection)
        if any(values):
            connection.execute_wrappers.append(TransactionActor(values))
        return
    with connection.cursor() as cursor:
        cursor.execute(_SET_ACTOR.format(local="false"), values)


def clear_db_actor() -> None:
    if connection.vendor != "postgresql":
        return
    if behind_transaction_pooler(connection):
        _drop_transaction_actor(connection)
        return
    if connection.connection is None:
        return
    try:
        set_db_actor()
    except Exception:  # a broken connection is discarded by Django anyway
        logger.debug("could not clear the history actor", exc_info=True)


@contextlib.contextmanager
def db_actor(*, user=None, ip: str | None = None, context: str = ""):
    """`with db_actor(user=u, context="task:build_report"):` for tasks and commands."""
    set_db_actor(user=user, ip=ip, context=context)
    try:
        yield
    finally:
        clear_db_actor()


class HistoryActorMiddleware:
    """For requests that may write, tell the history triggers who is writing."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE or connection.vendor != "postgresql":
            return self.get_response(request)
        set_db_actor(
            user=getattr(request, "user", None),
            ip=client_ip(request),
            context=f"{request.method} {request.path}"[:200],
        )
        try:
            return self.get_response(request)
        finally:
            clear_db_actor()
