"""`python -m bench` (`make bench`): the benchmark, against PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/peacekeeping make bench
    make bench BENCH_ARGS="--scale 0.05 --figures B4,B7"

DATABASE_URL names the server; the benchmark creates and uses its own database on it
(`peacekeeping_bench`, and `peacekeeping_bench_import` for the import of B6), never the
database DATABASE_URL names. The data set is kept between runs and regenerated only when
the scale, the seed or the generator changes (or with `--fresh`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_DATABASE = "peacekeeping_bench"
BENCH_USERS = {"admin": "bench-admin", "analyst": "bench-analyst"}


class Refused(SystemExit):
    """A configuration the benchmark will not run with; the message says why."""


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        raise Refused(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            "(the benchmark creates its own database on that server)."
        )
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        raise Refused(
            f"make bench runs against PostgreSQL only, not {scheme or url!r}: the figures "
            "compare the app with PostgreSQL's own COPY and aggregates, which SQLite has not. "
            "Set DATABASE_URL=postgres://user@host:5432/name."
        )
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _connect(url: str):
    import psycopg2

    return psycopg2.connect(url)


def maintenance_url(url: str) -> str:
    """Where to run CREATE DATABASE: the server's `postgres` database if we may connect
    to it, else the one DATABASE_URL names (only connected to, never written)."""
    import psycopg2

    candidate = with_database(url, "postgres")
    try:
        _connect(candidate).close()
    except psycopg2.OperationalError:
        return url
    return candidate


def create_database(server_url: str, name: str, *, fresh: bool = False) -> str:
    """Create the database `name` on DATABASE_URL's server (dropped first if `fresh`)."""
    conn = _connect(server_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            if fresh:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    conn = _connect(server_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def migrate_database(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


# --- the data set ------------------------------------------------------------------------

_MARKER = "bench_dataset"


def _dataset_key(scale: float, seed: int) -> str:
    from bench.generate import GENERATOR_VERSION

    return json.dumps({"scale": scale, "seed": seed, "generator": GENERATOR_VERSION})


def _loaded_key(url: str) -> str | None:
    conn = _connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [_MARKER])
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute(f"SELECT key FROM {_MARKER}")
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


def prepare_database(server_url: str, name: str, *, scale: float, seed: int, fresh: bool, log):
    """The benchmark database, migrated, with the data set of this scale and seed."""
    url = with_database(server_url, name)
    key = _dataset_key(scale, seed)
    create_database(server_url, name)
    if fresh or _loaded_key(url) != key:
        log(f"Creating {name} and loading the data set (scale {scale}, seed {seed})")
        create_database(server_url, name, fresh=True)
        migrate_database(url)
        started = time.perf_counter()
        from bench.generate import load

        conn = _connect(url)
        try:
            load(conn, scale=scale, seed=seed, log=log)
            with conn.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {_MARKER} (key text NOT NULL)")
                cursor.execute(f"INSERT INTO {_MARKER} VALUES (%s)", [key])
            conn.commit()
        finally:
            conn.close()
        log(f"  loaded in {time.perf_counter() - started:.1f} s")
    else:
        log(f"Reusing {name} (scale {scale}, seed {seed}); migrating")
        migrate_database(url)
    return url


def ensure_users() -> dict[str, str]:
    """An administrator and an analyst granted everything (names visible)."""
    from django.contrib.auth import get_user_model

    from missions.choices import Role
    from missions.models import Membership

    User = get_user_model()
    admin, _created = User.objects.get_or_create(
        username=BENCH_USERS["admin"], defaults={"is_superuser": True, "is_staff": True}
    )
    analyst, created = User.objects.get_or_create(username=BENCH_USERS["analyst"])
    if created:
        Membership.objects.create(
            user=analyst, role=Role.ANALYST, all_scope=True, can_see_names=True
        )
    for user in (admin, analyst):
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return dict(BENCH_USERS)


# --- the report -------------------------------------------------------------------------


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine() -> dict:
    memory_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "hostname": socket.gethostname(),
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": server,
        "platform": platform.platform(),
    }


def table(results) -> str:
    header = ("figure", "what", "measured", "target", "met")
    rows = [
        (
            r.figure,
            r.what,
            r.measured,
            r.target,
            "yes" if r.met else ("n/a" if r.met is None else "NO"),
        )
        for r in results
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def save(results, *, directory: Path, meta: dict, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = f"{stamp}-{meta['commit'] or 'nocommit'}-{meta['machine']['hostname']}"
    payload = {
        **meta,
        "results": [
            {
                "figure": r.figure,
                "what": r.what,
                "measured": r.measured,
                "target": r.target,
                "met": r.met,
                "value": r.value,
                "details": r.details,
            }
            for r in results
        ],
    }
    (directory / f"{stem}.json").write_text(json.dumps(payload, indent=2, default=str) + "\n")
    (directory / f"{stem}.md").write_text(text + "\n")
    return directory / f"{stem}.json"


RESULTS_DOC_INTRO = """# Benchmark results

Generated by `make bench` (`python -m bench --results-doc {path}`): do not edit by hand;
run `make bench` again. What each figure measures and against what baseline:
`bench/figures.py`, `bench/un_import.py` (B6), `bench/statistics.py` (B7) and
`bench/page_weight.py` (B8).

Every figure is a ratio of the app to a baseline measured in the same run, or a count
or a size, because absolute times on a shared 2-core machine are noisy: other work on
the machine slows both sides of a ratio alike, but not always at the same moment, so a
ratio near its target can pass in one run and miss in the next.
"""


def write_results_doc(path: Path, *, header: str, table: str, meta: dict) -> Path:
    """The Markdown page of the last run's figures (docs/developers/benchmarks-results.md)."""
    path = path if path.is_absolute() else ROOT / path
    path.parent.mkdir(parents=True, exist_ok=True)
    figures = ", ".join(meta["figures"])
    path.write_text(
        RESULTS_DOC_INTRO.format(path=path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        + f"\n## Last run\n\n{header.strip()}. Figures: {figures}.\n\n{table}\n"
    )
    return path


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 incidents")
    parser.add_argument("--seed", type=int, default=None, help="default: 2589")
    parser.add_argument("--figures", default="", help="comma-separated, e.g. B1,B4 (default all)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="benchmark database name")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data set")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each side (best kept)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT") or 0),
        help="port of the gunicorn B3 starts on 127.0.0.1 (default $BENCH_PORT, else a "
        "free port the system picks, outside the ports developers' servers use)",
    )
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument(
        "--results-doc",
        default="",
        help="also write the table to this Markdown file (make bench: "
        "docs/developers/benchmarks-results.md)",
    )
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be in (0, 10]")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log = print
    database_url = _database_url()
    own = urlsplit(database_url).path.lstrip("/")
    if args.database == own:
        raise Refused(
            f"The benchmark database would be {own!r}, the one DATABASE_URL names: choose "
            "another with --database (the benchmark drops and reloads its database)."
        )
    server_url = maintenance_url(database_url)
    url = with_database(server_url, args.database)
    # Settings read DATABASE_URL when Django starts; nothing connects before the database
    # exists (prepare_database creates it with psycopg2).
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the app's JSON log lines, not per login
    work_dir = Path(tempfile.mkdtemp(prefix="peacekeeping-bench-"))
    os.environ["MEDIA_ROOT"] = str(work_dir / "media")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from bench.figures import FIGURES, Context, selected
    from bench.generate import SEED, Generator, Reference

    seed = SEED if args.seed is None else args.seed
    figures = selected([f for f in args.figures.split(",") if f.strip()])
    started = time.perf_counter()
    prepare_database(
        server_url, args.database, scale=args.scale, seed=seed, fresh=args.fresh, log=log
    )
    users = ensure_users()
    with connection.cursor() as cursor:
        reference = Reference.load(cursor)
    ctx = Context(
        scale=args.scale,
        database_url=url,
        server_url=server_url,
        import_database=f"{args.database}_import",
        work_dir=work_dir,
        users=users,
        duration=args.duration,
        repeat=args.repeat,
        generator=Generator(reference, scale=args.scale, seed=seed),
        log=log,
        port=args.port,
    )
    results = []
    timings = {}
    try:
        for name in figures:
            log(f"{name}...")
            figure_started = time.perf_counter()
            for result in FIGURES[name](ctx):
                results.append(result)
                log(f"  {result.figure}: {result.measured}")
            timings[name] = round(time.perf_counter() - figure_started, 1)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    results.sort(key=lambda r: r.figure)  # B1-B8 in order, whatever order they ran in
    text = table(results)
    commit = _git("rev-parse", "--short", "HEAD")
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "machine": machine(),  # asks the server its version: before the database goes
        "scale": args.scale,
        "seed": seed,
        # Every figure in the table: B2 is measured with B1 (they share their runs).
        "figures": sorted({r.figure for r in results}),
        "run_order": figures,
        "seconds": round(time.perf_counter() - started, 1),
        "seconds_per_figure": timings,
    }
    print()
    print(
        f"Benchmarks at scale {args.scale} (seed {seed}), commit {commit or '?'}"
        f"{' (uncommitted changes)' if meta['dirty'] else ''}, {meta['machine']['hostname']}, "
        f"{meta['machine']['cpus']} CPUs, PostgreSQL {meta['machine']['postgresql']}, "
        f"{meta['seconds']:.0f} s"
    )
    print(text)
    if not args.no_save:
        header = (
            f"Scale {args.scale}, seed {seed}, commit {commit}, {meta['date']}, "
            f"{meta['machine']['hostname']} ({meta['machine']['cpus']} CPUs, PostgreSQL "
            f"{meta['machine']['postgresql']}), {meta['seconds']:.0f} s\n\n"
        )
        saved = save(results, directory=Path(args.results_dir), meta=meta, text=header + text)
        print(f"\nSaved {saved.relative_to(ROOT) if saved.is_relative_to(ROOT) else saved}")
        if args.results_doc:
            doc = write_results_doc(Path(args.results_doc), header=header, table=text, meta=meta)
            print(f"Wrote {doc}")
    connection.close()
    if args.drop:
        drop_database(server_url, args.database)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Refused as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(2)
