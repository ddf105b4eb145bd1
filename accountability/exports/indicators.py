"""The figures the Secretary-General reports under resolution 2589, per mission and per
host State, as of any date.

Only what is dated on or before `as_of` counts, so the same date always gives the same
table, whatever is recorded later:

- the Security Council's five figures (fatalities, investigations opened by the host
  State's authorities, suspects detained, trials, convictions), as accountability/figures.py
  defines them, dated ≤ as_of;
- **impunity_cases**: the impunity rule of accountability/impunity.py as of `as_of`, with
  the case's conviction and last progress rebuilt from the rows dated ≤ as_of (a
  conviction recorded next year must not take a case out of this year's table).

The case-based figures use the case's host State with jurisdiction ("to be
determined" while none is named). The figures are the same five as the follow-up
reports' summary (accountability/reports/content.py), from the same definitions.
Everything is read in the user's scope: cases and incidents by `visible_to`, procedure
steps only of cases whose suspects the user may see.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accountability.exports.writers import DATE, INT, TEXT, Column
from accountability.figures import FIGURE_PLACES, FIGURES, figure_rows
from accountability.impunity import impunity_cases
from accountability.models import Case
from incidents.models import Incident
from missions.models import Country, Mission

INDICATORS = (*FIGURES, "impunity_cases")
GROUPINGS = ("mission", "host_state")
UNDETERMINED = ("", "To be determined", "")

COLUMNS = [
    Column("grouping", None, TEXT),
    Column("code", None, TEXT),
    Column("name", None, TEXT),
    Column("as_of", None, DATE),
    *(Column(name, None, INT) for name in INDICATORS),
]


@dataclass
class IndicatorRow:
    grouping: str  # "mission", "host_state" or "total"
    code: str
    name: str  # English, as the export writes it
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INDICATORS, 0))
    name_fr: str = ""

    @property
    def shown_name(self) -> str:
        """The name in the reader's language, for the page."""
        if self.grouping == "total":
            return _("All missions and States in scope")
        if not self.code:
            return _("To be determined")
        french = (get_language() or "").startswith("fr")
        return self.name_fr if french and self.name_fr else self.name

    def as_tuple(self, as_of: date) -> tuple:
        return (self.grouping, self.code, self.name, as_of, *(self.values[k] for k in INDICATORS))


@dataclass
class IndicatorTable:
    as_of: date
    by_mission: list[IndicatorRow]
    by_host_state: list[IndicatorRow]
    total: IndicatorRow

    def rows(self) -> list[IndicatorRow]:
        return [*self.by_mission, *self.by_host_state, self.total]

    def tuples(self) -> list[tuple]:
        return [row.as_tuple(self.as_of) for row in self.rows()]


@contextlib.contextmanager
def snapshot():
    """One consistent snapshot for several queries (PostgreSQL, outside a transaction)."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    else:
        yield


def impunity_as_of(cases: QuerySet, *, as_of: date) -> QuerySet:
    """The impunity rule as of `as_of` (accountability/impunity.py)."""
    return impunity_cases(cases, as_of=as_of)


def _grouped(rows: QuerySet, mission: str, state: str, count) -> list[tuple[int, int, int]]:
    """(mission id, host State id, n) per pair: one query."""
    return [
        (r["m"], r["s"], r["n"])
        for r in rows.order_by().values(m=F(mission), s=F(state)).annotate(n=count).order_by()
    ]


def indicator_table(user, *, as_of: date) -> IndicatorTable:
    """The six figures per mission and per host State as of `as_of`, in the user's scope
    (six aggregate queries and two for the names, in one snapshot)."""
    with snapshot():
        incidents = Incident.objects.visible_to(user)
        cases = Case.objects.visible_to(user)
        suspect_cases = Case.objects.with_visible_suspects(user)
        counted = {
            key: _grouped(
                figure_rows(
                    key,
                    incidents=incidents,
                    cases=cases,
                    suspect_cases=suspect_cases,
                    first=None,
                    last=as_of,
                ),
                FIGURE_PLACES[key].mission,
                FIGURE_PLACES[key].host_state,
                FIGURE_PLACES[key].count,
            )
            for key in FIGURES
        }
        counted |= {
            "impunity_cases": _grouped(
                impunity_as_of(cases, as_of=as_of), "mission_id", "host_state_id", Count("pk")
            ),
        }
        mission_ids = {m for rows in counted.values() for m, _s, _n in rows}
        state_ids = {s for rows in counted.values() for _m, s, _n in rows if s is not None}
        missions = {
            m["pk"]: (m["acronym"], m["name_en"], m["name_fr"])
            for m in Mission.objects.filter(pk__in=mission_ids).values(
                "pk", "acronym", "name_en", "name_fr"
            )
        }
        states = {
            c["pk"]: (c["iso3"], c["name_en"], c["name_fr"])
            for c in Country.objects.filter(pk__in=state_ids).values(
                "pk", "iso3", "name_en", "name_fr"
            )
        }

    by_mission: dict[int, IndicatorRow] = {}
    by_state: dict[int | None, IndicatorRow] = {}
    total = IndicatorRow("total", "", "All missions and States in scope")
    for indicator, rows in counted.items():
        for mission_id, state_id, n in rows:
            code, name, name_fr = missions[mission_id]
            by_mission.setdefault(mission_id, IndicatorRow("mission", code, name, name_fr=name_fr))
            by_mission[mission_id].values[indicator] += n
            code, name, name_fr = states.get(state_id, UNDETERMINED)
            by_state.setdefault(state_id, IndicatorRow("host_state", code, name, name_fr=name_fr))
            by_state[state_id].values[indicator] += n
            total.values[indicator] += n
    return IndicatorTable(
        as_of=as_of,
        by_mission=sorted(by_mission.values(), key=lambda r: r.code),
        by_host_state=sorted(by_state.values(), key=lambda r: (r.code == "", r.code)),
        total=total,
    )
