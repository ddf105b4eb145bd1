"""The button that requests the host State's follow-up report, and its progress."""

import pytest
from django.urls import reverse

from accountability.reports.models import FollowUpReport

pytestmark = pytest.mark.django_db


def request_url(case) -> str:
    return reverse("accountability:report_request", args=[case.reference])


def test_a_legal_officer_requests_the_report_and_sees_its_progress(world, client_as):
    client = client_as(world.users["legal_a"])

    response = client.post(request_url(world.case_a), {"period_label": ""})
    page = client.get(world.case_a.get_absolute_url()).content.decode()

    assert response.status_code == 302 and response.url.endswith("#report")
    report = FollowUpReport.objects.get()
    assert (report.host_state, report.requested_by) == (world.host_a, world.users["legal_a"])
    assert f"Latest report: {report.period_label}, version 1" in page
    assert '<progress id="report-progress"' in page
    status_url = reverse("accountability:report_status", args=[world.case_a.reference])
    assert f'hx-get="{status_url}"' in page


def test_the_progress_fragment_is_served_to_htmx_and_a_reload_otherwise(world, client_as):
    client = client_as(world.users["legal_a"])
    client.post(request_url(world.case_a), {"period_label": ""})
    FollowUpReport.objects.update(status="running", progress=40, progress_message="Rendering")
    status_url = reverse("accountability:report_status", args=[world.case_a.reference])

    fragment = client.get(status_url, headers={"HX-Request": "true"})
    plain = client.get(status_url)

    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="report-status"')
    assert "40% Rendering" in html and "<html" not in html
    assert plain.status_code == 302


def test_a_bad_period_is_reported_and_nothing_is_requested(world, client_as):
    client = client_as(world.users["legal_a"])

    client.post(request_url(world.case_a), {"period_label": "last spring"})
    page = client.get(world.case_a.get_absolute_url()).content.decode()

    assert "is not a period" in page
    assert not FollowUpReport.objects.exists()


def test_an_analyst_has_no_button_and_cannot_request(world, client_as):
    client = client_as(world.users["analyst_a"])

    page = client.get(world.case_a.get_absolute_url()).content.decode()
    client.post(request_url(world.case_a), {"period_label": ""})

    assert request_url(world.case_a) not in page
    assert not FollowUpReport.objects.exists()
