"""The figures B1-B8: each measured side by side with its baseline in the same run.

Every figure is a ratio or a count (times on a shared 2-core machine are noisy): the app
and its baseline run one after the other, on the same data, and the best of a few runs
of each is kept. Each function returns `Result`s; `bench.__main__` prints them. B6 is in
`bench.un_import`, B8 in `bench.page_weight`; the shared parts in `bench.common`.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.common import (
    BENCH_DIR,
    GUNICORN_WORKERS,
    ROOT,
    WRK_CONNECTIONS,
    WRK_PREFIX,
    WRK_THREADS,
    Context,
    Result,
    _psql,
    _ratio,
    _result_line,
    _run_worker,
)
from bench.page_weight import page_weight
from bench.statistics import statistics_page
from bench.un_import import un_import

# --- B1, B2: the casualty CSV export ----------------------------------------------------


def exports(ctx: Context) -> list[Result]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accountability.exports.datasets import list_dataset
    from accountability.exports.services import utc_today

    username = ctx.users["analyst"]
    user = get_user_model().objects.get(username=username)
    copy_sql = list_dataset("casualties", user=user, filters={}, today=utc_today()).copy_sql()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_casualty")
        total = cursor.fetchone()[0]
        # The date before which a fifth of the casualties happened (B2's smaller export).
        cursor.execute(
            "SELECT percentile_disc(0.2) WITHIN GROUP (ORDER BY i.occurred_at) "
            "FROM incidents_casualty c JOIN incidents_incident i ON i.id = c.incident_id"
        )
        fifth = cursor.fetchone()[0].astimezone(UTC).date()

    out = ctx.work_dir / "psql-copy.csv"
    psql_runs, app_runs = [], []
    for _ in range(ctx.repeat):
        with out.open("wb") as handle:
            psql_runs.append(_psql(ctx.database_url, "-c", copy_sql, stdout=handle))
        with out.open("rb") as handle:
            psql_rows = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        app_runs.append(_run_worker(ctx, "export", "--username", username))
    out.unlink(missing_ok=True)
    best_app = min(app_runs, key=lambda r: r["seconds"])
    app_rate = best_app["rows"] / best_app["seconds"]
    psql_rate = psql_rows / min(psql_runs)
    b1 = app_rate / psql_rate
    small = _run_worker(
        ctx,
        "export",
        "--username",
        username,
        "--filters",
        json.dumps({"occurred_before": [str(fifth)]}),
    )
    growth_mb = (max(r["peak_rss_kb"] for r in app_runs) - small["peak_rss_kb"]) / 1024
    return [
        Result(
            "B1",
            "casualty CSV export via the app ÷ COPY (same query) TO STDOUT via psql, rows/s",
            f"{_ratio(b1)} ({app_rate:,.0f} ÷ {psql_rate:,.0f} rows/s)",
            "≥ 0.5",
            b1 >= 0.5,
            b1,
            {
                "rows": best_app["rows"],
                "casualties": total,
                "app_seconds": [round(r["seconds"], 3) for r in app_runs],
                "psql_seconds": [round(s, 3) for s in psql_runs],
                "psql_rows": psql_rows,
                "bytes": best_app["bytes"],
                "query": copy_sql,
            },
        ),
        Result(
            "B2",
            f"export worker peak RSS growth, {small['rows']:,} → {best_app['rows']:,} rows",
            f"{growth_mb:+.1f} MB",
            "< 30 MB",
            growth_mb < 30,
            growth_mb,
            {
                "small_rows": small["rows"],
                "small_peak_rss_kb": small["peak_rss_kb"],
                "large_peak_rss_kb": [r["peak_rss_kb"] for r in app_runs],
                "rss_after_setup_kb": small["rss_before_kb"],
                "filter": {"occurred_before": str(fifth)},
            },
        ),
    ]


# --- B3: a filtered 50-row incident list under gunicorn --------------------------------

B3_FILTER = "incident_type=malicious_act&status=verified"
B3_ROUNDS = 3  # at least; --repeat more


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _wrk(url: str, headers: dict, duration: int) -> dict:
    args = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH_DIR / "wrk_report.lua"),
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    completed = subprocess.run([*args, url], capture_output=True, text=True, check=True)
    report = _result_line(completed.stdout, WRK_PREFIX)
    report["rps"] = report["requests"] / (report["duration_us"] / 1e6)
    return report


def _credentials(ctx: Context) -> tuple[dict, dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=ctx.users["analyst"])
    client = Client()
    client.force_login(user)
    cookie = {"Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    token, _created = Token.objects.get_or_create(user=user)
    return cookie, {"Authorization": f"Token {token.key}"}


def http_lists(ctx: Context) -> list[Result]:
    if shutil.which("wrk") is None:
        return [
            Result(
                "B3",
                "filtered 50-row incident list ÷ minimal view, requests/s",
                "not run: wrk is not installed (apt-get install -y --no-upgrade wrk)",
                "≥ 0.15",
                None,
            )
        ]
    cookie, token = _credentials(ctx)
    port = ctx.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = ctx.work_dir / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "bench.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(GUNICORN_WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=ctx.env(LOG_LEVEL="WARNING"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/bench/minimal/", cookie)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        targets = {
            "minimal": (f"{base}/bench/minimal/", cookie),
            "api": (f"{base}/api/v1/incidents/?{B3_FILTER}&page_size=50", token),
            "page": (f"{base}/incidents/?{B3_FILTER}&page_size=50", cookie),
        }
        rows = {}
        for name, (url, headers) in targets.items():
            status, body = _get(url, headers)
            if status != 200:
                raise RuntimeError(f"B3: {url} answered {status}: {body[:500]!r}")
            if name == "api":
                rows[name] = len(json.loads(body)["results"])
            elif name == "page":
                rows[name] = body.count(b'<th scope="row">')  # one per incident row
        for url, headers in targets.values():  # warm every worker's caches
            _wrk(url, headers, min(2, ctx.duration))
        # Rounds: the minimal view, the API, the page, ..., the minimal view again, so that
        # each list run has a minimal run just before and just after it. A shared 2-core
        # machine changes speed from minute to minute (the minimal view alone went from
        # 660 to 1,060 req/s between two runs of the same code); a ratio of runs made
        # side by side is steadier than the best of each side taken at different times.
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        minimal_url, minimal_headers = targets["minimal"]
        runs["minimal"].append(_wrk(minimal_url, minimal_headers, ctx.duration))
        for _ in range(max(ctx.repeat, B3_ROUNDS)):
            for name in ("api", "page"):
                url, headers = targets[name]
                runs[name].append(_wrk(url, headers, ctx.duration))
            runs["minimal"].append(_wrk(minimal_url, minimal_headers, ctx.duration))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    failed = {
        name: run
        for name, name_runs in runs.items()
        for run in name_runs
        if run["non_2xx"] or run["socket_errors"]  # a fast error is not a fast page
    }
    # Round i's minimal view: the mean of the minimal runs just before and after it.
    minimal_rps = [
        (before["rps"] + after["rps"]) / 2
        for before, after in zip(runs["minimal"], runs["minimal"][1:], strict=False)
    ]
    results = []
    for name in ("api", "page"):
        # Each round's list run ÷ its minimal view; the median round.
        rounds = sorted((run["rps"] / minimal_rps[i], i) for i, run in enumerate(runs[name]))
        ratio, middle = rounds[len(rounds) // 2]
        shown = runs[name][middle]
        minimal = minimal_rps[middle]
        results.append(
            Result(
                "B3",
                f"filtered {rows[name]}-row incident list ({name}) ÷ minimal view, requests/s",
                f"{_ratio(ratio)} ({shown['rps']:,.0f} ÷ {minimal:,.0f}"
                f" req/s, median of {len(rounds)} rounds; p95 {shown['p95_us'] / 1000:.0f} ms vs "
                f"{runs['minimal'][middle]['p95_us'] / 1000:.1f} ms)",
                "≥ 0.15",
                ratio >= 0.15 and rows[name] == 50 and not failed,
                ratio,
                {
                    "url": targets[name][0].replace(base, ""),
                    "rows": rows[name],
                    "runs": runs[name],
                    "minimal_runs": runs["minimal"],
                    "gunicorn_workers": GUNICORN_WORKERS,
                    "errors": failed,
                    "wrk": f"-t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{ctx.duration}s",
                },
            )
        )
    return results


# --- B4: queries per list request at 10 rows and at 100 ---------------------------------


def _count_queries(client, url: str) -> tuple[int, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a full log (9,000 queries) would count nothing
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured.captured_queries), response


def _api_rows(response) -> int | None:
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    return len(data) if isinstance(data, list) else None


def _mission_sizes(model_filter: str) -> tuple[str, str, int, int]:
    """Two missions: one whose rows are closest to 10, and the one with the most."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(model_filter)
        counts = cursor.fetchall()
    small = min(counts, key=lambda row: (abs(row[1] - 10), row[0]))
    large = max(counts, key=lambda row: (row[1], row[0]))
    return small[0], large[0], small[1], large[1]


def _pad(admin, n: int) -> None:
    """`n` more export jobs and follow-up reports, for the lists of them (created inside
    B4's transaction, which is rolled back)."""
    from django.utils import timezone

    from accountability.exports.models import ExportJob
    from accountability.reports.models import FollowUpReport
    from missions.models import Country

    now = timezone.now()
    ExportJob.objects.bulk_create(
        ExportJob(user=admin, kind="cases", format="csv", status="done", row_count=1)
        for _ in range(n)
    )
    state = Country.objects.get(iso3="MLI")
    start = FollowUpReport.objects.filter(host_state=state).count()
    FollowUpReport.objects.bulk_create(
        FollowUpReport(
            host_state=state,
            period_kind="month",
            period_start=now.date().replace(day=1),
            period_end=now.date(),
            period_label="bench",
            version=start + i + 1,
            language="fr",
            requested_at=now,
        )
        for i in range(n)
    )


def _measure(client, name: str, few: str, many: str) -> dict:
    client.get(few)  # warm-up: first-use caches (content types, scope) are not counted
    status_few, n_few, response_few = _count_queries(client, few)
    status_many, n_many, response_many = _count_queries(client, many)
    return {
        "list": name,
        "status": [status_few, status_many],
        "rows": [_api_rows(response_few), _api_rows(response_many)],
        "queries": [n_few, n_many],
        "equal": n_few == n_many and status_few == status_many == 200,
    }


def list_queries(ctx: Context) -> list[Result]:
    """Every list endpoint of the API at page_size 10 and 100; every list page with 10
    rows and with 100 (a page size where the page takes one, else a filter or more
    rows), counted with CaptureQueriesContext as an administrator (who sees every
    column)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from peacekeeping.api_urls import build_router

    admin = get_user_model().objects.get(username=ctx.users["admin"])
    client = Client()
    client.force_login(admin)
    checks: list[tuple[str, str, str]] = []  # (name, url at 10 rows, url at 100 rows)
    for prefix, viewset, _basename in build_router().registry:
        if hasattr(viewset, "list"):
            url = f"/api/v1/{prefix}/"
            checks.append((f"API {url}", f"{url}?page_size=10", f"{url}?page_size=100"))
    incidents = reverse("incidents:incident_list")
    checks.append(("page /incidents/", f"{incidents}?page_size=10", f"{incidents}?page_size=100"))
    small, large, n_small, n_large = _mission_sizes(
        "SELECT m.acronym, count(*) FROM accountability_case c "
        "JOIN missions_mission m ON m.id = c.mission_id GROUP BY 1"
    )
    board = reverse("accountability:case_board")
    checks.append(
        (
            f"page /cases/ (mission {small}: {n_small} cases vs {large}: {n_large})",
            f"{board}?mission={small}",
            f"{board}?mission={large}",
        )
    )
    checks.append(
        (
            "page /cases/?stage= (one stage, paged)",
            f"{board}?stage=no_investigation&mission={small}",
            f"{board}?stage=no_investigation&mission={large}",
        )
    )
    small_i, large_i, n_small_i, n_large_i = _mission_sizes(
        "SELECT m.acronym, count(*) FROM incidents_incident i "
        "JOIN missions_mission m ON m.id = i.mission_id WHERE i.latitude IS NOT NULL GROUP BY 1"
    )
    geojson = reverse("accountability:incident_map_data")
    checks.append(
        (
            f"map data (mission {small_i}: {n_small_i} vs {large_i}: {n_large_i} incidents)",
            f"{geojson}?mission={small_i}",
            f"{geojson}?mission={large_i}",
        )
    )
    padded = [("page /exports/ (10 vs 100 jobs)", reverse("exports:job_list"))]
    with contextlib.suppress(NoReverseMatch):  # the reports page, once it is mounted
        padded.append(("page reports list (10 vs 100 reports)", reverse("reports:report_list")))

    rows_out = []
    with transaction.atomic():
        _pad(admin, 10)
        few = {name: _count_queries(client, url) for name, url in padded}
        _pad(admin, 110)
        for name, url in padded:
            status_few, n_few, _response = few[name]
            status_many, n_many, _response = _count_queries(client, url)
            rows_out.append(
                {
                    "list": name,
                    "status": [status_few, status_many],
                    "rows": [10, 120],
                    "queries": [n_few, n_many],
                    "equal": n_few == n_many and status_few == status_many == 200,
                }
            )
        for name, few_url, many_url in checks:
            rows_out.append(_measure(client, name, few_url, many_url))
        transaction.set_rollback(True)
    unequal = [r for r in rows_out if not r["equal"]]
    for row in rows_out:
        ctx.log(
            f"    {row['list']}: queries {row['queries'][0]} vs {row['queries'][1]}, "
            f"rows {row['rows']}, status {row['status']}"
        )
    return [
        Result(
            "B4",
            f"SQL queries per list request, 10 vs 100 rows ({len(rows_out)} lists and endpoints)",
            "equal on every list"
            if not unequal
            else "unequal: " + ", ".join(f"{r['list']} {r['queries']}" for r in unequal),
            "equal",
            not unequal,
            float(len(unequal)),
            {"lists": rows_out},
        )
    ]


# --- B5: one host State's follow-up report ---------------------------------------------

# The PDF may take at most this many times the workbook of the same content.
PDF_XLSX_RATIO_TARGET = 5.0


def followup_report(ctx: Context) -> list[Result]:
    from django.conf import settings
    from django.db import connection, transaction

    from accountability.models import Case
    from accountability.reports.content import (
        ReportSettings,
        build_followup_content,
        content_sha256,
    )
    from accountability.reports.periods import reporting_period
    from accountability.reports.render import render_html, render_pdf, render_xlsx
    from bench.distributions import HORIZON, REPORT_STATE
    from missions.models import Country

    state = Country.objects.get(iso3=REPORT_STATE)
    # As of a fixed moment after every generated date: the content depends only on data.
    as_of = datetime.combine(HORIZON, datetime.min.time(), tzinfo=UTC)
    period = reporting_period(as_of.date(), settings.FOLLOWUP_REPORT_PERIOD)
    cfg = ReportSettings.from_settings()
    cases = Case.objects.filter(host_state=state, attack_date__gte=cfg.attacks_since).count()
    builds = []
    for _ in range(2):
        started = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            content = build_followup_content(state, period, as_of, cfg)
        seconds = time.perf_counter() - started
        builds.append((seconds, content_sha256(content), content))
    digest = builds[0][1]
    content = builds[0][2]
    timings = {}
    started = time.perf_counter()
    render_html(content, version=1, content_sha256=digest)
    timings["html"] = time.perf_counter() - started
    started = time.perf_counter()
    render_xlsx(content, version=1, content_sha256=digest)
    timings["xlsx"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(content, version=1, content_sha256=digest)
    timings["pdf"] = time.perf_counter() - started
    identical = builds[0][1] == builds[1][1]
    content_seconds = min(b[0] for b in builds)
    total = content_seconds + sum(timings.values())
    # The PDF against the workbook of the same content, in this run, on this machine.
    ratio = timings["pdf"] / timings["xlsx"] if timings["xlsx"] else float("inf")
    ratio_met = ratio <= PDF_XLSX_RATIO_TARGET
    ctx.log(
        f"    B5 PDF/XLSX ratio {ratio:.1f}x (target <= {PDF_XLSX_RATIO_TARGET:g}x): "
        + ("met" if ratio_met else "not met")
    )
    return [
        Result(
            "B5",
            f"{REPORT_STATE} follow-up report over {cases:,} cases: seconds; hash built twice; "
            "PDF time over XLSX time",
            f"{total:.1f} s (content {content_seconds:.1f}, HTML {timings['html']:.1f}, "
            f"XLSX {timings['xlsx']:.1f}, PDF {timings['pdf']:.1f}); "
            + ("identical hash" if identical else "hashes differ")
            + f"; PDF/XLSX {ratio:.1f}x: "
            + ("met" if ratio_met else "not met"),
            f"identical hash; PDF/XLSX <= {PDF_XLSX_RATIO_TARGET:g}x",
            identical and ratio_met,
            total,
            {
                "pdf_xlsx_ratio": round(ratio, 2),
                "pdf_xlsx_ratio_met": ratio_met,
                "cases": cases,
                "open_cases_listed": len(content["cases"]),
                "content_seconds": [round(b[0], 3) for b in builds],
                "render_seconds": {k: round(v, 3) for k, v in timings.items()},
                "pdf_bytes": len(pdf),
                "sha256": [b[1] for b in builds],
                "period": period.label,
                "as_of": as_of.isoformat(),
            },
        )
    ]


# In the order they run. B6 last: its import writes a million rows into databases it
# then drops, and the server goes on writing them out (checkpoint) for a while after;
# the figures measured before it find the server as the others do. The table is
# printed in figure order whatever the run order.
FIGURES: dict[str, Callable[[Context], list[Result]]] = {
    "B1": exports,  # B1 and B2 share their runs
    "B3": http_lists,
    "B4": list_queries,
    "B5": followup_report,
    "B7": statistics_page,
    "B8": page_weight,
    "B6": un_import,
}
ALIASES = {"B2": "B1"}


def selected(names: list[str] | None) -> list[str]:
    if not names:
        return list(FIGURES)
    chosen = []
    for name in names:
        key = ALIASES.get(name.upper(), name.upper())
        if key not in FIGURES:
            raise SystemExit(f"unknown figure {name!r}: choose among B1..B8")
        if key not in chosen:
            chosen.append(key)
    return chosen


__all__ = ["FIGURES", "Context", "Result", "selected", "tempfile"]
