"""Aggregates of the statistics page: one query for the three charts of people, one for
the cases by stage and their impunity cases (values + annotate).

Each selector takes a queryset the caller already scoped with `visible_to(user)` and
narrowed with the filtersets (the casualties: by default those killed), and
returns plain rows the templates draw as bars. People are counted once each (one Casualty
row per `Casualty_ID` of the UN file) and dated by their incident, in UTC, as the UN's
published figures are.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from accountability.choices import CaseStage
from accountability.impunity import with_impunity
from accountability.models import TO_BE_DETERMINED, Case
from incidents.choices import IncidentType
from incidents.models import Casualty
from missions.models import Mission


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and its length relative to the longest bar (0-100)."""

    key: str
    label: str
    value: int
    share: float


@dataclass
class StageRow:
    """One host State's cases, counted per stage (in CaseStage order), and how many of
    them are impunity cases today."""

    iso3: str
    name: str
    counts: list[int]
    total: int = 0
    impunity: int = 0
    segments: list[dict] = field(default_factory=list)


def _bars(rows: list[tuple[str, str, int]]) -> list[Bar]:
    longest = max((value for _key, _label, value in rows), default=0) or 1
    return [Bar(key, label, value, round(100 * value / longest, 2)) for key, label, value in rows]


@dataclass(frozen=True)
class People:
    """The people counted, and the three charts of them."""

    total: int
    by_year: list[Bar]
    by_mission: list[Bar]
    by_incident_type: list[Bar]


def people(casualties: QuerySet[Casualty]) -> People:
    """People per calendar year of the incident (UTC, oldest first), per mission and per
    UN incident type (most first), and their total: one query.

    One GROUP BY over (year, mission, type) reads the casualties once; the three charts
    are its sums (a few thousand groups at most), where three queries would read a
    million rows three times.
    """
    rows = list(
        casualties.order_by()
        .annotate(year=ExtractYear("incident__occurred_at", tzinfo=UTC))
        .values_list("year", "incident__mission_id", "incident__incident_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Grouped by the incident's mission id, not the mission's acronym: every key is then a
    # column of the incident, which PostgreSQL aggregates in a hash table; a key from the
    # joined missions table made it sort a million rows on disk. The acronyms come after.
    acronyms = dict(
        Mission.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", "acronym")
    )
    years: Counter[int] = Counter()
    missions: Counter[str] = Counter()
    types: Counter[str] = Counter()
    for year, mission_id, incident_type, n in rows:
        years[year] += n
        missions[acronyms[mission_id]] += n
        types[incident_type] += n
    labels = dict(IncidentType.choices)
    return People(
        total=sum(years.values()),
        by_year=_bars([(str(year), str(year), n) for year, n in sorted(years.items())]),
        by_mission=_bars(
            [(acronym, acronym, n) for acronym, n in sorted(missions.items(), key=_most_first)]
        ),
        by_incident_type=_bars(
            [
                (kind, str(labels.get(kind, kind)), n)
                for kind, n in sorted(types.items(), key=_most_first)
            ]
        ),
    )


def case_totals(rows: list[StageRow]) -> dict[str, int]:
    """The cases and, of them, the impunity cases today: the sums of the rows of
    `cases_by_stage_per_host_state` (no query of their own)."""
    return {
        "cases": sum(row.total for row in rows),
        "impunity": sum(row.impunity for row in rows),
    }


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def cases_by_stage_per_host_state(cases: QuerySet[Case], *, language: str = "en") -> list[StageRow]:
    """Cases per host State and stage, the State with most cases first, each with its
    impunity cases today (accountability/impunity.py): one query, one pass over the cases.

    The rule is read inline from the cases' stored fields (`with_impunity`), not as a
    semi-join of the cases against the impunity cases: PostgreSQL reads the cases once.
    """
    name_field = "host_state__name_fr" if language.startswith("fr") else "host_state__name_en"
    rows = (
        with_impunity(cases.order_by())
        .values("host_state__iso3", name_field, "stage")
        .annotate(n=Count("pk"), impunity_n=Count("pk", filter=Q(impunity=True)))
        .order_by()
    )
    order = {stage: i for i, stage in enumerate(CaseStage.values)}
    by_state: dict[str, StageRow] = {}
    for row in rows:
        iso3 = row["host_state__iso3"]
        name = row[name_field] or str(TO_BE_DETERMINED).capitalize()
        state = by_state.setdefault(iso3, StageRow(iso3=iso3, name=name, counts=[0] * len(order)))
        state.counts[order[row["stage"]]] += row["n"]
        state.total += row["n"]
        state.impunity += row["impunity_n"]
    # A case whose host State is still to be determined has no name: it sorts first on a tie.
    result = sorted(by_state.values(), key=lambda s: (-s.total, s.name or ""))
    longest = max((s.total for s in result), default=0) or 1
    for state in result:
        offset = 0.0
        for stage, count in zip(CaseStage, state.counts, strict=True):
            share = 100 * count / longest
            if count:
                state.segments.append(
                    {
                        "stage": stage.value,
                        "label": stage.label,
                        "count": count,
                        "x": round(offset, 2),
                        "width": round(share, 2),
                    }
                )
            offset += share
    return result
