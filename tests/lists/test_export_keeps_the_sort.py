"""An export started from a sorted list holds the list's rows in the list's order."""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def test_the_incident_lists_export_links_carry_the_sort(world, client_of):
    html = (
        client_of(world.users["legal_a"])
        .get(reverse("incidents:incident_list"), {"sort": "-killed", "status": "submitted"})
        .text
    )

    assert re.search(
        r'href="/exports/incidents/\?status=submitted&amp;sort=-killed&amp;format=csv"', html
    )


def test_the_cases_export_keeps_the_boards_sort(world, client_of):
    for name in ("CASE-Z", "CASE-M", "CASE-A"):
        CaseFactory(reference=name, mission=world.mission_a, host_state=world.host_a)
    client = client_of(world.users["legal_a"])

    ascending = _csv(client.get("/exports/cases/", {"sort": "reference", "format": "csv"}))
    descending = _csv(client.get("/exports/cases/", {"sort": "-reference", "format": "csv"}))

    references = [row["reference"] for row in ascending]
    assert references == sorted(references)
    assert [row["reference"] for row in descending] == sorted(references, reverse=True)
    assert "CASE-A" in references and world.case_b.reference not in references


def test_the_incidents_export_keeps_the_lists_sort(world, client_of):
    client = client_of(world.users["analyst_all"])

    by_reference = _csv(client.get("/exports/incidents/", {"sort": "reference", "format": "csv"}))
    by_killed = _csv(client.get("/exports/incidents/", {"sort": "-killed", "format": "csv"}))

    references = [row["reference"] for row in by_reference]
    assert references == sorted(references) and len(references) == 2
    assert len(by_killed) == 2


def test_an_export_with_a_sort_it_does_not_know_is_refused_with_the_reason(world, client_of):
    client = client_of(world.users["analyst_all"])

    unknown = client.get("/exports/incidents/", {"sort": "secret", "format": "csv"})
    no_sort = client.get("/exports/procedures/", {"sort": "reference", "format": "csv"})

    assert unknown.status_code == 400
    assert "sort=secret" in unknown.content.decode()
    assert no_sort.status_code == 400
