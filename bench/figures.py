"""The figures B1-B7: each measured side by side with its baseline in the same run.

Every figure is a ratio or a count (times on a shared 2-core machine are noisy): the app
and its baseline run one after the other, on the same data, and the best of a few runs
of each is kept. Each function returns `Result`s; `bench.__main__` prints them.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.figures_web import http_lists, list_queries
from bench.harness import (
    Context,
    Result,
    _psql,
    _ratio,
    _run_worker,
)

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


# --- B5: one host State's follow-up report ---------------------------------------------


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
    html = render_html(content, version=1, content_sha256=digest)
    timings["html"] = time.perf_counter() - started
    started = time.perf_counter()
    render_xlsx(content, version=1, content_sha256=digest)
    timings["xlsx"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(html)
    timings["pdf"] = time.perf_counter() - started
    identical = builds[0][1] == builds[1][1]
    content_seconds = min(b[0] for b in builds)
    total = content_seconds + sum(timings.values())
    return [
        Result(
            "B5",
            f"{REPORT_STATE} follow-up report over {cases:,} cases: seconds; hash built twice",
            f"{total:.1f} s (content {content_seconds:.1f}, HTML {timings['html']:.1f}, "
            f"XLSX {timings['xlsx']:.1f}, PDF {timings['pdf']:.1f}); "
            + ("identical hash" if identical else "hashes differ"),
            "identical hash",
            identical,
            total,
            {
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


# --- B6: the UN file's import ------------------------------------------------------------

_UN_COLUMNS = (
    "casualty_id, incident_date, mission_acronym, type_of_casualty, casualty_nationality, "
    "m49_code, iso_code3, casualty_personnel_type, type_of_incident"
)


def un_import(ctx: Context) -> list[Result]:
    from bench.__main__ import create_database, drop_database, migrate_database

    path = ctx.work_dir / "un_fatalities.csv"
    rows = ctx.generator.write_un_file(path)
    import_url = create_database(ctx.server_url, ctx.import_database, fresh=True)
    try:
        migrate_database(import_url)
        columns = ", ".join(f"{c.strip()} text" for c in _UN_COLUMNS.split(","))
        _psql(import_url, "-c", f"CREATE TABLE bench_un_rows ({columns})")
        copies = []
        for _ in range(ctx.repeat):
            _psql(import_url, "-c", "TRUNCATE bench_un_rows")
            with path.open("rb") as handle:
                copies.append(
                    _psql(
                        import_url,
                        "-c",
                        "COPY bench_un_rows FROM STDIN WITH (FORMAT csv, HEADER)",
                        stdin=handle,
                    )
                )
        _psql(import_url, "-c", "DROP TABLE bench_un_rows")
        result = _run_worker(
            ctx, "import", "--path", str(path), env=ctx.env(DATABASE_URL=import_url)
        )
    finally:
        drop_database(ctx.server_url, ctx.import_database)
        path.unlink(missing_ok=True)
    copy_seconds = min(copies)
    ratio = copy_seconds / result["seconds"]
    return [
        Result(
            "B6",
            f"import of {rows:,} rows in the UN file's format ÷ COPY FROM of the same rows",
            f"{_ratio(ratio, 3)} ({rows / result['seconds']:,.0f} ÷ {rows / copy_seconds:,.0f}"
            " rows/s)",
            "≥ 0.2",
            ratio >= 0.2,
            ratio,
            {
                "rows": rows,
                "import_seconds": round(result["seconds"], 3),
                "copy_seconds": [round(s, 3) for s in copies],
                "summary": result["counts"],
                "peak_rss_kb": result["peak_rss_kb"],
            },
        )
    ]


# --- B7: the statistics page -----------------------------------------------------------

# The figures the statistics page shows (unfiltered, everything in scope), written by hand
# as directly as SQL allows: people killed per year, mission and type in one pass; cases
# per host State and stage; the totals.
RAW_STATISTICS_SQL = [
    """
    SELECT g.year, m.acronym, g.incident_type, g.n
    FROM (
        SELECT extract(year FROM i.occurred_at AT TIME ZONE 'UTC') AS year, i.mission_id,
               i.incident_type, count(*) AS n
        FROM incidents_casualty c JOIN incidents_incident i ON i.id = c.incident_id
        WHERE c.outcome = 'killed'
        GROUP BY 1, 2, 3
    ) AS g
    JOIN missions_mission m ON m.id = g.mission_id
    """,
    "SELECT count(*) FROM incidents_incident",
    """
    SELECT s.iso3, s.name_en, c.stage, count(*),
           count(*) FILTER (WHERE (c.killed > 0 OR c.injured > 0) AND NOT c.has_conviction
             AND ((c.attack_date <= current_date - 90 AND (c.investigation_opened_on IS NULL
                   OR c.investigation_opened_on > c.attack_date + 90))
               OR coalesce(c.last_progress_on, c.attack_date) <= current_date - 180))
    FROM accountability_case c LEFT JOIN missions_country s ON s.id = c.host_state_id
    GROUP BY 1, 2, 3
    """,
]


def statistics_page(ctx: Context) -> list[Result]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=ctx.users["analyst"]))
    url = reverse("accountability:statistics")
    runs = max(3, ctx.repeat)
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    page_times, raw_times = [], []
    connection.queries_log.clear()  # a full log (9,000 queries) would count nothing
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read now: every request starts by emptying the query log.
    page_queries = len(captured.captured_queries)
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        page_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in RAW_STATISTICS_SQL:
                cursor.execute(sql)
                cursor.fetchall()
        raw_times.append(time.perf_counter() - started)
    ratio = min(page_times) / min(raw_times)
    return [
        Result(
            "B7",
            "statistics page on the casualties ÷ the raw SQL aggregate behind it",
            f"{_ratio(ratio)} ({min(page_times):.2f} s ÷ {min(raw_times):.2f} s)",
            "≤ 2",
            ratio <= 2,
            ratio,
            {
                "page_seconds": [round(t, 3) for t in page_times],
                "raw_seconds": [round(t, 3) for t in raw_times],
                "page_queries": page_queries,
                "raw_sql": [" ".join(sql.split()) for sql in RAW_STATISTICS_SQL],
            },
        )
    ]


FIGURES: dict[str, Callable[[Context], list[Result]]] = {
    "B1": exports,  # B1 and B2 share their runs
    "B3": http_lists,
    "B4": list_queries,
    "B5": followup_report,
    "B6": un_import,
    "B7": statistics_page,
}
ALIASES = {"B2": "B1"}


def selected(names: list[str] | None) -> list[str]:
    if not names:
        return list(FIGURES)
    chosen = []
    for name in names:
        key = ALIASES.get(name.upper(), name.upper())
        if key not in FIGURES:
            raise SystemExit(f"unknown figure {name!r}: choose among B1..B7")
        if key not in chosen:
            chosen.append(key)
    return chosen


__all__ = ["FIGURES", "Context", "Result", "selected", "tempfile"]
