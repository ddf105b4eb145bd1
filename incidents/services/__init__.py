"""Writes of the incidents app. Every change goes through one of these functions.

Each service checks the current state, refuses an illegal change with a DomainError whose
message says what is wrong, and appends an entry to the audit trail in the same
transaction.

Cases: when an incident comes to call for a justice case (a malicious act that killed or
injured a peacekeeper, once submitted or when recorded by an import), the services below
call the accountability app's `case_sync_for_incident` through incidents/case_link.py,
where that app registers it. The accountability app depends on this one (its models
point at Incident), so the rule of when a case opens and what it counts lives there; this
package imports nothing of it, which keeps the app graph one way (accountability →
incidents) and lets accountability import incidents freely (it reuses the helpers of
`incidents.services.common`).

The package: `recording` (incidents and their workflow), `casualties`, `evidence`
(attachments), `armed_groups`, `idempotency` (one submission, one incident), `composite`
(an incident written whole, as from the guided form) and `common` (helpers). Import
from `incidents.services`.
"""

from incidents.services.armed_groups import armed_group_add_alias, armed_group_create
from incidents.services.casualties import casualty_add, casualty_remove
from incidents.services.common import (
    INCIDENT_REFERENCE_LOCK,
    actor_user,
    check_choice,
    lock_reference_sequence,
    lock_row,
    next_reference,
    refuse_unknown_fields,
)
from incidents.services.composite import (
    PartRefused,
    incident_record_whole,
    incident_update_whole,
)
from incidents.services.evidence import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    DOCX_CONTENT_TYPE,
    attachment_add,
    clean_file_name,
    file_too_large_message,
    pdf_active_content,
)
from incidents.services.idempotency import (
    IDEMPOTENCY_HEADER,
    incident_by_idempotency_key,
    incident_record_once,
    parse_idempotency_key,
    record_once,
)
from incidents.services.recording import (
    INCIDENT_EDITABLE_FIELDS,
    incident_country_check,
    incident_record,
    incident_submit,
    incident_update,
    incident_verify,
)

__all__ = [
    "PartRefused",
    "incident_record_whole",
    "incident_update_whole",
    "IDEMPOTENCY_HEADER",
    "incident_by_idempotency_key",
    "incident_record_once",
    "parse_idempotency_key",
    "record_once",
    "DEFAULT_ATTACHMENT_MAX_BYTES",
    "DOCX_CONTENT_TYPE",
    "INCIDENT_EDITABLE_FIELDS",
    "INCIDENT_REFERENCE_LOCK",
    "actor_user",
    "armed_group_add_alias",
    "armed_group_create",
    "attachment_add",
    "clean_file_name",
    "file_too_large_message",
    "pdf_active_content",
    "casualty_add",
    "casualty_remove",
    "check_choice",
    "incident_country_check",
    "incident_record",
    "incident_submit",
    "incident_update",
    "incident_verify",
    "lock_reference_sequence",
    "lock_row",
    "next_reference",
    "refuse_unknown_fields",
]
