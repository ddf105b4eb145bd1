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


def prose_date(value: date | datetime | str | None, format_name: str = "DATE_FORMAT") -> str:
    """`value` (a date, a datetime or an ISO date) as the active language writes it in a
    sentence; "" for no date. `format_name`: a format's name or a format string."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    text = date_format(value, format_name)
    if value.day == 1 and text.startswith("1 ") and (get_language() or "").startswith("fr"):
        text = "1er" + text[1:]  # "1 décembre" -> "1er décembre"
    return text
