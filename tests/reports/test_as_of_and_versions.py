"""A report for period P is as of P's last day; an unchanged rebuild keeps its version; a
changed one supersedes it and the page says what changed; the command validates as the
API does; cases whose host State is undetermined have their own list."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accountability.choices import CaseStage, InvestigatingAuthority, InvestigationStatus
from accountability.choices import ProcedureStepKind as K
from accountability.models import Case
from accountability.reports.content import build_followup_content, content_sha256
from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period
from accountability.reports.render import render_html
from accountability.reports.services import followup_report_request
from accountability.services import (
    investigation_open,
    investigation_update_status,
    procedure_record_step,
)
from tests.factories import CountryFactory
from tests.reports.conftest import attack, days_ago

pytestmark = pytest.mark.django_db
SOURCE = "Procès-verbal"


def period_of(days: int) -> Period:
    return Period.containing(days_ago(days), "month")


CAF = object()


def content(world, period: Period, *, state=CAF, mission=None):
    from django.utils import timezone

    state = world.caf if state is CAF else state
    return build_followup_content(state, period, timezone.now(), mission=mission)


def references(body: dict, key: str = "cases") -> set[str]:
    return {case["reference"] for case in body[key]}


# --- as of the period's last day ----------------------------------------------------------


def test_a_past_period_leaves_out_later_attacks_and_reads_stages_as_of_its_end(report_world):
    # The month of the arrest of case_detained (250 days ago): case_recent (20 days ago)
    # did not exist yet; the detained suspect was arrested in it.
    period = period_of(250)
    body = content(report_world, period)

    assert report_world.case_recent.reference not in references(body)
    assert body["as_of_date"] == period.end.isoformat()
    detained = next(
        c for c in body["cases"] if c["reference"] == report_world.case_detained.reference
    )
    assert detained["stage"] == CaseStage.ARREST
    assert detained["days_since_attack"] == (period.end - days_ago(300)).days

    # The month before: the case as it stood at that month's end, from its dated rows.
    before = period.previous()
    earlier = next(
        c
        for c in content(report_world, before)["cases"]
        if c["reference"] == report_world.case_detained.reference
    )
    if before.end < days_ago(280):
        expected = CaseStage.NO_INVESTIGATION
    elif before.end < days_ago(260):
        expected = CaseStage.INVESTIGATION
    else:
        expected = CaseStage.SUSPECTS_IDENTIFIED
    assert earlier["stage"] == expected


def test_building_a_past_period_again_gives_the_same_hash_whatever_is_recorded_later(
    report_world,
):
    period = period_of(250)
    first = content_sha256(content(report_world, period))
    # After the period: a charge, a new attack, a follow-up answered.
    procedure_record_step(
        actor=None,
        suspect=report_world.case_detained.suspects.get(),
        kind=K.CHARGED,
        occurred_on=days_ago(5),
        source="Ordonnance",
    )
    attack(None, report_world.minusca, report_world.caf, days=3)

    assert content_sha256(content(report_world, period)) == first


def test_custody_and_overdue_communications_are_as_of_the_periods_end(report_world):
    # 240 days ago the suspect had been held 10 days: not yet "detained without trial"
    # (threshold 180 days), whereas today he is. The follow-up sent 60 days ago did not
    # exist yet.
    body = content(report_world, period_of(240))
    today = content(report_world, Period.containing(date.today(), "month"))

    assert body["suspects_detained_without_trial"] == []
    assert [s["name"] for s in today["suspects_detained_without_trial"]] == ["Pierre NGAÏKOSSET"]
    assert body["communications"] == []
    assert [c["overdue"] for c in today["communications"]] == [True]


def test_a_case_closed_without_charge_is_listed_with_its_reason_and_counted(report_world):
    admin = report_world.users["admin"]
    closed = attack(admin, report_world.minusca, report_world.caf, days=700)
    investigation = investigation_open(
        actor=admin,
        case=closed,
        authority=InvestigatingAuthority.PROSECUTOR,
        opened_on=days_ago(690),
        source=SOURCE,
    )
    investigation_update_status(
        actor=admin,
        investigation=investigation,
        status=InvestigationStatus.CLOSED_WITHOUT_CHARGE,
        on=days_ago(520),
        source="Classement sans suite",
    )

    body = content(report_world, Period.containing(date.today(), "month"))

    assert closed.reference not in references(body)
    row = next(c for c in body["closed_cases"] if c["reference"] == closed.reference)
    assert (row["closed_reason"], row["closed_on"]) == (
        "closed_without_charge",
        days_ago(520).isoformat(),
    )
    assert row["impunity"] and row["impunity_reasons"] == ["no_progress"]
    flagged = [c for c in (*body["cases"], *body["closed_cases"]) if c["impunity"]]
    assert body["summary"]["counts"]["impunity_cases"] == len(flagged)
    assert body["summary"]["counts"]["closed_without_conviction"] == 1
    # The document has the section, in the State's language, with the reason.
    html = render_html(body, version=1, content_sha256="0" * 64)
    section = html[html.index('id="closed-cases"') :]
    assert "Closes sans condamnation" in section
    assert closed.reference in section
    assert "Classée sans suite" in section


def test_a_un_board_of_inquiry_is_not_the_host_states_investigation_in_the_figures(report_world):
    investigation_open(
        actor=report_world.users["admin"],
        case=report_world.case_ssd,
        authority=InvestigatingAuthority.UN_BOARD_OF_INQUIRY,
        opened_on=days_ago(30),
        source="UNMISS board of inquiry",
    )

    body = content(report_world, Period.containing(date.today(), "month"), state=report_world.ssd)
    rows = {row["key"]: row for row in body["summary"]["rows"]}

    assert rows["investigations_opened"]["cumulative"] == 0
    assert body["cases"][0]["impunity_reasons"] == ["no_investigation", "no_progress"]


# --- versions -------------------------------------------------------------------------------


@pytest.fixture
def request_now(django_capture_on_commit_callbacks, eager, media_root):
    """Request the CAF report and build it at once (the outbox publishes on commit)."""

    def run(world, period: Period, username="legal_caf", **target):
        target = target or {"host_state": world.caf}
        with django_capture_on_commit_callbacks(execute=True):
            report = followup_report_request(
                actor=world.users[username], period_label=period.label, **target
            )
        created = report.created
        report.refresh_from_db()
        report.created = created
        return report

    return run


def test_an_unchanged_rebuild_returns_the_existing_version_and_a_changed_one_supersedes_it(
    report_world, request_now, client
):
    period = period_of(250)
    first = request_now(report_world, period)
    assert first.status == FollowUpReport.Status.DONE

    again = request_now(report_world, period)

    assert (again.pk, again.created) == (first.pk, False)
    assert FollowUpReport.objects.filter(host_state=report_world.caf).count() == 1

    # A step recorded late, dated within the period, changes the report: version 2.
    procedure_record_step(
        actor=None,
        suspect=report_world.case_detained.suspects.get(),
        kind=K.CHARGED,
        occurred_on=days_ago(250),  # the day of the arrest, within the period
        source="Ordonnance",
    )
    second = request_now(report_world, period)

    assert (second.version, second.created) == (2, True)
    assert second.content_sha256 != first.content_sha256
    client.force_login(report_world.users["legal_caf"])
    page = client.get(reverse("reports:report_detail", args=[second.pk])).content.decode()
    assert "What changed since version 1" in page
    assert report_world.case_detained.reference in page
    older = client.get(reverse("reports:report_detail", args=[first.pk])).content.decode()
    assert "Superseded by version 2" in older


# --- the command validates as the API does ----------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--state", "CAF", "--period", "2099-03"], "has not started yet"),
        (["--state", "FRA"], "hosts no peacekeeping mission"),
        (["--state", "XYZ"], "No State has the code XYZ"),
        (["--period", "2099-Q1"], "has not started yet"),
    ],
)
def test_the_command_refuses_what_the_api_refuses(report_world, client, arguments, message):
    CountryFactory(iso3="FRA", name_en="France", name_fr="France")
    with pytest.raises(CommandError, match=message):
        call_command("build_followup_reports", *arguments, stdout=StringIO())

    client.force_login(report_world.users["admin"])
    values = dict(zip(arguments[::2], arguments[1::2], strict=True))
    response = client.post(
        "/api/v1/followup-reports/",
        {"host_state": values.get("--state", "CAF"), "period": values.get("--period", "")},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in str(response.json())
    assert not FollowUpReport.objects.exists()


def test_the_command_exits_with_status_1_on_a_refusal(report_world, needs_postgres):
    import os
    import subprocess
    import sys

    from django.conf import settings
    from django.db import connection

    # The command runs against the test database (its reference data is committed).
    db = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    result = subprocess.run(
        [sys.executable, "manage.py", "build_followup_reports", "--state", "XYZ"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        env=env,
    )

    assert result.returncode == 1
    assert "No State has the code XYZ" in result.stderr


# --- cases whose host State is to be determined ------------------------------------------------


def test_undetermined_cases_have_their_own_list_per_mission_and_no_state_report(
    report_world, request_now, client
):
    undetermined = attack(
        report_world.users["admin"], report_world.minusca, report_world.caf, days=400
    )
    Case.objects.filter(pk=undetermined.pk).update(host_state=None)
    period = Period.containing(date.today(), "month")

    state_report = content(report_world, period)
    listing = content(report_world, period, state=None, mission=report_world.minusca)

    assert undetermined.reference not in references(state_report)
    assert references(listing) == {undetermined.reference}
    assert listing["host_state_to_be_determined"] is True
    assert listing["host_state"]["name_fr"] == "État hôte à déterminer (MINUSCA)"
    assert listing["summary"]["counts"]["impunity_cases"] == 1

    report = request_now(
        report_world, period, "legal_minusca", host_state=None, mission=report_world.minusca
    )
    client.force_login(report_world.users["legal_minusca"])
    assert (report.status, str(report)) == (
        FollowUpReport.Status.DONE,
        f"TBD-MINUSCA {period.label} v1",
    )
    assert report.pdf.name.startswith("reports/TBD-MINUSCA/")
    download = client.get(reverse("reports:report_download", args=[report.pk, "xlsx"]))
    assert download.status_code == 200
    assert f"followup-report-TBD-MINUSCA-{period.label}" in download["Content-Disposition"]
    # The mission's legal officers see it; the South Sudan officer does not.
    assert FollowUpReport.objects.visible_to(report_world.users["legal_minusca"]).filter(
        pk=report.pk
    )
    assert not FollowUpReport.objects.visible_to(report_world.users["legal_ssd"]).filter(
        pk=report.pk
    )


def test_the_board_counts_the_cases_waiting_for_a_host_state(report_world, client):
    Case.objects.filter(pk=report_world.case_old.pk).update(host_state=None)
    client.force_login(report_world.users["legal_minusca"])

    page = client.get(reverse("accountability:case_board")).content.decode()

    assert "1 case waits for a host State to be named." in page


def test_the_api_answers_an_unchanged_request_with_the_existing_version(report_world, request_now):
    from rest_framework.test import APIClient

    period = period_of(250)
    first = request_now(report_world, period)
    api = APIClient()
    api.force_authenticate(report_world.users["legal_caf"])

    response = api.post(
        "/api/v1/followup-reports/", {"host_state": "CAF", "period": period.label}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["version"]) == (first.pk, 1)
    assert FollowUpReport.objects.count() == 1


def test_the_api_builds_a_mission_list_of_undetermined_cases(report_world, client):
    from rest_framework.test import APIClient

    Case.objects.filter(pk=report_world.case_old.pk).update(host_state=None)
    api = APIClient()
    api.force_authenticate(report_world.users["legal_minusca"])

    response = api.post("/api/v1/followup-reports/", {"mission": "MINUSCA"}, format="json")

    assert response.status_code == 201
    assert (response.json()["host_state"], response.json()["mission"]) == (None, "MINUSCA")
    # A legal officer of another State may not ask for it.
    api.force_authenticate(report_world.users["legal_ssd"])
    refused = api.post("/api/v1/followup-reports/", {"mission": "MINUSCA"}, format="json")
    assert refused.status_code == 404
