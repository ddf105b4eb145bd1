"""The API lists' query strings: filters, ordering (imported by peacekeeping.api).

A list reads its FilterSet's filters and the controls (cursor, page_size, ordering,
format); anything else is refused as the HTML lists refuse it (peacekeeping.querystring).
"""

from django.utils.translation import gettext_lazy as _
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, filters

from peacekeeping.querystring import ListQuery, check_values, read_query

# What a list reads besides its filters: cursor pages, their size, the order, DRF's format.
API_CONTROLS = ("cursor", "page_size", "ordering", "format")


class NotUnderstood(exceptions.ValidationError):
    """A list's query string names a filter the list does not have, or a value it cannot
    use: a 400 that names each, worded as the HTML lists word it (peacekeeping.querystring)."""

    default_code = "not_understood"

    def __init__(self, query: ListQuery):
        errors = {name: [str(_("This list has no such filter."))] for name in query.unknown}
        errors.update({name: list(reasons) for name, reasons in query.errors.items()})
        super().__init__(errors, code=self.default_code)
        self.problems = query.problems


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter, with the HTML lists' rules for what is not understood.

    A list's query string holds its FilterSet's filters and the controls (cursor,
    page_size, ordering, format); any other key, a value the FilterSet refuses or a
    mission or country that does not exist (the checks the apps register in
    peacekeeping.querystring) is a 400 naming each (`code` `not_understood`): a
    misspelt filter never widens the answer to the whole scope, as on the pages.

    The HTML lists submit every field of their filter form, empty meaning "any"; a script
    that sends `?stage=` or `?mission_id=` most likely has a bug, so it gets a 400 too.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return super().filter_queryset(request, queryset, view)
        filterset = self.get_filterset(request, queryset, view)
        query = read_query(
            request.query_params,
            filters=filterset.filters if filterset is not None else (),
            controls=API_CONTROLS,
        )
        if filterset is not None:
            query.check(filterset)
        check_values(query)
        if not query.understood:
            raise NotUnderstood(query)
        return queryset if filterset is None else filterset.qs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        for name, filter_ in filterset.filters.items():
            textual = isinstance(filter_, django_filters.CharFilter | django_filters.BaseCSVFilter)
            if not textual and request.query_params.get(name, None) == "":
                raise exceptions.ValidationError(
                    {name: ["Give a value, or leave the parameter out."]}
                )
        return filterset


class ApiOrderingFilter(filters.OrderingFilter):
    """`?ordering=` limited to the view's `ordering_fields`; an unknown field is a 400.

    The primary key is appended as a tie-breaker, so cursor pages never skip or repeat
    rows that share the ordering value.
    """

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            allowed = {
                name for name, _label in self.get_valid_fields(queryset, view, {"request": request})
            }
            unknown = [f for f in fields if f.removeprefix("-") not in allowed]
            if unknown or not fields:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            f"Order by one of: {', '.join(sorted(allowed))} "
                            "(prefix - for descending)."
                        ]
                    }
                )
            ordering = fields
        else:
            ordering = list(self.get_default_ordering(view) or ())
        # A view may sort a field by another expression (`ordering_keys`): people's names
        # by a key that is blank where the user may not read them (missions.scope).
        keys = getattr(view, "ordering_keys", {})
        ordering = [
            ("-" if f.startswith("-") else "") + keys.get(f.lstrip("-"), f.lstrip("-"))
            for f in ordering
        ]
        if not any(f.lstrip("-") in {"id", "pk"} for f in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-id" if descending else "id")
        return ordering

    def get_schema_operation_parameters(self, view):
        fields = list(getattr(view, "ordering_fields", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to order by; prefix - for descending.",
                "schema": {
                    "type": "array",
                    # `?ordering=` given empty is refused (400), like any empty filter.
                    "minItems": 1,
                    "items": {
                        "type": "string",
                        "enum": [v for f in fields for v in (f, f"-{f}")],
                    },
                },
                "style": "form",
                "explode": False,
            }
        ]
