"""B7: the statistics page against the raw SQL aggregate behind it."""

from __future__ import annotations

import time

from bench.common import Context, Result, _ratio

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
