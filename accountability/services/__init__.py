"""Writes of the accountability app: cases, investigations, suspects' procedures, the
UN's follow-up with the host State and its capacity support.

Every service checks the current state, refuses an illegal change with a DomainError (an
IllegalTransition for a step out of order) whose message says what is missing, writes the
case's timeline (CaseEvent) and the audit trail, and keeps the case's denormalised fields
(attack date, counts, investigation status, stage, last progress, conviction) in step, so
that the impunity rule stays one indexed query.

Lock order, to avoid deadlocks: the case row first, then the investigation, suspect or
follow-up row.

The package: `cases`, `investigations`, `procedure` (suspects and their steps),
`followups`, `capacity`, and `common` (checks, timeline, derived fields). Import from
`accountability.services`.
"""

from accountability.services.capacity import capacity_support_record
from accountability.services.cases import (
    CASE_EDITABLE_FIELDS,
    case_assign_host_state,
    case_focal_point_candidates,
    case_join_incident,
    case_open,
    case_open_for_incident,
    case_refresh,
    case_sync_for_incident,
    case_update,
)
from accountability.services.common import CASE_AUDIT_FIELDS, CASE_REFERENCE_LOCK, SOURCE_REQUIRED
from accountability.services.followups import (
    followup_answer,
    followup_record,
    followup_record_response,
)
from accountability.services.investigations import (
    INVESTIGATION_TRANSITIONS,
    investigation_open,
    investigation_update_status,
)
from accountability.services.procedure import (
    procedure_record_step,
    procedure_step_refusal,
    suspect_identify,
)

__all__ = [
    "CASE_AUDIT_FIELDS",
    "CASE_EDITABLE_FIELDS",
    "CASE_REFERENCE_LOCK",
    "INVESTIGATION_TRANSITIONS",
    "SOURCE_REQUIRED",
    "capacity_support_record",
    "case_assign_host_state",
    "case_focal_point_candidates",
    "case_join_incident",
    "case_open",
    "case_open_for_incident",
    "case_refresh",
    "case_sync_for_incident",
    "case_update",
    "followup_answer",
    "followup_record",
    "followup_record_response",
    "investigation_open",
    "investigation_update_status",
    "procedure_record_step",
    "procedure_step_refusal",
    "suspect_identify",
]
