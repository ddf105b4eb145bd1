"""Reporting periods: a calendar month (2026-11) or quarter (2026-Q4)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from peacekeeping.errors import DomainError

MONTH = "month"
QUARTER = "quarter"

_MONTH_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of days [start, end] with its kind and label."""

    start: date
    end: date
    kind: str
    label: str

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = date(year, month, 1)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return cls(start, following - timedelta(days=1), MONTH, f"{year:04d}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = date(year, 3 * (quarter - 1) + 1, 1)
        last_month = cls.month(year, 3 * quarter)
        return cls(start, last_month.end, QUARTER, f"{year:04d}-Q{quarter}")

    @classmethod
    def containing(cls, day: date, kind: str) -> "Period":
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.month(day.year, day.month)

    @classmethod
    def parse(cls, label: str) -> "Period":
        """2026-11 or 2026-Q4; anything else is a DomainError naming the forms."""
        label = (label or "").strip().upper()
        if match := _MONTH_LABEL.match(label):
            return cls.month(int(match.group(1)), int(match.group(2)))
        if match := _QUARTER_LABEL.match(label):
            return cls.quarter(int(match.group(1)), int(match.group(2)))
        raise DomainError(
            f"“{label}” is not a period: write a month as YYYY-MM or a quarter as YYYY-Qn.",
            field="period",
        )

    def previous(self) -> "Period":
        return Period.containing(self.start - timedelta(days=1), self.kind)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def reporting_period(today: date, kind: str) -> Period:
    """The period a report built today covers: the last complete month or quarter."""
    return Period.containing(today, kind).previous()
