"""Subprocesses of the benchmark: one export (B1, B2) or one import (B6) in a fresh process.

A fresh process per run, so its peak memory (VmHWM) is its own and nothing is cached
from an earlier run. The result is printed as one line, `BENCH-RESULT {json}`, after
whatever the app logs on stdout.

    python -m bench.worker export --username U [--filters JSON]
    python -m bench.worker import --path FILE
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

RESULT_PREFIX = "BENCH-RESULT "


def _peak_rss_kb() -> int:
    """This process's peak resident memory (kB): VmHWM, the high-water mark of its own
    address space. Not ru_maxrss: Linux carries the parent's peak into it across fork and
    exec, so a child of a big parent would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


def export(username: str, filters: dict) -> dict:
    """The full casualty CSV export through the app, as its Celery worker builds it."""
    from django.contrib.auth import get_user_model

    from accountability.exports.models import ExportJob
    from accountability.exports.services import export_job_build

    user = get_user_model().objects.get(username=username)
    job = ExportJob.objects.create(
        user=user,
        kind=ExportJob.Kind.CASUALTIES,
        format=ExportJob.Format.CSV,
        filters=filters,
        delivery=ExportJob.Delivery.STORED,
        progress_message="queued",
    )
    before = _peak_rss_kb()
    started = time.perf_counter()
    outcome = export_job_build(job_id=job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if outcome != "done":
        raise SystemExit(f"export {job.pk} ended {outcome}: {job.error}")
    size = Path(job.file.path).stat().st_size
    job.file.delete(save=False)
    return {
        "rows": job.row_count,
        "seconds": seconds,
        "bytes": size,
        "sha256": job.sha256,
        "rss_before_kb": before,
        "peak_rss_kb": _peak_rss_kb(),
    }


def un_import(path: str) -> dict:
    """The UN fatalities file imported by the app's importer (all phases, one run)."""
    from incidents.importers.un_fatalities import un_fatalities_import

    before = _peak_rss_kb()
    started = time.perf_counter()
    summary = un_fatalities_import(path=path)
    seconds = time.perf_counter() - started
    return {
        "rows": summary.rows_read,
        "seconds": seconds,
        "counts": summary.counts(),
        "warnings": len(summary.warnings),
        "rss_before_kb": before,
        "peak_rss_kb": _peak_rss_kb(),
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    sub = parser.add_subparsers(dest="command", required=True)
    exporting = sub.add_parser("export")
    exporting.add_argument("--username", required=True)
    exporting.add_argument("--filters", default="{}")
    importing = sub.add_parser("import")
    importing.add_argument("--path", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.command == "export":
        result = export(args.username, json.loads(args.filters))
    else:
        result = un_import(args.path)
    sys.stdout.flush()
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
