"""Typography of the reader's language: `{% colon %}` after a label.

French puts a no-break space (U+00A0) before ":"; English does not. Labels followed by a
colon in templates use the tag rather than a literal ":" so both read correctly.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

NO_BREAK_SPACE = "\u00a0"


@register.simple_tag
def colon() -> str:
    """ ":" in English, no-break space and ":" in French."""
    return f"{NO_BREAK_SPACE}:" if (get_language() or "").startswith("fr") else ":"
