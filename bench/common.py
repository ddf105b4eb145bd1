"""What every figure of the benchmark shares: its result, its context, its helpers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULT_PREFIX = "BENCH-RESULT "
WRK_PREFIX = "BENCH-WRK "
GUNICORN_WORKERS = 4
WRK_THREADS = 2
WRK_CONNECTIONS = 8


@dataclass
class Result:
    figure: str
    what: str
    measured: str
    target: str
    met: bool | None
    value: float | None = None
    details: dict = field(default_factory=dict)


@dataclass
class Context:
    """What every figure needs: where the data is, who asks, how long to measure."""

    scale: float
    database_url: str  # the benchmark database
    server_url: str  # the same server, its maintenance database (for CREATE DATABASE)
    import_database: str
    work_dir: Path
    users: dict[str, str]  # role -> username
    duration: int  # seconds of each wrk run
    repeat: int  # runs of each side, the best kept
    generator: object  # bench.generate.Generator (for the UN file of B6)
    log: Callable[[str], None] = print
    port: int = 0  # gunicorn's port for B3 (0: a free one the system picks)

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.database_url,
            DJANGO_SETTINGS_MODULE="bench.settings",
            MEDIA_ROOT=str(self.work_dir / "media"),
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env


def _result_line(output: str, prefix: str) -> dict:
    for line in reversed(output.splitlines()):
        if line.startswith(prefix):
            return json.loads(line[len(prefix) :])
    raise RuntimeError(f"no {prefix.strip()} line in:\n{output[-3000:]}")


def _run_worker(ctx: Context, *args: str, env: dict | None = None) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.worker", *args],
        cwd=ROOT,
        env=env or ctx.env(),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"bench.worker {args[0]} failed ({completed.returncode}):\n"
            f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}"
        )
    return _result_line(completed.stdout, RESULT_PREFIX)


def _psql(url: str, *args: str, stdin=None, stdout=None) -> float:
    """Run psql; wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args],
        stdin=stdin,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def _ratio(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"
