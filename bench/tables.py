"""Rows in memory and their COPY into PostgreSQL: the benchmark generator's plumbing."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return keys, [weights[k] for k in keys]


@dataclass
class Table:
    """Rows of one table, in the order of `columns`, ready for COPY."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\t" in text or "\n" in text or "\\" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return text


def copy_rows(cursor, table: Table, *, chunk: int = 100_000) -> int:
    """COPY the rows in chunks of `chunk` (PostgreSQL's text format, from memory)."""
    columns = ", ".join(f'"{c}"' for c in table.columns)
    sql = f'COPY "{table.name}" ({columns}) FROM STDIN'
    for start in range(0, len(table.rows), chunk):
        buffer = io.StringIO()
        buffer.writelines(
            "\t".join(_cell(v) for v in row) + "\n" for row in table.rows[start : start + chunk]
        )
        buffer.seek(0)
        cursor.copy_expert(sql, buffer, size=1 << 20)
    return len(table.rows)


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)
