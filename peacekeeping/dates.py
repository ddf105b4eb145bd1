"""Dates in running text, in the reader's language (the UN's style).

Tables and exports write ISO 8601 (peacekeeping/formats); sentences write "6 December
2026" and "6 décembre 2026". French writes the first of the month as an ordinal,
"1er décembre 2026", which Django's date formats cannot say: this module adds it.
Templates use the `prose_date` filter (peacekeeping.templatetags.typography).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import get_language

# The formats that start with the day of the month ("j ...") in French.
_DAY_FIRST = frozenset({"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT"})


def prose_date(value: date | datetime | str | None, format_name: str = "DATE_FORMAT") -> str:
    """`value` (a date, a datetime or an ISO date) as the active language writes it in a
    sentence; "" for no date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    text = date_format(value, format_name)
    if value.day == 1 and format_name in _DAY_FIRST and (get_language() or "").startswith("fr"):
        # "1 décembre" -> "1er décembre"
        text = "1er" + text[1:] if text.startswith("1 ") else text
    return text
