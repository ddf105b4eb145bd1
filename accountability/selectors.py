"""Reads of the accountability app: a suspect's procedural state, a case's stage, its
timeline. Pure derivations from the rows, shared by the services and the pages."""

from dataclasses import dataclass, field
from datetime import date, datetime

from accountability.models import Case, CaseEvent, ProcedureStep, Suspect

# The procedure's rules live in accountability/procedure.py; these names stay importable
# from here for the readers that still take them from the selectors.
from accountability.procedure import (  # noqa: F401
    VERDICTS,
    ProcedureState,
    case_stage,
    investigation_status_of,
)
from accountability.timeline import event_label, event_text

# Case events that mirror a procedure step: the timeline shows the step itself instead.
STEP_EVENT_KIND = "procedure_step"


def suspect_states(case: Case) -> dict[int, ProcedureState]:
    """Each suspect's procedural state, from one query over the case's steps."""
    states: dict[int, ProcedureState] = {
        pk: ProcedureState() for pk in case.suspects.values_list("pk", flat=True)
    }
    steps = ProcedureStep.objects.filter(suspect__case=case).order_by("occurred_on", "id")
    for step in steps:
        states[step.suspect_id].apply(step)
    return states


@dataclass
class TimelineEntry:
    """One dated line of a case's history: a case event or a suspect's procedure step."""

    on: date
    kind: str
    label: str
    description: str
    source: str
    recorded_at: datetime
    suspect: Suspect | None = None
    legal_term: str = ""
    sentence: str = ""
    item: CaseEvent | ProcedureStep | None = field(default=None, repr=False)


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's events and its suspects' steps, oldest first (two queries).

    Every procedure step is also written as a case event; the timeline shows the step
    itself (with the suspect, the local legal term and the sentence) instead of its event.
    """
    events = case.events.exclude(kind=STEP_EVENT_KIND).order_by("occurred_on", "id")
    # select_related: each step shows its suspect's name.
    steps = (
        ProcedureStep.objects.filter(suspect__case=case)
        .select_related("suspect")
        .order_by("occurred_on", "id")
    )
    entries = [
        TimelineEntry(
            on=event.occurred_on,
            kind=event.kind,
            label=event_label(event.kind),
            description=event_text(event.kind, event.params, event.description),
            source=event.source,
            recorded_at=event.recorded_at,
            item=event,
        )
        for event in events
    ]
    entries += [
        TimelineEntry(
            on=step.occurred_on,
            kind=step.kind,
            label=str(step.get_kind_display()),
            description=f"{step.suspect.name}: {step.get_kind_display()}"
            + (f" ({step.legal_term})" if step.legal_term else "")
            + (f". {step.note}" if step.note else ""),
            source=step.source,
            recorded_at=step.recorded_at,
            suspect=step.suspect,
            legal_term=step.legal_term,
            sentence=step.sentence,
            item=step,
        )
        for step in steps
    ]
    return sorted(entries, key=lambda entry: (entry.on, entry.recorded_at))


# --- what changed in a case since a version ------------------------------------------------

_QUIET_CASE_COLUMNS = {"updated_at", "version", "created_at"}


def _case_value(model_field, value, names: dict) -> str:
    """A stored column value as a person reads it (choices by label, users by name).

    `names` caches the rows a foreign key names, so a focal point or host State that
    appears in many changes is read once.
    """
    if value in (None, ""):
        return "—"
    if model_field is None:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        key = (model_field.related_model, value)
        if key not in names:
            names[key] = _related_name(model_field.related_model, value)
        return names[key]
    return str(value)


def _related_name(model, pk) -> str:
    from django.contrib.auth import get_user_model

    if model is get_user_model():
        user = model.objects.filter(pk=pk).only("username").first()
        return user.get_username() if user else str(pk)
    return str(model.objects.filter(pk=pk).first() or pk)


def _case_field(column: str):
    for model_field in Case._meta.concrete_fields:
        if model_field.column == column:
            return model_field
    return None


def case_changes_since(case: Case, *, since_version: int) -> list[dict]:
    """What changed in the case after the version a legal officer loaded, oldest first:
    [{"when", "who", "changes": [{"field", "label", "before", "after"}]}].

    On PostgreSQL from the row history (every change of the case row, whoever made it:
    an edit, a step recorded that moved the stage); elsewhere from the audit trail of
    edits (`case.update`).
    """
    from django.db import connection

    from peacekeeping.models import AuditEntry, RowHistory

    raw: list[tuple] = []
    if connection.vendor == "postgresql":
        rows = RowHistory.objects.filter(
            table_name=Case._meta.db_table,
            object_id=str(case.pk),
            operation="UPDATE",
            after__version__gt=since_version,
        ).order_by("id")
        for row in rows:
            changed = {
                column: values
                for column, values in row.changed_fields().items()
                if column not in _QUIET_CASE_COLUMNS
            }
            raw.append((row.occurred_at, row.actor_name, changed))
    else:
        entries = AuditEntry.objects.filter(
            object_type="accountability.case", object_id=str(case.pk), action="case.update"
        ).order_by("id")
        for entry in entries:
            version = (entry.changes.get("version") or [None, 0])[1]
            if version and version > since_version:
                changed = {k: v for k, v in entry.changes.items() if k != "version"}
                raw.append((entry.occurred_at, entry.actor_name, changed))
    result = []
    names: dict = {}
    for when, who, changed in raw:
        changes = []
        for column, (before, after) in changed.items():
            model_field = _case_field(column)
            changes.append(
                {
                    "field": model_field.name if model_field else column,
                    "label": str(model_field.verbose_name) if model_field else column,
                    "before": _case_value(model_field, before, names),
                    "after": _case_value(model_field, after, names),
                }
            )
        if changes:
            result.append({"when": when, "who": who, "changes": changes})
    return result
