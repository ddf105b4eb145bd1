"""The API's JSON parser: a body nested too deeply is a 400, not a RecursionError (500).

Kept apart from peacekeeping.api: DRF reads DEFAULT_PARSER_CLASSES while that module is
still importing DRF.
"""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of this API nests deeper than a few levels; 32 leaves room and keeps every
# later walk of the data (validation, error flattening) far from Python's recursion limit.
MAX_DEPTH = 32


def _too_deep(data) -> bool:
    """Whether `data` nests deeper than MAX_DEPTH, walked without recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("The JSON body is nested too deeply (at most %(depth)d levels).") % {
            "depth": MAX_DEPTH
        }
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if _too_deep(data):
            raise ParseError(message)
        return data
