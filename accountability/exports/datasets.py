"""The rows of each export: the user's scope, the list's filters, names masked by role.

Each kind starts from its model's `visible_to(user)`, narrowed by the same FilterSet as
its list page and API endpoint (so the same query string gives the same rows), and reads
every column in one SQL query: related names by joins, counts and lists by correlated
subqueries (no join fan-out), and people's names through a CASE on
`missions.masking.names_visible_q`, the SQL form of `missions.scope.sees_names` for the
row's mission and host State. A masked name never leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import QueryDict
from django.utils.translation import gettext as _

from accountability.exports.writers import (
    BOOL,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    Column,
    pg_select_expression,
)
from accountability.filtersets import CaseFilterSet, SuspectFilterSet
from accountability.forms import CASE_ONLY_PARAMETERS, CASE_PARAMETERS
from accountability.impunity import impunity_exists
from accountability.listing import BOARD_SORTING, with_progress
from accountability.models import Case as CaseModel
from accountability.models import CaseIncident, Suspect
from accountability.selection import select
from incidents.choices import Outcome
from incidents.filtersets import CasualtyFilterSet, IncidentFilterSet
from incidents.listing import incident_sorting
from incidents.models import Casualty, Incident
from missions.filtersets import check_references
from missions.masking import masked, names_visible_q
from peacekeeping.errors import DomainError
from peacekeeping.querystring import read_query

LIST_KINDS = ("incidents", "casualties", "cases", "procedures")


class InvalidFilters(DomainError):
    """The query string does not validate against the list's FilterSet."""

    code = "invalid_filters"

    def __init__(self, errors: dict[str, list[str]]):
        field_name, messages = next(iter(errors.items()))
        super().__init__(f"{field_name}: {' '.join(messages)}", field=field_name)
        self.errors = errors

    @classmethod
    def from_query(cls, query) -> InvalidFilters:
        """The problems of a peacekeeping.querystring.ListQuery, as the page shows them."""
        errors = {name: [_("Not understood: %(name)s") % {"name": name}] for name in query.unknown}
        for name, reasons in query.errors.items():
            errors[name] = list(reasons)
        exc = cls(errors)
        exc.message = " ".join(query.problems)
        exc.problems = query.problems
        return exc


@dataclass
class Dataset:
    """The rows of one export, ready to count and to write."""

    kind: str
    columns: list[Column]
    queryset: QuerySet  # values_list of the columns, in export order
    count_queryset: QuerySet
    filters: dict[str, list[str]] = field(default_factory=dict)

    def count(self, *, limit: int | None = None) -> int:
        """How many rows; with `limit`, counting stops there (LIMIT in a subquery)."""
        qs = self.count_queryset.order_by()
        return qs[:limit].count() if limit is not None else qs.count()

    def rows(self, *, chunk_size: int):
        return self.queryset.iterator(chunk_size=chunk_size)

    def copy_sql(self) -> str | None:
        """COPY (SELECT ...) TO STDOUT for this dataset (PostgreSQL only)."""
        if connection.vendor != "postgresql":
            return None
        try:
            sql, params = self.queryset.query.sql_with_params()
        except EmptyResultSet:
            # A filter that can match nothing (a name searched by a user who may not see
            # names) has no SQL: the rows path writes the header and no row.
            return None
        with connection.cursor() as cursor:
            inner = cursor.cursor.mogrify(sql, params).decode()
        outer = ", ".join(
            pg_select_expression(f"x_{c.name}", c.type) + f' AS "{c.name}"' for c in self.columns
        )
        return f"COPY (SELECT {outer} FROM ({inner}) AS t) TO STDOUT WITH (FORMAT csv)"


@dataclass
class RowsDataset:
    """A small table computed in Python (the indicators): the same interface as Dataset."""

    kind: str
    columns: list[Column]
    table: list[tuple]
    filters: dict[str, list[str]] = field(default_factory=dict)

    def count(self, *, limit: int | None = None) -> int:
        return len(self.table)

    def rows(self, *, chunk_size: int):
        return iter(self.table)

    def copy_sql(self) -> None:
        return None


def _masked(path: str, visible: Q, present: Q) -> Case:
    """The value at `path` where names are visible, the mask where they are not, and ""
    where there is no one to name (`present` false): missions.masking.masked."""
    return masked(path, visible, present)


def _ordered_agg(path: str):
    # STRING_AGG ... ORDER BY needs SQLite 3.44; older SQLite gives the database's order.
    if connection.features.supports_aggregate_order_by_clause:
        return StringAgg(path, delimiter=Value("; "), order_by=path)
    return StringAgg(path, delimiter=Value("; "))


def _build(kind: str, queryset: QuerySet, columns: list[Column], ordering, count_qs, filters):
    annotated = queryset.annotate(**{f"x_{c.name}": c.expression for c in columns})
    values = annotated.order_by(*ordering).values_list(*[f"x_{c.name}" for c in columns])
    return Dataset(
        kind=kind, columns=columns, queryset=values, count_queryset=count_qs, filters=filters
    )


# --- the four lists --------------------------------------------------------------------


def _count(rows: QuerySet, group: str):
    """How many of `rows` per outer row: a correlated subquery, 0 when there are none."""
    per_row = rows.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(per_row), 0)


def incident_columns(user) -> list[Column]:
    casualties = Casualty.objects.filter(incident=OuterRef("pk"))
    perpetrators = Subquery(
        Incident.perpetrators.through.objects.filter(incident_id=OuterRef("pk"))
        .order_by()
        .values("incident_id")
        .annotate(names=_ordered_agg("armedgroup__name"))
        .values("names")[:1]
    )
    return [
        Column("reference", F("reference")),
        Column("mission", F("mission__acronym")),
        Column("country", F("country__iso3")),
        Column("occurred_on", TruncDate("occurred_at", tzinfo=UTC), DATE),
        Column("occurred_at_utc", F("occurred_at"), DATETIME),
        Column("date_precision", F("date_precision")),
        Column("place", F("place")),
        Column("admin_area", F("admin_area")),
        Column("latitude", F("latitude"), DECIMAL),
        Column("longitude", F("longitude"), DECIMAL),
        Column("location_precision", F("location_precision")),
        Column("incident_type", F("incident_type")),
        Column("attack_type", F("attack_type")),
        Column("perpetrators", Coalesce(perpetrators, Value(""), output_field=TextField())),
        Column("perpetrator_unknown", F("perpetrator_unknown"), BOOL),
        Column("killed", _count(casualties.filter(outcome=Outcome.KILLED), "incident"), INT),
        Column("injured", _count(casualties.filter(outcome=Outcome.INJURED), "incident"), INT),
        Column("casualties", _count(casualties, "incident"), INT),
        Column("case", F("case_link__case__reference")),
        Column("status", F("status")),
        Column("source", F("source")),
        Column("narrative", F("narrative")),
        Column("sources", F("sources")),
    ]


def casualty_columns(user) -> list[Column]:
    visible = names_visible_q(user, mission="incident__mission_id", country="incident__country_id")
    known = Q(personnel__isnull=False)
    return [
        Column("id", F("pk"), INT),
        Column("un_casualty_id", F("un_casualty_id")),
        Column("incident", F("incident__reference")),
        Column("mission", F("incident__mission__acronym")),
        Column("country", F("incident__country__iso3")),
        Column("occurred_on", TruncDate("incident__occurred_at", tzinfo=UTC), DATE),
        Column("incident_type", F("incident__incident_type")),
        Column("attack_type", F("incident__attack_type")),
        Column("category", F("category")),
        Column("un_personnel_type", F("un_personnel_type")),
        Column("nationality", F("nationality__iso3")),
        Column("outcome", F("outcome")),
        Column("date_of_death", F("date_of_death"), DATE),
        Column("service_number", _masked("personnel__service_number", visible, known)),
        Column("given_name", _masked("personnel__given_name", visible, known)),
        Column("family_name", _masked("personnel__family_name", visible, known)),
    ]


def case_columns(user, *, today: date) -> list[Column]:
    incidents = Subquery(
        CaseIncident.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(refs=_ordered_agg("incident__reference"))
        .values("refs")[:1]
    )
    impunity = impunity_exists(as_of=today)
    return [
        Column("reference", F("reference")),
        Column("mission", F("mission__acronym")),
        Column("host_state", F("host_state__iso3")),
        Column("attack_date", F("attack_date"), DATE),
        Column("opened_on", F("opened_on"), DATE),
        Column("stage", F("stage")),
        Column("investigation_status", F("investigation_status")),
        Column("investigation_opened_on", F("investigation_opened_on"), DATE),
        Column("last_progress_on", F("last_progress_on"), DATE),
        Column("has_conviction", F("has_conviction"), BOOL),
        Column("impunity", impunity, BOOL),
        Column("killed", F("killed"), INT),
        Column("injured", F("injured"), INT),
        Column("suspects", _count(Suspect.objects.filter(case=OuterRef("pk")), "case"), INT),
        Column("incidents", Coalesce(incidents, Value(""), output_field=TextField())),
        Column("opened_by_import", F("opened_by_import"), BOOL),
        Column("summary", F("summary")),
    ]


def procedure_columns(user) -> list[Column]:
    visible = names_visible_q(user, mission="case__mission_id", country="case__host_state_id")
    return [
        Column("case", F("case__reference")),
        Column("mission", F("case__mission__acronym")),
        Column("host_state", F("case__host_state__iso3")),
        Column("suspect_id", F("pk"), INT),
        Column("name", _masked("name", visible, ~Q(name=""))),
        Column("alias", _masked("alias", visible, ~Q(alias=""))),
        Column("armed_group", F("armed_group__name")),
        Column("nationality", F("nationality__iso3")),
        Column("suspect_status", F("status")),
        Column("in_custody", F("in_custody"), BOOL),
        Column("step_id", F("steps__id"), INT),
        Column("step", F("steps__kind")),
        Column("step_date", F("steps__occurred_on"), DATE),
        Column("legal_term", F("steps__legal_term")),
        Column("sentence", F("steps__sentence")),
        Column("source", F("steps__source")),
        Column("note", F("steps__note")),
    ]


# --- building a dataset from a query string --------------------------------------------

FILTERSETS = {
    "incidents": IncidentFilterSet,
    "casualties": CasualtyFilterSet,
    "cases": CaseFilterSet,
    "procedures": SuspectFilterSet,
}


def known_filters(kind: str) -> dict:
    """The filters an export of `kind` understands, by name: its list's. The incidents
    export is also the statistics page's and the map's, so it knows their case filters
    (accountability.selection)."""
    known = dict(FILTERSETS[kind].base_filters)
    if kind == "incidents":
        known.update(
            {
                name: CaseFilterSet.base_filters[CASE_PARAMETERS[name]]
                for name in CASE_ONLY_PARAMETERS
            }
        )
    return known


EXPORT_CONTROLS = ("format", "sort")


def _sortings() -> dict:
    """The lists whose export keeps the list's sort (`?sort=`, as on the page)."""
    return {"incidents": incident_sorting(), "cases": BOARD_SORTING}


def filters_of(kind: str, params) -> dict[str, list[str]]:
    """The list filters in a query string (empty values, which the list pages send for
    "any", are left out); a key or a mission not understood is refused (InvalidFilters)
    with what the list page would show: an export never widens silently."""
    query = read_query(params, filters=known_filters(kind), controls=EXPORT_CONTROLS)
    check_references(query)
    sort = query.controls.get("sort", "")
    if sort:
        sorting = _sortings().get(kind)
        if sorting is None:
            query.refuse("sort", _("this export has one order; leave sort out"))
        else:
            sorting.read(query)
    if not query.understood:
        raise InvalidFilters.from_query(query)
    filters = {key: query.filters.getlist(key) for key in query.filters}
    if sort:
        # Kept with the filters (the job and its manifest record it), read apart.
        filters["sort"] = [sort]
    return filters


def as_query_dict(filters: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, list(values) if isinstance(values, list | tuple) else [str(values)])
    return query


def _base_queryset(kind: str, user) -> QuerySet:
    if kind == "incidents":
        return Incident.objects.visible_to(user)
    if kind == "casualties":
        return Casualty.objects.visible_to(user)
    if kind == "cases":
        return CaseModel.objects.visible_to(user)
    return Suspect.objects.visible_to(user)


def filtered(kind: str, *, user, filters: dict[str, list[str]]) -> QuerySet:
    """The rows of `kind` in the user's scope, narrowed by the list's FilterSet (the
    incidents: by the selection of the statistics page and the map)."""
    if kind == "incidents":
        selection = select(user=user, params=as_query_dict(filters))
        if selection.withheld:
            raise InvalidFilters.from_query(selection.query)
        return selection.incidents
    filterset = FILTERSETS[kind](
        as_query_dict(filters),
        queryset=_base_queryset(kind, user),
        request=SimpleNamespace(user=user),
    )
    if not filterset.is_valid():
        raise InvalidFilters({k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs


def list_dataset(kind: str, *, user, filters: dict[str, list[str]], today: date) -> Dataset:
    """One of the four lists, as the user may see it, with the filters applied."""
    if kind not in FILTERSETS:
        raise DomainError(f"There is no export of “{kind}”.", field="kind")
    sort = (filters.get("sort") or [""])[0]
    base = filtered(kind, user=user, filters={k: v for k, v in filters.items() if k != "sort"})
    if kind == "incidents":
        ordering = ["-occurred_at", "-pk"]
        if sort:
            # The list's sort, over the columns the list shows (killed, injured counted).
            base = base.with_casualty_counts()
            ordering = incident_sorting().order_by(sort)
        return _build(kind, base, incident_columns(user), ordering, base, filters)
    if kind == "casualties":
        return _build(kind, base, casualty_columns(user), ["pk"], base, filters)
    if kind == "cases":
        columns = case_columns(user, today=today)
        ordering = ["-attack_date", "-pk"]
        if sort:
            base = with_progress(base)
            ordering = BOARD_SORTING.order_by(sort)
        return _build(kind, base, columns, ordering, base, filters)
    # One row per procedure step (LEFT JOIN): a suspect with no step yet has one row with
    # the step columns empty, so nobody drops out of the export.
    ordering = ["case_id", "pk", "x_step_date", "x_step_id"]
    count_qs = base.values("pk", "steps__id")
    return _build(kind, base, procedure_columns(user), ordering, count_qs, filters)
