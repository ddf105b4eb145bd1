"""The API and the page of follow-up reports: who sees which, requesting, downloading."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from accountability.reports.models import FollowUpReport
from accountability.reports.services import followup_report_build, followup_report_create
from tests.reports.test_jobs import LAST_MONTH

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.reports.urls")]

S = FollowUpReport.Status
LIST = "/reports-api/v1/followup-reports/"


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def reports(report_world, django_capture_on_commit_callbacks):
    """A built report of each State, CAF's and SSD's, and a pending one of COD."""
    with django_capture_on_commit_callbacks(execute=False):
        made = {
            state.iso3: followup_report_create(host_state=state, period=LAST_MONTH)
            for state in (report_world.caf, report_world.ssd, report_world.cod)
        }
    return made


@pytest.fixture
def built(reports, media_root):
    for iso3 in ("CAF", "SSD"):
        followup_report_build(report_id=reports[iso3].pk)
        reports[iso3].refresh_from_db()
    return reports


@pytest.mark.parametrize(
    ("persona", "states"),
    [
        ("admin", ["CAF", "COD", "SSD"]),
        ("legal_caf", ["CAF"]),
        ("legal_minusca", ["CAF"]),
        ("legal_ssd", ["SSD"]),
        ("analyst_caf", ["CAF"]),
        ("analyst_all", ["CAF", "COD", "SSD"]),
        ("staff_minusca", []),
        ("liaison_caf", []),
    ],
)
def test_each_persona_lists_the_reports_of_the_states_in_its_scope(
    report_world, reports, persona, states
):
    response = client_for(report_world.users[persona]).get(LIST)

    assert response.status_code == 200
    assert sorted(row["host_state"] for row in response.json()["results"]) == states


def test_anonymous_callers_see_nothing(reports):
    assert client_for(None).get(LIST).status_code in (401, 403)


def test_a_report_outside_the_scope_is_absent(report_world, reports):
    response = client_for(report_world.users["legal_ssd"]).get(f"{LIST}{reports['CAF'].pk}/")

    assert response.status_code == 404


def test_a_legal_officer_requests_a_report_and_follows_its_progress(
    report_world, django_capture_on_commit_callbacks
):
    client = client_for(report_world.users["legal_caf"])

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(LIST, {"host_state": "caf", "period": "2026-Q3"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["host_state"], body["period_label"], body["status"]) == (
        "CAF",
        "2026-Q3",
        "pending",
    )
    assert body["requested_by"] == "legal_caf"
    assert response["Location"].endswith(f"/followup-reports/{body['id']}/")
    progress = client.get(response["Location"]).json()
    assert (progress["status"], progress["progress"], progress["files"]) == ("pending", 0, {})


@pytest.mark.parametrize(
    ("persona", "payload", "status"),
    [
        ("legal_ssd", {"host_state": "CAF"}, 404),
        ("analyst_all", {"host_state": "CAF"}, 404),
        ("legal_caf", {"host_state": "XYZ"}, 400),
        ("legal_caf", {"host_state": "CAF", "period": "2026-13"}, 400),
        ("legal_caf", {}, 400),
    ],
)
def test_a_request_out_of_scope_or_malformed_is_refused(report_world, persona, payload, status):
    response = client_for(report_world.users[persona]).post(LIST, payload, format="json")

    assert response.status_code == status
    assert set(response.json()) >= {"code", "detail"}
    assert not FollowUpReport.objects.exists()


def test_a_legal_officer_downloads_each_file_with_its_hash(report_world, built):
    report = built["CAF"]
    client = client_for(report_world.users["legal_caf"])
    links = client.get(f"{LIST}{report.pk}/").json()["files"]

    for fmt, content_type in (
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "text/html; charset=utf-8"),
    ):
        response = client.get(links[fmt]["url"])
        data = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"followup-report-CAF-{LAST_MONTH.label}-v1.{fmt}" in response["Content-Disposition"]
        assert hashlib.sha256(data).hexdigest() == links[fmt]["sha256"]
        assert response["X-Content-SHA256"] == links[fmt]["sha256"]


def test_an_analyst_without_names_sees_the_report_but_not_its_files(report_world, built):
    url = f"{LIST}{built['CAF'].pk}/download/pdf/"

    assert client_for(report_world.users["analyst_caf"]).get(url).status_code == 403
    assert client_for(report_world.users["analyst_caf_names"]).get(url).status_code == 200
    assert client_for(report_world.users["legal_ssd"]).get(url).status_code == 404
    assert client_for(report_world.users["staff_minusca"]).get(url).status_code == 404


def test_a_report_not_yet_built_cannot_be_downloaded(report_world, reports):
    response = client_for(report_world.users["admin"]).get(
        f"{LIST}{reports['COD'].pk}/download/pdf/"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"


def test_the_list_costs_the_same_queries_for_one_report_or_many(
    report_world, built, django_capture_on_commit_callbacks, django_assert_num_queries
):
    def fresh_client():  # the user's scope is cached on the user object: a fresh one
        return client_for(get_user_model().objects.get(username="legal_minusca"))

    # 1 the user's memberships (scope), 2 the host States of its missions, 3 the page of
    # reports joined to their State and requester. Nothing per row.
    client = fresh_client()
    with django_assert_num_queries(3):
        assert len(client.get(LIST).json()["results"]) == 1
    with django_capture_on_commit_callbacks(execute=False):
        period = LAST_MONTH
        for _ in range(5):
            period = period.previous()
            followup_report_create(host_state=report_world.caf, period=period)
    client = fresh_client()
    with django_assert_num_queries(3):
        assert len(client.get(LIST).json()["results"]) == 6


# --- the page ---------------------------------------------------------------------------


def test_the_page_lists_reports_and_offers_the_states_one_may_request(client, report_world, built):
    client.force_login(report_world.users["legal_caf"])

    page = client.get(reverse("reports:report_list"))

    assert page.status_code == 200
    assert [r.host_state.iso3 for r in page.context["reports"]] == ["CAF"]
    assert [s.iso3 for s in page.context["states"]] == ["CAF"]
    detail = client.get(reverse("reports:report_detail", args=[built["CAF"].pk]))
    assert detail.status_code == 200
    assert reverse("reports:report_download", args=[built["CAF"].pk, "pdf"]) in detail.text
    download = client.get(reverse("reports:report_download", args=[built["CAF"].pk, "pdf"]))
    assert download.status_code == 200


def test_the_page_hides_other_states_reports(client, report_world, built):
    client.force_login(report_world.users["legal_ssd"])

    response = client.get(reverse("reports:report_detail", args=[built["CAF"].pk]))

    assert response.status_code == 404


def test_the_page_requests_a_report(client, report_world, django_capture_on_commit_callbacks):
    client.force_login(report_world.users["legal_minusca"])

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:report_request"), {"host_state": "CAF", "period": "2026-10"}
        )

    report = FollowUpReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert (report.host_state.iso3, report.period_label) == ("CAF", "2026-10")
