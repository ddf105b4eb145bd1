"""Reusable reads of the incidents app."""

from django.db import connections, models
from django.db.models import Expression, IntegerField, Q
from django.db.models.query import ValuesIterable

from incidents.choices import IncidentType, Outcome
from missions.scope import incident_q

# The list rows' perpetrators: not a column of the rows' statement (_WithPerpetrators).
PERPETRATORS = "perpetrator_list"


class ArmedGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The register of armed groups is shared by every signed-in user."""
        return self if user.is_authenticated and user.is_active else self.none()

    def search(self, text: str):
        return self.filter(Q(name__icontains=text) | Q(aliases__alias__icontains=text)).distinct()


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Incidents in the user's scope (missions.scope); everything else is absent."""
        return self.filter(incident_q(user))

    def malicious(self):
        return self.filter(incident_type=IncidentType.MALICIOUS_ACT)

    def with_casualty_counts(self):
        """`killed` and `injured` on each incident, as correlated subqueries.

        Not Count() over a join: a join makes PostgreSQL aggregate every matching incident
        before it can sort and cut a page (0.5 s for a 50-row page of 100,000 incidents),
        and a filter that joins casualties or perpetrators would multiply the counts. A
        subquery per row reads the index on casualty.incident_id for the page's rows only.
        """
        return self.annotate(
            killed=CasualtyCount(Outcome.KILLED), injured=CasualtyCount(Outcome.INJURED)
        )

    def list_values(self, columns: tuple[str, ...] | None = None):
        """The incidents as dicts of every column a list shows (incidents.listing): the
        mission, country and case joined, killed and injured counted, in one query; the
        perpetrators as `[{"id", "name"}, ...]` by name, read for the whole page by one
        more (`_WithPerpetrators`); no model instance. `columns`: only these (the HTML
        tables read fewer than the API)."""
        columns = columns or LIST_VALUES
        values = self.with_casualty_counts().values(
            *(column for column in columns if column != PERPETRATORS)
        )
        if PERPETRATORS in columns:
            values._iterable_class = _WithPerpetrators
        return values


# The columns of a list row: the API's IncidentSerializer fields (but perpetrators and the
# URL) and what includes/incident_table.html shows. The API orders and pages by some of
# them (occurred_at, reference, created_at, updated_at, id): they must stay here.
LIST_VALUES = (
    "id",
    "reference",
    "mission_id",
    "mission__acronym",
    "mission__name_en",
    "mission__time_zone",
    "occurred_at",
    "date_precision",
    "country_id",
    "country__iso3",
    "country__name_en",
    "country__name_fr",
    "place",
    "admin_area",
    "latitude",
    "longitude",
    "location_precision",
    "incident_type",
    "attack_type",
    "perpetrator_unknown",
    "status",
    "source",
    "case_link__case__reference",
    "case_link__case__stage",
    "killed",
    "injured",
    PERPETRATORS,
    "created_at",
    "updated_at",
    "version",
)

# The columns of the HTML tables' rows (incidents.listing.html_rows). No join for the
# mission's acronym: the pages have their missions already (half a millisecond of
# planning a list request).
TABLE_VALUES = (
    "id",
    "reference",
    "mission_id",
    "occurred_at",
    "country_id",
    "country__name_en",
    "country__name_fr",
    "place",
    "admin_area",
    "incident_type",
    "attack_type",
    "status",
    "case_link__case__reference",
    "case_link__case__stage",
    "killed",
    "injured",
    PERPETRATORS,
)


class CasualtyCount(Expression):
    """How many casualties of the row's incident had `outcome`: a correlated
    `(SELECT count(*) ...)` read from the index on casualty.incident_id.

    Written as SQL rather than `Subquery(Casualty.objects...)`: the same plan, but the
    ORM built and compiled two nested querysets per list request for it (~2 ms of the
    ~3 ms it took to compile a list query). It correlates with the outer query's base
    table under whatever alias that table has, so it stays right inside a subquery.
    """

    output_field = IntegerField()

    def __init__(self, outcome: str) -> None:
        super().__init__()
        self.outcome = outcome

    def as_sql(self, compiler, connection):
        from incidents.models import Casualty

        incident = compiler.quote_name(next(iter(compiler.query.alias_map)))
        casualty = connection.ops.quote_name(Casualty._meta.db_table)
        sql = (
            f"(SELECT count(*) FROM {casualty} AS c "
            f"WHERE c.incident_id = {incident}.id AND c.outcome = %s)"
        )
        return sql, (self.outcome,)


class _WithPerpetrators(ValuesIterable):
    """`list_values()` rows, each with its incident's armed groups as
    `[{"id", "name"}, ...]`, by name then id in the database's collation: one query for
    the whole page, as a prefetch would make, written as SQL (the ORM spent ~1.4 ms
    building a prefetch of this size).

    Not a correlated subquery of the rows' statement: joining the armed groups, a JSON
    object each, sorted, for each row cost ~1.4 ms of PostgreSQL's time on a 50-row page,
    against ~0.3 ms for this query."""

    def __iter__(self):
        rows = list(super().__iter__())
        if not rows:
            return iter(rows)
        from incidents.models import ArmedGroup, Incident

        connection = connections[self.queryset.db]
        through = connection.ops.quote_name(Incident.perpetrators.through._meta.db_table)
        groups = connection.ops.quote_name(ArmedGroup._meta.db_table)
        by_incident = {row["id"]: [] for row in rows}
        marks = ", ".join(["%s"] * len(by_incident))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.incident_id, g.id, g.name FROM {through} AS p "
                f"JOIN {groups} AS g ON g.id = p.armedgroup_id "
                f"WHERE p.incident_id IN ({marks}) ORDER BY g.name, g.id",
                list(by_incident),
            )
            for incident_id, pk, name in cursor.fetchall():
                by_incident[incident_id].append({"id": pk, "name": name})
        for row in rows:
            row[PERPETRATORS] = by_incident[row["id"]]
        return iter(rows)


class CasualtyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Casualties of the incidents the user may see."""
        from incidents.models import Incident

        return self.filter(incident__in=Incident.objects.visible_to(user).values("pk"))

    def fatalities(self):
        return self.filter(outcome=Outcome.KILLED)
