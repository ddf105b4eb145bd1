"""A case as it stood on a given day, replayed from its dated rows.

The stored fields of a case (stage, investigation status, suspects' status and custody)
describe today. A report or a figure as of a past day reads instead the rows dated up to
that day: the suspects' procedure steps (`ProcedureStep.occurred_on`), the investigations
of the host State's authorities (`Investigation.opened_on`) and the changes of their
status (`CaseEvent.occurred_on` of the events that name them). The derivations are the
services' own (accountability/selectors.py), so today's replay is today's stored state.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from accountability.choices import CaseStage, InvestigationStatus, ProcedureStepKind
from accountability.impunity import host_state_investigations
from accountability.selectors import ProcedureState, case_stage, investigation_status_of

K = ProcedureStepKind

# Closed without a conviction: the reason, from the stage the case reached.
CLOSED_WITHOUT_CHARGE = "closed_without_charge"
ACQUITTED = "acquitted"


@dataclass
class CaseAsOf:
    """Where a case stood at the end of a day."""

    stage: str = CaseStage.NO_INVESTIGATION
    investigation_status: str = InvestigationStatus.UNKNOWN
    investigation_opened_on: date | None = None
    closed_on: date | None = None
    suspects: dict[int, ProcedureState] = field(default_factory=dict)

    @property
    def convicted(self) -> bool:
        return any(state.convicted for state in self.suspects.values())

    @property
    def closed_reason(self) -> str | None:
        """Why the case ended without a conviction (None while open, or if convicted)."""
        if self.stage == CaseStage.CLOSED:
            return CLOSED_WITHOUT_CHARGE
        if self.stage == CaseStage.VERDICT and not self.convicted:
            return ACQUITTED
        return None

    @property
    def is_open(self) -> bool:
        return self.stage not in (CaseStage.VERDICT, CaseStage.CLOSED)


def cases_as_of(cases, *, day: date) -> dict[int, CaseAsOf]:
    """Each case of the queryset as it stood at the end of `day` (three queries)."""
    from accountability.models import CaseEvent, Investigation, ProcedureStep

    case_rows = {
        pk: current for pk, current in cases.order_by().values_list("pk", "investigation_status")
    }
    ids = list(case_rows)
    result = {pk: CaseAsOf() for pk in ids}

    investigations = host_state_investigations(
        Investigation.objects.filter(case_id__in=ids, opened_on__lte=day)
    ).values_list("pk", "case_id", "opened_on", "closed_on")
    status_of: dict[int, str] = {}
    case_of: dict[int, int] = {}
    for pk, case_id, opened_on, _closed_on in investigations:
        status_of[pk] = InvestigationStatus.OPENED
        case_of[pk] = case_id
        current = result[case_id]
        if current.investigation_opened_on is None or opened_on < current.investigation_opened_on:
            current.investigation_opened_on = opened_on
    closed_on: dict[int, date] = {}
    changes = (
        CaseEvent.objects.filter(investigation_id__in=list(status_of), occurred_on__lte=day)
        .exclude(investigation_status="")
        .order_by("occurred_on", "id")
        .values_list("investigation_id", "investigation_status", "occurred_on")
    )
    for investigation_id, status, on in changes:
        status_of[investigation_id] = status
        if status == InvestigationStatus.CLOSED_WITHOUT_CHARGE:
            closed_on[investigation_id] = on

    steps = (
        ProcedureStep.objects.filter(suspect__case_id__in=ids, occurred_on__lte=day)
        .select_related("suspect")
        .only("pk", "kind", "occurred_on", "legal_term", "sentence", "suspect__case_id")
        .order_by("occurred_on", "id")
    )
    for step in steps:
        states = result[step.suspect.case_id].suspects
        states.setdefault(step.suspect_id, ProcedureState()).apply(step)

    statuses: dict[int, list[str]] = defaultdict(list)
    for investigation_id, status in status_of.items():
        statuses[case_of[investigation_id]].append(status)
    for pk, current in result.items():
        current.investigation_status = investigation_status_of(
            statuses.get(pk, []), current=case_rows[pk]
        )
        states = list(current.suspects.values())
        current.stage = case_stage(
            investigation_status=current.investigation_status,
            has_investigation=bool(statuses.get(pk)),
            states=states,
        )
        if current.stage == CaseStage.CLOSED:
            current.closed_on = max(
                (on for inv, on in closed_on.items() if case_of[inv] == pk), default=None
            )
        elif current.stage == CaseStage.VERDICT:
            current.closed_on = max(
                (s.last_verdict.occurred_on for s in states if s.last_verdict), default=None
            )
    return result
