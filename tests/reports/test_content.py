"""The report's content: one canonical dict, the same for the same data, period and as-of."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accountability.choices import ProcedureStepKind
from accountability.reports.content import build_followup_content, canonical_json, content_sha256
from accountability.reports.models import FollowUpReport
from accountability.reports.periods import Period
from accountability.services import procedure_record_step
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_month():
    return Period.containing(date.today(), "month")


@pytest.fixture
def as_of(report_world):
    # After the world was written (as_of has whole seconds: round up, not down).
    return timezone.now().replace(microsecond=0) + timedelta(seconds=1)


def test_the_same_data_period_and_as_of_give_the_same_content_and_hash(
    report_world, this_month, as_of
):
    first = build_followup_content(report_world.caf, this_month, as_of)
    second = build_followup_content(report_world.caf, this_month, as_of)

    assert canonical_json(first) == canonical_json(second)
    assert content_sha256(first) == content_sha256(second)
    assert len(content_sha256(first)) == 64


def test_the_hash_changes_when_the_data_changes(report_world, this_month, as_of):
    before = content_sha256(build_followup_content(report_world.caf, this_month, as_of))
    suspect = report_world.case_recent.suspects.get()
    procedure_record_step(
        actor=None,
        suspect=suspect,
        kind=ProcedureStepKind.CHARGED,
        occurred_on=date.today(),
        source="Ordonnance",
    )

    after = content_sha256(build_followup_content(report_world.caf, this_month, as_of))

    assert after != before


def test_impunity_cases_come_first_with_the_rule_they_break(report_world, this_month, as_of):
    cases = build_followup_content(report_world.caf, this_month, as_of)["cases"]

    assert [case["reference"] for case in cases] == [
        report_world.case_old.reference,
        report_world.case_detained.reference,
        report_world.case_recent.reference,
    ]
    assert [case["impunity"] for case in cases] == [True, True, False]
    assert cases[0]["impunity_reasons"] == ["no_investigation", "no_progress"]
    assert cases[1]["impunity_reasons"] == ["no_progress"]
    assert cases[0]["days_since_attack"] == 400
    assert cases[1]["days_since_progress"] == 250


def test_it_lists_only_the_host_states_cases(report_world, this_month, as_of):
    ssd = build_followup_content(report_world.ssd, this_month, as_of)

    assert [case["reference"] for case in ssd["cases"]] == [report_world.case_ssd.reference]
    assert ssd["language"] == "en"
    assert ssd["suspects_at_large"] == []


def test_attacks_before_the_start_date_are_left_out(report_world, this_month, as_of, settings):
    settings.FOLLOWUP_REPORT_ATTACKS_SINCE = days_ago(350)

    cases = build_followup_content(report_world.caf, this_month, as_of)["cases"]

    assert report_world.case_old.reference not in [case["reference"] for case in cases]


def test_it_lists_suspects_at_large_detained_without_trial_and_overdue_responses(
    report_world, this_month, as_of
):
    content = build_followup_content(report_world.caf, this_month, as_of)

    assert [s["name"] for s in content["suspects_at_large"]] == ["Jean-Baptiste KOYAMBA"]
    detained = content["suspects_detained_without_trial"]
    assert [(s["name"], s["days_in_custody"]) for s in detained] == [("Pierre NGAÏKOSSET", 250)]
    # The suspect arrested today is in custody, but not yet beyond the threshold.
    assert "Abdel ZAKARIA" not in [s["name"] for s in detained]
    [communication] = content["communications"]
    assert (communication["overdue"], communication["days_overdue"]) == (True, 30)
    assert content["summary"]["counts"]["overdue_responses"] == 1


def test_a_longer_detention_threshold_lists_nobody(report_world, this_month, as_of, settings):
    settings.FOLLOWUP_DETENTION_THRESHOLD_DAYS = 300

    content = build_followup_content(report_world.caf, this_month, as_of)

    assert content["suspects_detained_without_trial"] == []
    assert content["parameters"]["detention_threshold_days"] == 300


def test_capacity_support_and_changes_of_the_period(report_world, this_month, as_of):
    content = build_followup_content(report_world.caf, this_month, as_of)

    assert [s["institution"] for s in content["capacity_support"]] == ["judiciary"]
    assert [(c["kind"], c["case"]) for c in content["changes"]] == [
        ("investigation", report_world.case_recent.reference),
        ("arrest", report_world.case_recent.reference),
    ]


def test_an_earlier_period_has_no_change_of_this_month(report_world, as_of):
    last_year = Period.containing(date.today() - timedelta(days=365), "month")

    content = build_followup_content(report_world.caf, last_year, as_of)

    assert content["changes"] == []
    assert content["capacity_support"] == []


def test_the_changes_are_the_steps_dated_in_the_period_whenever_recorded(report_world, as_of):
    previous_period = Period.containing(date.today(), "month").previous()
    FollowUpReport.objects.create(
        host_state=report_world.caf,
        period_kind="month",
        period_start=previous_period.previous().start,
        period_end=previous_period.previous().end,
        period_label=previous_period.previous().label,
        language="fr",
        status=FollowUpReport.Status.DONE,
        as_of=as_of - timedelta(minutes=5),
    )
    arrest_period = Period.containing(days_ago(250), "month")

    content = build_followup_content(report_world.caf, previous_period, as_of)
    of_the_arrest = build_followup_content(report_world.caf, arrest_period, as_of)

    # As of its period, a report is the same whenever it is built: a step dated 250 days
    # ago belongs to the report of its own month, not to one recorded later.
    assert content["previous_report"]["period"] == previous_period.previous().label
    assert ("arrest", days_ago(250).isoformat()) not in {
        (c["kind"], c["date"]) for c in content["changes"]
    }
    assert ("arrest", days_ago(250).isoformat()) in {
        (c["kind"], c["date"]) for c in of_the_arrest["changes"]
    }


def test_the_summary_table_counts_as_the_security_council_does(report_world, this_month, as_of):
    rows = {
        row["key"]: row
        for row in build_followup_content(report_world.caf, this_month, as_of)["summary"]["rows"]
    }

    assert rows["fatalities"]["cumulative"] == 4  # 1 + 2 + 1 killed
    assert rows["fatalities"]["in_period"] == (1 if days_ago(20) >= this_month.start else 0)
    assert rows["investigations_opened"]["cumulative"] == 2
    assert rows["suspects_detained"]["cumulative"] == 2
    assert rows["trials"]["cumulative"] == rows["convictions"]["cumulative"] == 0


def test_the_content_is_plain_json_values_only(report_world, this_month, as_of):
    content = build_followup_content(report_world.caf, this_month, as_of)

    def walk(value):
        assert not isinstance(value, float)
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or isinstance(value, str | int | bool)

    walk(content)
    # The period under way: as of the end of the build's day.
    assert content["as_of"] == f"{as_of.date().isoformat()}T23:59:59+00:00"
