"""The follow-up register, the reports list and the exports list sort by their columns,
page at the size chosen, and name a sort they do not understand."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.exports.models import ExportJob
from accountability.services import followup_record

pytestmark = pytest.mark.django_db

REGISTER = reverse("accountability:followup_register")
EXPORTS = reverse("exports:job_list")
REPORTS = reverse("reports:report_list")


def _communications(world, n: int):
    for day in range(n):
        followup_record(
            actor=world.users["admin"],
            case=world.case_a,
            sent_on=date.today() - timedelta(days=day),
            channel="letter" if day % 2 else "note_verbale",
            summary=f"Reminder {day}",
        )


def _summaries(html: str) -> list[str]:
    return re.findall(r"Reminder \d+", html)


def test_the_register_sorts_by_date_both_ways(world, client_of):
    _communications(world, 3)
    client = client_of(world.users["legal_a"])

    newest = _summaries(client.get(REGISTER).text)
    oldest = _summaries(client.get(REGISTER, {"sort": "sent_on"}).text)

    assert newest[:3] == ["Reminder 0", "Reminder 1", "Reminder 2"]
    assert [s for s in oldest if s in newest[:3]][-3:] == ["Reminder 2", "Reminder 1", "Reminder 0"]


def test_the_register_pages_at_the_size_chosen_and_keeps_the_sort(world, client_of):
    _communications(world, 30)

    response = client_of(world.users["legal_a"]).get(
        REGISTER, {"page_size": "25", "sort": "sent_on"}
    )

    assert len(response.context["page_obj"].object_list) == 25
    assert re.search(r'href="\?[^"]*sort=sent_on[^"]*page=2"', response.text)


def test_the_register_names_an_unknown_sort_and_stays_in_scope(world, client_of):
    html = client_of(world.users["liaison_a"]).get(REGISTER, {"sort": "secret"}).text

    assert "Not understood: sort=secret" in html
    assert world.case_a.reference in html
    assert world.case_b.reference not in html


@pytest.mark.parametrize("sort", ["", "case", "-channel", "response_due", "-answered"])
def test_the_register_costs_the_same_queries_whatever_the_sort(world, client_of, sort):
    """Session, user, scope, the States of the filter, COUNT, the page, saved searches."""
    client = client_of(world.users["legal_a"])
    url = REGISTER + (f"?sort={sort}" if sort else "")
    counts = []
    for n in (1, 10):
        _communications(world, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts == [7, 7]


def test_the_exports_list_sorts_and_pages(world, client_of):
    analyst = world.users["analyst_a"]
    ExportJob.objects.bulk_create(
        ExportJob(user=analyst, kind=kind, format="csv", status="done", row_count=n)
        for n, kind in enumerate(["cases", "incidents", "casualties"] * 10)
    )
    client = client_of(analyst)

    most_rows = client.get(EXPORTS, {"sort": "-row_count", "page_size": "25"})
    unknown = client.get(EXPORTS, {"sort": "nope"})

    jobs = list(most_rows.context["page_obj"].object_list)
    assert [j.row_count for j in jobs] == list(range(29, 4, -1))
    assert "Not understood: sort=nope" in unknown.text


def test_the_reports_list_names_an_unknown_sort(world, client_of):
    html = client_of(world.users["legal_a"]).get(REPORTS, {"sort": "nope"}).text

    assert "Not understood: sort=nope" in html
    assert 'name="page_size"' in html
