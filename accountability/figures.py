"""The Security Council's five figures (resolution 2589) and "overdue": one definition each.

The indicators (accountability/exports/indicators.py), the follow-up reports
(accountability/reports/content.py) and the pages read them from here, so two outputs
of the application never count differently.

The five figures, each over the days [first, last]:

- **fatalities**: peacekeepers killed in malicious acts (one casualty row each), dated by
  their incident (UTC), placed in the country where the attack took place;
- **investigations_opened**: investigations opened by the host State's own authorities
  (a UN board of inquiry or a contributing country's inquiry is not the host State's:
  accountability/impunity.py);
- **suspects_detained**: suspects with an arrest or detention step (each once);
- **trials**: cases in which a trial opened (each once);
- **convictions**: suspects convicted (each once).

The case-based figures are placed in the case's host State with jurisdiction (none while
it is to be determined).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet

from accountability.choices import ProcedureStepKind
from accountability.impunity import host_state_investigations

K = ProcedureStepKind

FIGURES = ("fatalities", "investigations_opened", "suspects_detained", "trials", "convictions")


@dataclass(frozen=True)
class Figure:
    """Where a figure's rows come from, how they are placed, and how they are counted."""

    key: str
    mission: str  # the path from a row to its mission's id
    host_state: str  # the path from a row to its host State's id
    count: Count


_STEP_FIGURES = {
    "suspects_detained": ((K.ARRESTED, K.DETAINED), "suspect_id"),
    "trials": ((K.TRIAL_OPENED,), "suspect__case_id"),
    "convictions": ((K.CONVICTED,), "suspect_id"),
}
FIGURE_PLACES = {
    "fatalities": Figure("fatalities", "incident__mission_id", "incident__country_id", Count("pk")),
    "investigations_opened": Figure(
        "investigations_opened", "case__mission_id", "case__host_state_id", Count("pk")
    ),
    **{
        key: Figure(
            key,
            "suspect__case__mission_id",
            "suspect__case__host_state_id",
            Count(distinct, distinct=True),
        )
        for key, (_kinds, distinct) in _STEP_FIGURES.items()
    },
}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def figure_rows(
    key: str,
    *,
    incidents: QuerySet,
    cases: QuerySet,
    suspect_cases: QuerySet | None = None,
    first: date | None,
    last: date,
) -> QuerySet:
    """The rows counted by figure `key` over [first, last] (first None: since ever).

    `incidents` and `cases` bound what is read (a user's scope, a report's cases);
    `suspect_cases` the cases whose procedure steps may be read (default: `cases`).
    """
    from accountability.models import Investigation, ProcedureStep
    from incidents.choices import IncidentType, Outcome
    from incidents.models import Casualty

    if key == "fatalities":
        rows = Casualty.objects.filter(
            outcome=Outcome.KILLED,
            incident__incident_type=IncidentType.MALICIOUS_ACT,
            incident__occurred_at__lt=_start_of(last + timedelta(days=1)),
            incident__in=incidents.order_by().values("pk"),
        )
        return rows.filter(incident__occurred_at__gte=_start_of(first)) if first else rows
    if key == "investigations_opened":
        rows = host_state_investigations(
            Investigation.objects.filter(
                case__in=cases.order_by().values("pk"), opened_on__lte=last
            )
        )
        return rows.filter(opened_on__gte=first) if first else rows
    kinds, _distinct = _STEP_FIGURES[key]
    readable = cases if suspect_cases is None else suspect_cases
    rows = ProcedureStep.objects.filter(
        suspect__case__in=readable.order_by().values("pk"), kind__in=kinds, occurred_on__lte=last
    )
    return rows.filter(occurred_on__gte=first) if first else rows


def figure_count(rows: QuerySet, key: str) -> int:
    """The figure over its rows (one aggregate query)."""
    return int(rows.order_by().aggregate(n=FIGURE_PLACES[key].count)["n"] or 0)


# --- communications: outstanding and overdue -------------------------------------------


def outstanding_q(as_of: date, prefix: str = "") -> Q:
    """A communication sent on or before `as_of` and not answered by that day."""
    return Q(**{f"{prefix}sent_on__lte": as_of}) & (
        Q(**{f"{prefix}response_received_on__isnull": True})
        | Q(**{f"{prefix}response_received_on__gt": as_of})
    )


def overdue_q(as_of: date, prefix: str = "") -> Q:
    """Outstanding on `as_of` and its response due before that day."""
    return outstanding_q(as_of, prefix) & Q(**{f"{prefix}response_due__lt": as_of})


def due_soon_q(as_of: date, days: int, prefix: str = "") -> Q:
    """Outstanding on `as_of`, its response due on that day or within `days` after it."""
    return outstanding_q(as_of, prefix) & Q(
        **{
            f"{prefix}response_due__gte": as_of,
            f"{prefix}response_due__lte": as_of + timedelta(days=days),
        }
    )


def is_overdue(follow_up, as_of: date) -> bool:
    """`overdue_q` for one communication already read (the same three tests)."""
    received = follow_up.response_received_on
    return (
        follow_up.sent_on <= as_of
        and (received is None or received > as_of)
        and follow_up.response_due is not None
        and follow_up.response_due < as_of
    )
