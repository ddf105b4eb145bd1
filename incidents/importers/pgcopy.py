"""COPY ... FROM STDIN for the importers (PostgreSQL only), from rows in memory.

COPY is PostgreSQL's own bulk load: one statement per chunk instead of an INSERT with
thousands of parameters. Row triggers still fire for every row (the row history of
`peacekeeping.history` is written as for any INSERT), and so do the constraints.

Rows are written as CSV by the csv module (C code): None becomes an unquoted empty field,
which COPY reads as NULL, and every other value is quoted, so an empty string stays one.

The CSV is streamed: psycopg2 asks for the next piece (`_CsvStream.read`) while
PostgreSQL is still loading the pieces before it, so making the rows and their text in
Python overlaps with the server's work (two cores) instead of preceding it.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice

from django.db import connection

CHUNK_ROWS = 50_000  # rows per COPY statement
PIECE_ROWS = 1_000  # rows per piece of CSV handed to psycopg2


class _CsvStream:
    """A file-like object psycopg2's copy_expert reads: each read() is the CSV of the
    next PIECE_ROWS rows, made when asked for; '' once `rows` is exhausted."""

    def __init__(self, rows: Iterator[Sequence]) -> None:
        self._rows = rows
        self._buffer = io.StringIO()
        self._write = csv.writer(
            self._buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n"
        ).writerows
        self.count = 0

    def read(self, size: int = -1) -> str:
        piece = list(islice(self._rows, PIECE_ROWS))
        if not piece:
            return ""
        self.count += len(piece)
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._write(piece)
        return buffer.getvalue()


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Load `rows` (tuples in the order of `columns`) into `table`; how many were loaded.

    Values: str, int, bool, date, aware datetime (written by str(): ISO with its offset),
    or None for NULL. `rows` may be a generator: it is consumed as the rows are sent.
    """
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    rows = iter(rows)
    total = 0
    with connection.cursor() as cursor:
        while (first := next(rows, None)) is not None:  # no COPY without a row
            stream = _CsvStream(chain((first,), islice(rows, CHUNK_ROWS - 1)))
            cursor.cursor.copy_expert(sql, stream, size=1 << 16)
            total += stream.count
    return total


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
