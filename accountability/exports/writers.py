"""Rows to CSV, XLSX or JSON, written to a file in constant memory.

Formula neutralisation (OWASP "CSV injection"): in CSV and XLSX, a **text** cell whose
first character is `=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in
front, so a spreadsheet shows it as text and never evaluates it. Numbers, dates and
booleans are typed by the database and cannot hold a formula: they are written as they
are, so a negative longitude (-4.31) stays a number (a numeric cell in XLSX). JSON is not
read by spreadsheets: its strings are left exactly as stored.

On PostgreSQL, CSV is written by `COPY (SELECT ...) TO STDOUT` through psycopg2's
`copy_expert`, straight from the server into the file; the same formatting and
neutralisation are done in that SELECT, so both paths give the same cells (the tests run
the injection corpus through both). Elsewhere, and for XLSX and JSON, rows come from
`values_list().iterator(chunk_size)`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO

from django.db import connection

TEXT, INT, DECIMAL, DATE, DATETIME, BOOL = "text", "int", "decimal", "date", "datetime", "bool"

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"
# The most characters an Excel cell holds; longer text is cut (and says so).
XLSX_CELL_LIMIT = 32_767
# Rows per worksheet, header included; more rows continue on "<sheet> (2)" and so on.
XLSX_SHEET_ROWS = 1_048_576

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, the ORM expression that reads it, its type."""

    name: str
    expression: object
    type: str = TEXT


@dataclass(frozen=True)
class Written:
    """What was written: data rows (header excluded), bytes, SHA-256 of the file."""

    rows: int
    size: int
    sha256: str


def neutralise(value: str) -> str:
    """The text as a spreadsheet must show it: never as a formula."""
    return NEUTRALISING_PREFIX + value if value.startswith(FORMULA_TRIGGERS) else value


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- cell formatting, one function per column type and format -------------------------


def _csv_cell(kind: str) -> Callable:
    """The cell as text, or None for NULL."""
    if kind == TEXT:
        return lambda v: None if v is None else neutralise(str(v))
    if kind == DATETIME:
        return lambda v: None if v is None else _utc_text(v)
    if kind == DATE:
        return lambda v: None if v is None else v.isoformat()
    if kind == BOOL:
        return lambda v: None if v is None else ("true" if v else "false")
    return lambda v: None if v is None else str(v)


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _csv_line(cells: Iterable[str | None]) -> str:
    """One CSV line quoted exactly as PostgreSQL's COPY ... CSV quotes it: NULL is an
    empty field, an empty string is "", and a value with a comma, a quote, a CR or an LF
    (or the marker \\.) is quoted; lines end with LF. Both paths give the same bytes."""
    fields = []
    for cell in cells:
        if cell is None:
            fields.append("")
        elif cell == "" or cell == "\\." or _NEEDS_QUOTES.search(cell):
            fields.append('"' + cell.replace('"', '""') + '"')
        else:
            fields.append(cell)
    return ",".join(fields) + "\n"


def _json_cell(kind: str) -> Callable:
    if kind == DATETIME:
        return lambda v: None if v is None else _utc_text(v)
    if kind == DATE:
        return lambda v: None if v is None else v.isoformat()
    if kind == DECIMAL:
        return lambda v: None if v is None else float(v)
    if kind == BOOL:
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def xlsx_text(value) -> str | None:
    """A text cell as every workbook of the app writes it: legal characters, neutralised,
    within the cell limit (the exports and the follow-up report share it)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return None
    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if len(text) > XLSX_CELL_LIMIT:
        text = text[: XLSX_CELL_LIMIT - 12] + " [truncated]"
    return text


def _naive_utc(value: datetime | None) -> datetime | None:
    """Excel has no time zones: UTC without the zone (the column's name says UTC)."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _xlsx_cell(kind: str) -> Callable:
    if kind == TEXT:
        return xlsx_text
    if kind == DATETIME:
        return _naive_utc
    return lambda v: v


def pg_select_expression(alias: str, kind: str) -> str:
    """The COPY path's SQL for one column, formatted and neutralised like `_csv_cell`."""
    col = f't."{alias}"'
    if kind == TEXT:
        return (
            f"CASE WHEN left({col}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
            f"THEN '''' || {col} ELSE {col} END"
        )
    if kind == DATETIME:
        return f"""to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    if kind == DATE:
        return f"to_char({col}, 'YYYY-MM-DD')"
    if kind == BOOL:
        return f"CASE WHEN {col} THEN 'true' WHEN NOT {col} THEN 'false' END"
    return col


# --- writers -------------------------------------------------------------------------


def _chunks(rows: Iterable[Sequence], size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_csv(columns, rows, out: IO[bytes], *, chunk_size: int, on_progress=None) -> int:
    out.write(_csv_line(c.name for c in columns).encode())
    cells = [_csv_cell(c.type) for c in columns]
    count = 0
    for chunk in _chunks(rows, chunk_size):
        lines = [_csv_line(f(v) for f, v in zip(cells, row, strict=True)) for row in chunk]
        out.write("".join(lines).encode())
        count += len(chunk)
        if on_progress:
            on_progress(count)
    return count


def copy_csv(columns, copy_sql: str, out: IO[bytes]) -> int:
    """Header from Python, then the rows by COPY ... TO STDOUT (PostgreSQL)."""
    out.write(_csv_line(c.name for c in columns).encode())
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(copy_sql, out, size=256 * 1024)
        return cursor.cursor.rowcount


def write_json(columns, rows, out: IO[bytes], *, chunk_size: int, on_progress=None) -> int:
    """An array of objects, one per row; keys are the column names."""
    names = [c.name for c in columns]
    cells = [_json_cell(c.type) for c in columns]
    out.write(b"[")
    count = 0
    for chunk in _chunks(rows, chunk_size):
        parts = []
        for row in chunk:
            record = {n: f(v) for n, f, v in zip(names, cells, row, strict=True)}
            parts.append(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("".join(parts).encode())
        if on_progress:
            on_progress(count)
    out.write(b"\n]\n" if count else b"]\n")
    return count


def write_xlsx(
    columns,
    rows,
    out: IO[bytes],
    *,
    title: str,
    about: list[tuple[str, object]],
    chunk_size: int,
    on_progress=None,
) -> int:
    """A write-only workbook (rows go to disk as they come): the data sheet(s), frozen
    header, and an "Export" sheet that says what the export is."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def new_sheet(number: int):
        sheet = workbook.create_sheet(title=title[:25] + (f" ({number})" if number > 1 else ""))
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        return sheet

    sheets = 1
    sheet = new_sheet(sheets)
    in_sheet = 1
    cells = [_xlsx_cell(c.type) for c in columns]
    count = 0
    for chunk in _chunks(rows, chunk_size):
        for row in chunk:
            if in_sheet >= XLSX_SHEET_ROWS:
                sheets += 1
                sheet, in_sheet = new_sheet(sheets), 1
            sheet.append([f(v) for f, v in zip(cells, row, strict=True)])
            in_sheet += 1
        count += len(chunk)
        if on_progress:
            on_progress(count)
    info = workbook.create_sheet(title="Export")
    for key, value in [*about, ("rows", count)]:
        info.append([key, xlsx_text(value) if isinstance(value, str) else value])
    workbook.save(out)
    return count


def digest(out: IO[bytes]) -> tuple[int, str]:
    """Size and SHA-256 of the file written so far (read back from its start)."""
    out.flush()
    out.seek(0)
    sha = hashlib.sha256()
    size = 0
    while block := out.read(1024 * 1024):
        sha.update(block)
        size += len(block)
    out.seek(0)
    return size, sha.hexdigest()


def plain(value):
    """A cell value as JSON can hold it (for manifests and the API)."""
    if isinstance(value, datetime):
        return _utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
