"""Typography of the reader's language: `{% colon %}` after a label.

French puts a no-break space (U+00A0) before ":"; English does not. Labels followed by a
colon in templates use the tag rather than a literal ":" so both read correctly.
"""

from django import template
from django.utils.translation import get_language

from peacekeeping.dates import prose_date as _prose_date

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


@register.simple_tag
def colon() -> str:
    """ ":" in English, no-break space and ":" in French."""
    return f"{NO_BREAK_SPACE}:" if (get_language() or "").startswith("fr") else ":"


@register.filter(expects_localtime=True)
def prose_date(value, format_name: str = "DATE_FORMAT") -> str:
    """A date in a sentence, in the reader's language: "1er décembre 2026" (French
    writes the first of the month as an ordinal), "1 December 2026". A time is read in
    the current time zone first, as Django's `date` filter does."""
    return _prose_date(value, format_name)
