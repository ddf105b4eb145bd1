"""Aggregates of the statistics page: one query per chart (values + annotate).

Each selector takes a queryset the caller already scoped with `visible_to(user)` and
narrowed with the filtersets (the casualties: by default those killed), and
returns plain rows the templates draw as bars. People are counted once each (one Casualty
row per `Casualty_ID` of the UN file) and dated by their incident, in UTC, as the UN's
published figures are.
"""

from dataclasses import dataclass, field
from datetime import UTC

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from accountability.choices import CaseStage
from accountability.models import Case
from incidents.choices import IncidentType
from incidents.models import Casualty


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value and its length relative to the longest bar (0-100)."""

    key: str
    label: str
    value: int
    share: float


@dataclass
class StageRow:
    """One host State's cases, counted per stage (in CaseStage order)."""

    iso3: str
    name: str
    counts: list[int]
    total: int = 0
    segments: list[dict] = field(default_factory=list)


def _bars(rows: list[tuple[str, str, int]]) -> list[Bar]:
    longest = max((value for _key, _label, value in rows), default=0) or 1
    return [Bar(key, label, value, round(100 * value / longest, 2)) for key, label, value in rows]


def by_year(casualties: QuerySet[Casualty]) -> list[Bar]:
    """People per calendar year of the incident (UTC), oldest first; one query."""
    rows = (
        casualties.order_by()
        .annotate(year=ExtractYear("incident__occurred_at", tzinfo=UTC))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return _bars([(str(row["year"]), str(row["year"]), row["n"]) for row in rows])


def by_mission(casualties: QuerySet[Casualty]) -> list[Bar]:
    """People per mission, most first; one query."""
    rows = (
        casualties.order_by()
        .values("incident__mission__acronym")
        .annotate(n=Count("pk"))
        .order_by("-n", "incident__mission__acronym")
    )
    return _bars(
        [
            (row["incident__mission__acronym"], row["incident__mission__acronym"], row["n"])
            for row in rows
        ]
    )


def by_incident_type(casualties: QuerySet[Casualty]) -> list[Bar]:
    """People per UN incident type, most first; one query."""
    rows = (
        casualties.order_by()
        .values("incident__incident_type")
        .annotate(n=Count("pk"))
        .order_by("-n", "incident__incident_type")
    )
    labels = dict(IncidentType.choices)
    return _bars(
        [
            (
                row["incident__incident_type"],
                str(labels.get(row["incident__incident_type"], row["incident__incident_type"])),
                row["n"],
            )
            for row in rows
        ]
    )


def cases_by_stage_per_host_state(cases: QuerySet[Case], *, language: str = "en") -> list[StageRow]:
    """Cases per host State and stage, the State with most cases first; one query."""
    name_field = "host_state__name_fr" if language.startswith("fr") else "host_state__name_en"
    rows = (
        cases.order_by()
        .values("host_state__iso3", name_field, "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    order = {stage: i for i, stage in enumerate(CaseStage.values)}
    by_state: dict[str, StageRow] = {}
    for row in rows:
        iso3 = row["host_state__iso3"]
        state = by_state.setdefault(
            iso3, StageRow(iso3=iso3, name=row[name_field], counts=[0] * len(order))
        )
        state.counts[order[row["stage"]]] += row["n"]
        state.total += row["n"]
    result = sorted(by_state.values(), key=lambda s: (-s.total, s.name))
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
