"""COPY ... FROM STDIN for the importers (PostgreSQL only), from rows in memory.

COPY is PostgreSQL's own bulk load: one statement per chunk instead of an INSERT with
thousands of parameters. Row triggers still fire for every row (the row history of
`peacekeeping.history` is written as for any INSERT), and so do the constraints.

Rows are written as CSV by the csv module (C code): None becomes an unquoted empty field,
which COPY reads as NULL, and every other value is quoted, so an empty string stays one.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import connection

CHUNK_ROWS = 50_000


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Load `rows` (tuples in the order of `columns`) into `table`; how many were loaded.

    Values: str, int, bool, date, aware datetime (written by str(): ISO with its offset),
    or None for NULL.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    total = 0
    with connection.cursor() as cursor:
        chunk: list[Sequence] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK_ROWS:
                total += _copy_chunk(cursor, sql, chunk)
                chunk = []
        if chunk:
            total += _copy_chunk(cursor, sql, chunk)
    return total


def _copy_chunk(cursor, sql: str, rows: list[Sequence]) -> int:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cursor.cursor.copy_expert(sql, buffer, size=1 << 20)
    return len(rows)


def next_ids(table: str, count: int) -> list[int]:
    """`count` ids from the table's own sequence, as the INSERTs would have taken them."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load, inside the transaction: the
    queries that follow (the cases to open, their counts) would otherwise be planned for
    the tables as they were before."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
