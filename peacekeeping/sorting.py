"""Sorting a list by its columns: one mechanism for every list page.

A list declares its sortable columns (`Sorting`): `?sort=key` orders by a column,
`?sort=-key` in reverse. The key travels in the list's one query string as a control
(peacekeeping.querystring), so page links, saved searches and the page-size control keep
it. A key not understood is a problem the page shows, like a filter not understood (the
API refuses an unknown `?ordering=` the same way), and the default order is used: a sort
only reorders, it never selects, so nothing is withheld for it.

Every ordering ends with a unique tie-breaker (the primary key), so pages never skip or
repeat rows that share a value, as the API's ApiOrderingFilter does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import BaseExpression
from django.http import QueryDict
from django.utils.translation import gettext as _

from peacekeeping.querystring import ListQuery, page_number, page_size, read_query

SORT = "sort"
# Stands for the sort's value in an encoded query string (Sorting.headers).
_MARKER = "SORTKEYMARKER"


@dataclass(frozen=True)
class Column:
    """A sortable column: its header, its ascending ordering, and the direction a first
    click asks for (numbers and dates: the largest or latest first)."""

    label: str
    ordering: tuple
    descending_first: bool = False


@dataclass(frozen=True)
class Header:
    """What a column's header shows: a link that sorts by it (or reverses the sort), and
    `aria_sort` ("ascending", "descending" or "") for screen readers."""

    label: str
    url: str
    aria_sort: str


def by_label(field: str, choices) -> Case:
    """Order a choice field by its labels in the active language, not by its codes."""
    return Case(
        *[When(**{field: value}, then=Value(str(label))) for value, label in choices],
        default=F(field),
        output_field=CharField(),
    )


def _term(item, descending: bool):
    expression = F(item.lstrip("-")) if isinstance(item, str) else item
    if isinstance(item, str) and item.startswith("-"):
        descending = not descending
    if not isinstance(expression, BaseExpression | F):
        raise TypeError(f"cannot order by {item!r}")
    return expression.desc() if descending else expression.asc()


class Sorting:
    """The sortable columns of one list, its default sort, and its tie-breaker."""

    def __init__(self, columns: Mapping[str, Column], *, default: str, tiebreaker: str = "id"):
        self.columns = dict(columns)
        self.default = default
        self.tiebreaker = tiebreaker
        if self.default.lstrip("-") not in self.columns:
            raise ValueError(f"default sort {default!r} is not a column")

    @property
    def keys(self) -> list[str]:
        """Every `?sort=` value understood."""
        return [k for name in self.columns for k in (name, f"-{name}")]

    def read(self, query: ListQuery) -> str:
        """The sort asked for; one not understood is a problem, and the default is used."""
        raw = query.controls.get(SORT, "")
        if raw == "":
            return self.default
        if raw in self.keys:
            return raw
        query.refuse(SORT, _("give one of %(sorts)s") % {"sorts": ", ".join(self.keys)})
        return self.default

    def order_by(self, key: str) -> list:
        """ORDER BY terms for `key` (one of `keys`), ending with the tie-breaker."""
        descending = key.startswith("-")
        column = self.columns[key.lstrip("-")]
        terms = [_term(item, descending) for item in column.ordering]
        terms.append(_term(self.tiebreaker, descending))
        return terms

    def headers(self, params: QueryDict, key: str, *, url: Callable[[str], str] | None = None):
        """{column: Header}: each header links to the same query string with the sort set
        (and no page number: a new order starts at page 1)."""
        current = key.lstrip("-")
        # The query string is encoded once, the sort's value left as a marker that each
        # header fills in (sort keys are column names: nothing in them is escaped).
        query = params.copy()
        query.pop("page", None)
        query[SORT] = _MARKER
        # ("&" before it: a key or value holding "sort=" has its "&" and "=" escaped).
        head, _marker, tail = f"&{query.urlencode()}".partition(f"&{SORT}={_MARKER}")
        head = f"{head[1:]}&" if head else ""
        found = {}
        for name, column in self.columns.items():
            if name == current:
                wanted = name if key.startswith("-") else f"-{name}"
                aria = "descending" if key.startswith("-") else "ascending"
            else:
                wanted = f"-{name}" if column.descending_first else name
                aria = ""
            found[name] = Header(
                label=str(column.label), url=f"?{head}{SORT}={wanted}{tail}", aria_sort=aria
            )
        return found


@dataclass
class SortedPage:
    """A list page read from its query string: the reading (with its problems), the sort,
    the page of rows, the page size and the column headers."""

    query: ListQuery
    sort: str
    page: object
    size: int
    headers: dict


LIST_CONTROLS = ("page", "page_size", SORT)


def sorted_page(params, rows, sorting: Sorting, *, sizes: tuple[int, ...], filters=(), query=None):
    """The page of `rows` (a queryset, already filtered and scoped) that `params` asks for:
    sorted as asked (or by default), `page_size` one of up to max(sizes) (else the first
    size), the page asked for (a page that does not exist is a problem, and page 1 is
    shown). Two queries: COUNT and the page. A key that is neither a filter nor a control
    is a problem of `query` (read here, or already read by the caller with LIST_CONTROLS
    when its filters' values are checked first)."""
    if query is None:
        query = read_query(params, filters=filters, controls=LIST_CONTROLS)
    sort = sorting.read(query)
    size = page_size(query, default=sizes[0], maximum=max(sizes))
    paginator = Paginator(rows.order_by(*sorting.order_by(sort)), size)
    page = paginator.page(page_number(query, paginator))
    return SortedPage(query, sort, page, size, sorting.headers(params, sort))
