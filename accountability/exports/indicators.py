"""The figures the Secretary-General reports under resolution 2589, per mission and per
host State, as of any date.

Only what is dated on or before `as_of` counts, so the same date always gives the same
table, whatever is recorded later:

- **fatalities**: peacekeepers killed in malicious acts, by the incident's date (UTC);
  the host State is the country where the attack took place;
- **investigations_opened**: investigations with `opened_on` ≤ as_of;
- **suspects_detained**: suspects with an arrest or detention step dated ≤ as_of (each
  once);
- **trials**: cases in which a trial opened ≤ as_of (each case once);
- **convictions**: suspects convicted ≤ as_of (each once);
- **impunity_cases**: the impunity rule of `CaseQuerySet.impunity`, with the case's
  conviction and last progress rebuilt from the steps, investigations and events dated
  ≤ as_of (the case's stored `has_conviction` and `last_progress_on` describe today:
  a conviction recorded next year must not take a case out of this year's table).

The case-based figures use the case's host State with jurisdiction ("to be
determined" while none is named). The figures are the same five as the follow-up
reports' summary (accountability/reports/content.py), counted the same way.
Everything is read in the user's scope: cases and incidents by `visible_to`, procedure
steps only of cases whose suspects the user may see.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from accountability.choices import ProcedureStepKind
from accountability.exports.writers import DATE, INT, TEXT, Column
from accountability.models import Case, CaseEvent, Investigation, ProcedureStep, Suspect
from accountability.procedure import VERDICTS
from accountability.selectors import PROGRESS_EVENT_KINDS
from incidents.choices import IncidentType, Outcome
from incidents.models import Casualty, Incident
from missions.models import Country, Mission

K = ProcedureStepKind
INDICATORS = (
    "fatalities",
    "investigations_opened",
    "suspects_detained",
    "trials",
    "convictions",
    "impunity_cases",
)
GROUPINGS = ("mission", "host_state")
UNDETERMINED = ("", "To be determined")

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
    name: str
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(INDICATORS, 0))

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
    """`CaseQuerySet.impunity(as_of=...)` with the conviction and the last progress read
    from the rows dated ≤ as_of (for as_of today they are the stored fields)."""
    no_investigation = settings.IMPUNITY_NO_INVESTIGATION_DAYS
    no_progress = settings.IMPUNITY_NO_PROGRESS_DAYS

    def latest(rows: QuerySet, group: str, column: str):
        per_case = rows.order_by().values(group).annotate(d=Max(column)).values("d")[:1]
        return Coalesce(Subquery(per_case), F("attack_date"))

    case = OuterRef("pk")
    progress = Greatest(
        F("attack_date"),
        latest(
            ProcedureStep.objects.filter(suspect__case=case, occurred_on__lte=as_of),
            "suspect__case",
            "occurred_on",
        ),
        latest(Investigation.objects.filter(case=case, opened_on__lte=as_of), "case", "opened_on"),
        latest(Investigation.objects.filter(case=case, closed_on__lte=as_of), "case", "closed_on"),
        latest(
            CaseEvent.objects.filter(
                case=case, kind__in=PROGRESS_EVENT_KINDS, occurred_on__lte=as_of
            ),
            "case",
            "occurred_on",
        ),
    )
    # A suspect stands convicted when their latest verdict so far is a conviction.
    last_verdict = Subquery(
        ProcedureStep.objects.filter(
            suspect=OuterRef("pk"), kind__in=VERDICTS, occurred_on__lte=as_of
        )
        .order_by("-occurred_on", "-id")
        .values("kind")[:1]
    )
    convicted = Exists(
        Suspect.objects.filter(case=case).annotate(verdict=last_verdict).filter(verdict=K.CONVICTED)
    )
    # The first investigation is on time only if opened within the delay, itself ≤ as_of
    # whenever the rule applies: the stored `investigation_opened_on` is safe to use.
    no_timely_investigation = Q(attack_date__lte=as_of - timedelta(days=no_investigation)) & (
        Q(investigation_opened_on__isnull=True)
        | Q(investigation_opened_on__gt=F("attack_date") + timedelta(days=no_investigation))
    )
    return (
        cases.filter(Q(killed__gt=0) | Q(injured__gt=0), attack_date__lte=as_of)
        .alias(progress_as_of=progress)
        .filter(~convicted)
        .filter(
            no_timely_investigation | Q(progress_as_of__lte=as_of - timedelta(days=no_progress))
        )
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


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
        incidents = Incident.objects.visible_to(user).order_by().values("pk")
        cases = Case.objects.visible_to(user)
        case_ids = cases.order_by().values("pk")
        suspect_case_ids = Case.objects.with_visible_suspects(user).order_by().values("pk")
        steps = ProcedureStep.objects.filter(
            suspect__case__in=suspect_case_ids, occurred_on__lte=as_of
        )
        counted = {
            "fatalities": _grouped(
                Casualty.objects.filter(
                    outcome=Outcome.KILLED,
                    incident__incident_type=IncidentType.MALICIOUS_ACT,
                    incident__occurred_at__lt=_end_of(as_of),
                    incident__in=incidents,
                ),
                "incident__mission_id",
                "incident__country_id",
                Count("pk"),
            ),
            "investigations_opened": _grouped(
                Investigation.objects.filter(case__in=case_ids, opened_on__lte=as_of),
                "case__mission_id",
                "case__host_state_id",
                Count("pk"),
            ),
            "suspects_detained": _grouped(
                steps.filter(kind__in=[K.ARRESTED, K.DETAINED]),
                "suspect__case__mission_id",
                "suspect__case__host_state_id",
                Count("suspect_id", distinct=True),
            ),
            "trials": _grouped(
                steps.filter(kind=K.TRIAL_OPENED),
                "suspect__case__mission_id",
                "suspect__case__host_state_id",
                Count("suspect__case_id", distinct=True),
            ),
            "convictions": _grouped(
                steps.filter(kind=K.CONVICTED),
                "suspect__case__mission_id",
                "suspect__case__host_state_id",
                Count("suspect_id", distinct=True),
            ),
            "impunity_cases": _grouped(
                impunity_as_of(cases, as_of=as_of), "mission_id", "host_state_id", Count("pk")
            ),
        }
        mission_ids = {m for rows in counted.values() for m, _s, _n in rows}
        state_ids = {s for rows in counted.values() for _m, s, _n in rows if s is not None}
        missions = {
            m["pk"]: (m["acronym"], m["name_en"])
            for m in Mission.objects.filter(pk__in=mission_ids).values("pk", "acronym", "name_en")
        }
        states = {
            c["pk"]: (c["iso3"], c["name_en"])
            for c in Country.objects.filter(pk__in=state_ids).values("pk", "iso3", "name_en")
        }

    by_mission: dict[int, IndicatorRow] = {}
    by_state: dict[int | None, IndicatorRow] = {}
    total = IndicatorRow("total", "", "All missions and States in scope")
    for indicator, rows in counted.items():
        for mission_id, state_id, n in rows:
            code, name = missions[mission_id]
            by_mission.setdefault(mission_id, IndicatorRow("mission", code, name))
            by_mission[mission_id].values[indicator] += n
            code, name = states.get(state_id, UNDETERMINED)
            by_state.setdefault(state_id, IndicatorRow("host_state", code, name))
            by_state[state_id].values[indicator] += n
            total.values[indicator] += n
    return IndicatorTable(
        as_of=as_of,
        by_mission=sorted(by_mission.values(), key=lambda r: r.code),
        by_host_state=sorted(by_state.values(), key=lambda r: (r.code == "", r.code)),
        total=total,
    )
