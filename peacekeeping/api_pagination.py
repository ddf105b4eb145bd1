"""Cursor pagination of the API's lists (imported by peacekeeping.api).

No COUNT(*), stable under inserts. A cursor is base64 that a client can forge: whatever
it carries is refused with a 400 that names the cursor, never a 500.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 500


class ApiPagination(CursorPagination):
    """Cursor pagination: no COUNT(*), stable under inserts. `?page_size=` 1..500."""

    page_size = 50
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    ordering = "-id"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= self.max_page_size:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]}
            )
        return value

    def _bad_cursor(self):
        return exceptions.ValidationError(
            {
                self.cursor_query_param: [
                    _("This cursor is not valid: follow a page's next or previous link.")
                ]
            },
            code="invalid_cursor",
        )

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise self._bad_cursor() from None

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is base64 the client can forge (`p=abc` where the ordering is a date):
        # the position it carries is refused before it reaches the database as a 500.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            if request.query_params.get(self.cursor_query_param) is None:
                raise
            raise self._bad_cursor() from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
