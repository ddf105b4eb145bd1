"""B6: the UN file's import, against COPY FROM into the app's own tables.

The limit an import can reach is PostgreSQL loading the same rows into the same tables:
the incidents and casualties the import creates, with the tables' indexes, foreign keys,
checks and history triggers. So, in one run:

1. two fresh databases, migrated alike (the second a template copy of the first);
2. the import through the app, into the first (the worker process of `bench.worker`);
3. the incidents and casualties it created, dumped (COPY TO), then loaded by psql's COPY
   FROM into the same, empty tables of the second: the baseline.

B6 = baseline seconds ÷ import seconds. Printed beside it, for reference, the old
baseline: a bare COPY FROM of the file into a 9-column table without index or trigger.
"""

from __future__ import annotations

from bench.common import Context, Result, _psql, _ratio, _run_worker

_UN_COLUMNS = (
    "casualty_id, incident_date, mission_acronym, type_of_casualty, casualty_nationality, "
    "m49_code, iso_code3, casualty_personnel_type, type_of_incident"
)
# Loaded in this order (casualties point at incidents).
_APP_TABLES = ("incidents_incident", "incidents_casualty")


def _bare_copy_seconds(url: str, path, repeat: int) -> list[float]:
    """The old baseline: the file into a table of nine text columns."""
    columns = ", ".join(f"{c.strip()} text" for c in _UN_COLUMNS.split(","))
    _psql(url, "-c", f"CREATE TABLE bench_un_rows ({columns})")
    copies = []
    for _ in range(repeat):
        _psql(url, "-c", "TRUNCATE bench_un_rows")
        with path.open("rb") as handle:
            copies.append(
                _psql(
                    url,
                    "-c",
                    "COPY bench_un_rows FROM STDIN WITH (FORMAT csv, HEADER)",
                    stdin=handle,
                )
            )
    _psql(url, "-c", "DROP TABLE bench_un_rows")
    return copies


def _table_copy_seconds(url: str, dumps: dict, repeat: int) -> list[float]:
    """The new baseline: the import's incidents and casualties, COPY FROM into the app's
    own empty tables (indexes, constraints, history triggers); each run from empty."""
    runs = []
    for _ in range(repeat):
        _psql(
            url,
            "-c",
            f"SET client_min_messages TO warning; TRUNCATE {', '.join(_APP_TABLES)} CASCADE",
        )
        seconds = 0.0
        for table in _APP_TABLES:
            with dumps[table].open("rb") as handle:
                seconds += _psql(
                    url, "-c", f"COPY {table} FROM STDIN WITH (FORMAT csv)", stdin=handle
                )
        runs.append(seconds)
    return runs


def un_import(ctx: Context) -> list[Result]:
    from bench.__main__ import create_database, drop_database, migrate_database

    path = ctx.work_dir / "un_fatalities.csv"
    rows = ctx.generator.write_un_file(path)
    baseline_database = f"{ctx.import_database}_copy"
    import_url = create_database(ctx.server_url, ctx.import_database, fresh=True)
    dumps = {table: ctx.work_dir / f"{table}.csv" for table in _APP_TABLES}
    try:
        migrate_database(import_url)
        # The baseline's database: the freshly migrated one, copied before anything runs.
        drop_database(ctx.server_url, baseline_database)
        _psql(
            ctx.server_url,
            "-c",
            f'CREATE DATABASE "{baseline_database}" TEMPLATE "{ctx.import_database}"',
        )
        baseline_url = import_url.rsplit("/", 1)[0] + f"/{baseline_database}"
        bare = _bare_copy_seconds(baseline_url, path, ctx.repeat)
        result = _run_worker(
            ctx, "import", "--path", str(path), env=ctx.env(DATABASE_URL=import_url)
        )
        created = {}
        for table, dump in dumps.items():
            with dump.open("wb") as handle:
                _psql(
                    import_url,
                    "-c",
                    f"COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT WITH (FORMAT csv)",
                    stdout=handle,
                )
            with dump.open("rb") as handle:
                created[table] = sum(
                    block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")
                )
        copies = _table_copy_seconds(baseline_url, dumps, ctx.repeat)
    finally:
        drop_database(ctx.server_url, ctx.import_database)
        drop_database(ctx.server_url, baseline_database)
        path.unlink(missing_ok=True)
        for dump in dumps.values():
            dump.unlink(missing_ok=True)
    copy_seconds = min(copies)
    ratio = copy_seconds / result["seconds"]
    old_ratio = min(bare) / result["seconds"]
    return [
        Result(
            "B6",
            f"import of {rows:,} rows in the UN file's format ÷ COPY FROM of the same "
            f"{created['incidents_incident']:,} incidents and "
            f"{created['incidents_casualty']:,} casualties into the app's tables "
            "(indexes, constraints, history triggers)",
            f"{_ratio(ratio)} ({result['seconds']:.1f} s ÷ {copy_seconds:.1f} s; "
            f"old ratio, ÷ a bare COPY into a 9-column table: {_ratio(old_ratio, 3)})",
            "≥ 0.5",
            ratio >= 0.5,
            ratio,
            {
                "rows": rows,
                "created": created,
                "import_seconds": round(result["seconds"], 3),
                "table_copy_seconds": [round(s, 3) for s in copies],
                "bare_copy_seconds": [round(s, 3) for s in bare],
                "old_ratio": old_ratio,
                "summary": result["counts"],
                "peak_rss_kb": result["peak_rss_kb"],
            },
        )
    ]
