"""Reporting periods: months and quarters, labels, the last complete period."""

from datetime import date

import pytest

from accountability.reports.periods import Period, reporting_period
from peacekeeping.errors import DomainError


def test_a_month_label_names_its_first_and_last_day():
    period = Period.parse("2026-02")

    assert (period.start, period.end, period.kind) == (date(2026, 2, 1), date(2026, 2, 28), "month")


def test_a_quarter_label_names_its_first_and_last_day():
    period = Period.parse("2026-q4")

    assert (period.start, period.end, period.label) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026-Q4",
    )


@pytest.mark.parametrize("label", ["2026-13", "2026-Q5", "26-11", "november", ""])
def test_it_refuses_a_label_that_is_no_period(label):
    with pytest.raises(DomainError, match="YYYY-MM"):
        Period.parse(label)


def test_a_scheduled_report_covers_the_last_complete_month_or_quarter():
    assert reporting_period(date(2026, 1, 1), "month").label == "2025-12"
    assert reporting_period(date(2026, 11, 29), "month").label == "2026-10"
    assert reporting_period(date(2026, 11, 29), "quarter").label == "2026-Q3"
    assert reporting_period(date(2026, 1, 15), "quarter").label == "2025-Q4"
