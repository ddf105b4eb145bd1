"""Helpers of the accountability services: checks, the case's timeline, and keeping the
case's denormalised fields in step with its rows."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accountability import impunity
from accountability.models import Case, CaseEvent, Suspect
from accountability.procedure import ProcedureState, case_stage, investigation_status_of
from accountability.selectors import suspect_states
from incidents.choices import Outcome
from incidents.models import Casualty, Incident
from incidents.services import actor_user, lock_row
from peacekeeping.audit import audit_record, model_changes
from peacekeeping.errors import DomainError

# Namespace of the PostgreSQL advisory lock that serialises case references per mission
# (incidents.services.lock_reference_sequence; the import of the UN's file takes it too).
CASE_REFERENCE_LOCK = 0x43415345  # "CASE"

# The fields the services keep in step with the rows (see `case_refresh`).
_CASE_DERIVED_FIELDS = [
    "attack_date",
    "killed",
    "injured",
    "investigation_status",
    "investigation_opened_on",
    "stage",
    "last_progress_on",
    "has_conviction",
]
# What the audit trail records of a new case (the bulk opening of an import too).
CASE_AUDIT_FIELDS = [
    "reference",
    "mission_id",
    "host_state_id",
    "focal_point_id",
    "opened_on",
    "opened_by_import",
    *_CASE_DERIVED_FIELDS,
]
_SUSPECT_DERIVED_FIELDS = ["status", "status_since", "in_custody", "custody_since"]

SOURCE_REQUIRED = gettext_noop(
    "Every step needs a source: name the document, record or report it comes from."
)


# --- checks -----------------------------------------------------------------------------


def _lock_case_then(row) -> Case:
    """Lock the row's case, then the row (the lock order of the package); the case."""
    case = lock_row(row.case)
    lock_row(row)
    return case


def _require_text(value: str, *, field: str, message: str) -> str:
    """The text stripped; refused with `message` (translated) when blank."""
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _require_source(source: str) -> str:
    return _require_text(source, field="source", message=_(SOURCE_REQUIRED))


def _check_date(
    on: date,
    *,
    case: Case,
    field: str,
    what: tuple[str, str],
    error=DomainError,
    not_before=None,
) -> None:
    """Refuse a date in the future, before the attack, or before `not_before` (date, why).

    `what` names the dated thing twice, translated: as the object of "the date of ..."
    and as the subject of a sentence ("an investigation", "An investigation"); French
    words the two differently ("d'une enquête", "La date d'une enquête").
    """
    names = {"what": what[0], "subject": what[1]}
    if on is None:
        raise error(_("Give the date of %(what)s.") % names, field=field)
    if on > timezone.localdate():
        raise error(_("%(subject)s cannot be dated in the future.") % names, field=field)
    if on < case.attack_date:
        raise error(
            _("%(subject)s cannot be dated before the attack (%(date)s).")
            % {**names, "date": case.attack_date},
            field=field,
        )
    if not_before is not None and on < not_before[0]:
        raise error(
            _("%(subject)s cannot be dated before %(when)s.") % {**names, "when": not_before[1]},
            field=field,
        )


# --- the case's timeline, audit and derived fields ---------------------------------------


def _created(**values) -> dict:
    """The audit changes of a new row: each value from nothing."""
    return {name: [None, value] for name, value in values.items()}


def _event(
    *,
    actor,
    case: Case,
    kind: str,
    on: date,
    description: str = "",
    params: dict | None = None,
    source: str = "",
    investigation=None,
    investigation_status: str = "",
) -> CaseEvent:
    """A line of the case's timeline: its kind and parameters (accountability.timeline
    writes the words when it is read) and what the person typed."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_on=on,
        params=params or {},
        description=description,
        source=source,
        investigation=investigation,
        investigation_status=investigation_status,
        recorded_by=actor_user(actor),
    )


def _recompute(case: Case) -> dict:
    """Recompute the case's denormalised fields from its rows; return what changed."""
    before = {f: getattr(case, f) for f in _CASE_DERIVED_FIELDS}
    incidents = list(Incident.objects.filter(case_link__case=case))
    if incidents:
        case.attack_date = min(incident.occurred_on for incident in incidents)
        counts = Casualty.objects.filter(incident__in=incidents).aggregate(
            killed=Count("pk", filter=Q(outcome=Outcome.KILLED)),
            injured=Count("pk", filter=Q(outcome=Outcome.INJURED)),
        )
        case.killed, case.injured = counts["killed"], counts["injured"]

    # Only the host State's own authorities open the investigation and move the case on
    # (accountability/impunity.py); the others' inquiries are recorded and shown.
    investigations = list(impunity.host_state_investigations(case.investigations.all()))
    case.investigation_status = investigation_status_of(
        (i.status for i in investigations), current=case.investigation_status
    )
    case.investigation_opened_on = impunity.investigation_opened_on(case)

    states = list(suspect_states(case).values())
    case.has_conviction = any(state.convicted for state in states)
    case.stage = case_stage(
        investigation_status=case.investigation_status,
        has_investigation=bool(investigations),
        states=states,
    )
    case.last_progress_on = impunity.last_progress_on(case)
    return model_changes(case, _CASE_DERIVED_FIELDS, before)


def _save_case(case: Case) -> None:
    case.version += 1
    case.save()


def _record_progress(
    *,
    actor,
    case: Case,
    obj,
    action: str,
    changes: dict,
    event_kind: str,
    on: date,
    description: str,
    source: str,
    investigation=None,
    investigation_status: str = "",
    params: dict | None = None,
) -> None:
    """After a step of a case's justice: write it on the case's timeline, bring the case's
    derived fields in step, and audit `obj` with what moved on the case.

    The event comes first: it may be progress, which `_recompute` reads back. An
    investigation's event names it and the status it moved to, so the case can be
    replayed as of any day (accountability/replay.py).
    """
    _event(
        actor=actor,
        case=case,
        kind=event_kind,
        on=on,
        description=description,
        params=params,
        source=source,
        investigation=investigation,
        investigation_status=investigation_status,
    )
    case_changes = _recompute(case)
    _save_case(case)
    audit_record(actor=actor, action=action, obj=obj, changes={**changes, "case": case_changes})


def _apply_state_to_suspect(suspect: Suspect, state: ProcedureState) -> dict:
    before = {f: getattr(suspect, f) for f in _SUSPECT_DERIVED_FIELDS}
    if state.last is not None:
        suspect.status = state.last.kind
        suspect.status_since = state.last.occurred_on
    suspect.in_custody = state.in_custody
    suspect.custody_since = state.custody_since
    return model_changes(suspect, _SUSPECT_DERIVED_FIELDS, before)


def _check_deployed(mission, host_state, *, field: str) -> None:
    """Refuse a host State where the mission is not deployed."""
    if not mission.host_countries.filter(pk=host_state.pk).exists():
        raise DomainError(
            _("%(mission)s is not deployed in %(state)s.")
            % {"mission": mission.acronym, "state": host_state.name},
            field=field,
        )
