"""Exports and the lists of export jobs answer in a fixed number of queries, whether the
export has 5 rows or 60, and whether the user has 3 jobs or 30.

An export (GET /exports/<kind>/, served at once) takes 13 queries on SQLite:
  1-2. the session and the user
  3. the user's memberships (missions.scope.user_scope, once per request)
  4. the rows counted, with a LIMIT (is it a background job?)
  5. the rows themselves: one SELECT (iterator), or one COPY for CSV on PostgreSQL (run
     on psycopg2's own cursor, so not captured here)
  6-13. in one transaction (two savepoints, in and out, in a test): the job inserted, its
     manifest saved, the audit chain's last hash read and the entry inserted (PostgreSQL
     also takes the chain's advisory lock)
The indicators replace 4-5 by their six aggregate queries and two for the names.
"""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.exports.models import ExportJob
from accountability.models import ProcedureStep, Suspect
from incidents.models import Casualty, Incident
from tests.exports.conftest import body_of, client_for

pytestmark = pytest.mark.django_db

_serial = count(1)


def seed(world, n: int) -> None:
    """n more incidents of mission A, each with a casualty, and a suspect with a step."""
    incidents = Incident.objects.bulk_create(
        Incident(
            reference=f"QC-{next(_serial):05d}",
            mission=world.mission_a,
            country=world.host_a,
            occurred_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=i),
            incident_type="malicious_act",
            attack_type="ambush",
        )
        for i in range(n)
    )
    Casualty.objects.bulk_create(
        Casualty(incident=i, category="military_contingent", outcome="killed") for i in incidents
    )
    suspects = Suspect.objects.bulk_create(
        Suspect(case=world.case_a, name=f"Suspect {next(_serial)}") for _ in range(n)
    )
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            suspect=s, kind="identified", occurred_on=world.case_a.attack_date, source="x"
        )
        for s in suspects
    )


def queries_for(client, url, params=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        body_of(response)
    assert response.status_code == 200, response
    return len(captured.captured_queries), response


@pytest.mark.parametrize("kind", ["incidents", "casualties", "cases", "procedures", "indicators"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_takes_the_same_queries_for_5_rows_or_60(export_world, client, kind, fmt):
    client_for(client, export_world, "legal_a")
    seed(export_world, 5)
    few, _response = queries_for(client, f"/exports/{kind}/", {"format": fmt})

    seed(export_world, 55)
    many, response = queries_for(client, f"/exports/{kind}/", {"format": fmt})

    assert many == few
    assert few <= (14 if kind != "indicators" else 14 + 6)
    if kind in ("incidents", "casualties", "procedures"):
        assert int(response["X-Export-Row-Count"]) >= 60


def make_jobs(world, n: int, persona: str = "analyst_a") -> None:
    ExportJob.objects.bulk_create(
        ExportJob(user=world.users[persona], kind="cases", format="csv", status="done")
        for _ in range(n)
    )


def test_the_job_list_page_takes_the_same_queries_for_3_jobs_or_30(export_world, client):
    """Session and user, memberships, then one query for the jobs with their users."""
    client_for(client, export_world, "analyst_a")
    make_jobs(export_world, 3)
    few, _r = queries_for(client, "/exports/")

    make_jobs(export_world, 27)
    many, response = queries_for(client, "/exports/")

    assert many == few
    assert response.content.decode().count("/exports/jobs/") == 30


def test_the_api_list_of_exports_takes_the_same_queries_for_3_jobs_or_30(export_world, client):
    """Session and user, memberships (the permission and the queryset share them), one
    page of jobs with their users (select_related)."""
    client_for(client, export_world, "admin")
    make_jobs(export_world, 3)
    few, _r = queries_for(client, "/api/v1/exports/")

    make_jobs(export_world, 27, persona="analyst_all")
    many, response = queries_for(client, "/api/v1/exports/")

    assert many == few
    assert len(response.json()["results"]) == 30
