"""`make bench` works: the harness at a tiny scale, on the real PostgreSQL, end to end.

The figures are not judged here (at 100 incidents they mean nothing); what is checked is
that every figure is measured and lands in the table, and that SQLite is refused.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE_DATABASE = "peacekeeping_bench_smoke"


def run_bench(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_benchmark_refuses_sqlite():
    result = run_bench(database_url="sqlite:///db.sqlite3")

    assert result.returncode == 2
    assert "PostgreSQL only" in result.stderr


def test_the_benchmark_refuses_to_run_without_a_database_url():
    result = run_bench(database_url="")

    assert result.returncode == 2
    assert "set DATABASE_URL" in result.stderr


def test_the_harness_measures_every_figure_at_a_tiny_scale(needs_postgres, tmp_path):
    if shutil.which("psql") is None:
        pytest.skip("psql (postgresql-client) is needed for B1 and B6")
    # The server of the tests' own database; the harness creates and drops its own.
    url = os.environ["DATABASE_URL"]

    result = run_bench(
        "--scale",
        "0.001",
        "--database",
        SMOKE_DATABASE,
        "--duration",
        "1",
        "--repeat",
        "1",
        "--fresh",
        "--drop",
        "--results-dir",
        str(tmp_path),
        database_url=url,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = result.stdout[result.stdout.index("| figure |") :]
    for figure in ("B1", "B2", "B3", "B4", "B5", "B6", "B7"):
        assert f"| {figure} |" in table
    assert "B4 | SQL queries per list request" in table and "equal on every list" in table
    assert "identical hash" in table
    # B5 says whether the PDF took at most five times the workbook, in the same run.
    assert re.search(r"PDF/XLSX [0-9.]+x: (met|not met)", table)
    saved = list(tmp_path.glob("*.json"))
    assert len(saved) == 1 and saved[0].with_suffix(".md").exists()
