"""One reading of a list's query string, shared by the page, its export links and the export.

A list page, the map, the statistics and the exports all read their filters through
`read_query`: the keys the list's FilterSet knows become its filters (empty values, which
the filter forms send for "any", left out); the page's own controls (page, page size,
sort, format) are set apart; every other key is "not understood". Together with the
FilterSet's own refusals (a value it cannot read, a mission that does not exist), those
are the `problems` the page shows and an export answers with a 400: a filter is never
dropped without a word, so nothing widens silently. The API applies the same rules
(`peacekeeping.api_filters.ApiFilterBackend`), with the checks of values the apps register here
(`register_check`: a mission or country that does not exist, in `missions.filtersets`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

# The controls a saved search keeps with the filters (not the page, nor an export format).
KEPT_CONTROLS = ("sort", "page_size")


@dataclass
class ListQuery:
    """The filters understood (in key order), the controls, and what was not understood."""

    filters: QueryDict
    controls: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def querystring(self) -> str:
        """The filters as a query string: what an export link carries, exactly."""
        return self.filters.urlencode()

    @property
    def exported(self) -> str:
        """The filters and the sort understood: what an export link carries, so the file
        holds the rows of the list in the list's order."""
        exported = self.filters.copy()
        if self.controls.get("sort") and "sort" not in self.errors:
            exported["sort"] = self.controls["sort"]
        return exported.urlencode()

    @property
    def kept(self) -> str:
        """The filters with the sort and page size understood, without the page number:
        what a saved search keeps (the list as it is shown, from its first page)."""
        kept = self.filters.copy()
        for name, value in self.controls.items():
            if name in KEPT_CONTROLS and name not in self.errors and value != "":
                kept[name] = value
        return kept.urlencode()

    @property
    def problems(self) -> list[str]:
        """Each key or value not understood, as a sentence for the user (translated)."""
        messages = [_("Not understood: %(name)s") % {"name": name} for name in self.unknown]
        for name, reasons in self.errors.items():
            value = self.filters.get(name, self.controls.get(name, ""))
            messages.append(
                _("Not understood: %(name)s=%(value)s (%(reason)s)")
                % {"name": name, "value": value, "reason": " ".join(str(r) for r in reasons)}
            )
        return messages

    @property
    def understood(self) -> bool:
        return not self.unknown and not self.errors

    def refuse(self, name: str, reason: str) -> None:
        """Record that the value of `name` could not be used."""
        reasons = self.errors.setdefault(name, [])
        if reason not in reasons:
            reasons.append(reason)

    def check(self, filterset) -> None:
        """Add the FilterSet's refusals (its form's errors) to the problems."""
        if filterset.is_bound and not filterset.is_valid():
            for name, reasons in filterset.errors.items():
                for reason in reasons:
                    self.refuse(name, str(reason))


def read_query(
    params: Mapping, *, filters: Iterable[str], controls: Iterable[str] = ()
) -> ListQuery:
    """Split `params` (request.GET) into understood filters, controls and unknown keys."""
    known = set(filters)
    control_names = set(controls)
    query = QueryDict(mutable=True)
    result = ListQuery(filters=query)
    for key in sorted(params):
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if key in known:
            kept = [v for v in values if v != ""]
            if kept:
                query.setlist(key, kept)
        elif key in control_names:
            result.controls[key] = values[-1]
        else:
            result.unknown.append(key)
    return result


def page_number(query: ListQuery, paginator) -> int:
    """The page asked for; a page that does not exist is a problem, and page 1 is shown."""
    raw = query.controls.get("page", "")
    if raw == "":
        return 1
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= paginator.num_pages:
        return int(raw)
    query.refuse(
        "page",
        _("there is no such page; pages go from 1 to %(last)s") % {"last": paginator.num_pages},
    )
    return 1


def page_size(query: ListQuery, *, default: int, maximum: int) -> int:
    """`page_size` from 1 to `maximum`; anything else is a problem, and `default` is used."""
    raw = query.controls.get("page_size", "")
    if raw == "":
        return default
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum:
        return int(raw)
    query.refuse("page_size", _("give a whole number from 1 to %(max)s") % {"max": maximum})
    return default


# Checks of the values of a query (a name that names nothing), registered by the apps
# that know the reference data (AppConfig.ready): the platform runs them for the API.
_CHECKS: list[Callable[[ListQuery], None]] = []


def register_check(check: Callable[[ListQuery], None]) -> None:
    """Add an app's check of filter values (again at a reload: once)."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def check_values(query: ListQuery) -> None:
    """Run every registered check: what they refuse becomes a problem of `query`."""
    for check in _CHECKS:
        check(query)
