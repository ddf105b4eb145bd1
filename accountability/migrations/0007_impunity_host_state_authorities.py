"""Only the host State's own authorities stop the impunity clock.

1. Link each investigation event of the timeline to its investigation (and, for a change
   of status, the status it moved to), so the rule can tell whose act it was.
2. Recompute, for every case with an inquiry of another authority (a UN board of inquiry,
   a contributing country), the fields that inquiry used to set: the investigation
   opened on, its status, the stage and the last progress.

Pure derivations (accountability.selectors) replay the case from its rows; the rule's
authorities are named here as they were when this migration was written.
"""

import contextlib

from django.db import migrations
from django.db.models import Q
from django.utils import translation

HOST_STATE = ("police", "prosecutor", "military_justice")
STATUSES = ("opened", "suspects_identified", "closed_without_charge", "referred_for_trial")


def _labels(field: str, value: str) -> set[str]:
    """The label of a choice in English and French (the description was written in the
    language active when the step was recorded)."""
    from accountability import choices

    enum = {
        "authority": choices.InvestigatingAuthority,
        "status": choices.InvestigationStatus,
    }[field]
    labels = set()
    for language in ("en", "fr"):
        with translation.override(language):
            labels.add(str(enum(value).label))
    return labels


def _match(event, investigations):
    """The investigation an event of the timeline was written for (or None)."""
    if event.kind == "investigation_opened":
        candidates = [i for i in investigations if i.opened_on == event.occurred_on]
    else:
        candidates = [
            i for i in investigations if i.opened_on is None or i.opened_on <= event.occurred_on
        ]
    candidates = candidates or list(investigations)
    if len(candidates) > 1:
        named = [
            i
            for i in candidates
            if any(label in event.description for label in _labels("authority", i.authority))
            or (i.authority_name and i.authority_name in event.description)
        ]
        candidates = named or candidates
    return candidates[0] if candidates else None


def _status_of(event, investigation) -> str:
    if event.kind == "investigation_opened":
        return "opened"
    arrow = event.description.rsplit("→", 1)[-1]
    for status in STATUSES:
        if any(label in arrow for label in _labels("status", status)):
            return status
    return investigation.status


@contextlib.contextmanager
def _events_writable(schema_editor):
    """The timeline is append-only (peacekeeping/history.py): its no-update trigger is
    lifted for this backfill only, which names each event's investigation and changes
    no fact; the row history still records every row it touches."""
    connection = schema_editor.connection if schema_editor else None
    trigger = "accountability_caseevent_no_update"
    if connection is None or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [trigger])
        present = cursor.fetchone() is not None
        if present:
            # ALTER TABLE waits for no deferred check: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE accountability_caseevent DISABLE TRIGGER "{trigger}"')
    try:
        yield
    finally:
        if present:
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER TABLE accountability_caseevent ENABLE TRIGGER "{trigger}"')


def forwards(apps, schema_editor):
    from accountability.selectors import ProcedureState, case_stage, investigation_status_of

    Case = apps.get_model("accountability", "Case")
    CaseEvent = apps.get_model("accountability", "CaseEvent")
    Investigation = apps.get_model("accountability", "Investigation")
    ProcedureStep = apps.get_model("accountability", "ProcedureStep")
    Suspect = apps.get_model("accountability", "Suspect")

    events = CaseEvent.objects.filter(
        kind__in=["investigation_opened", "investigation_status"], investigation__isnull=True
    ).order_by("case_id", "occurred_on", "id")
    by_case: dict[int, list] = {}
    for investigation in Investigation.objects.order_by("opened_on", "id"):
        by_case.setdefault(investigation.case_id, []).append(investigation)
    links = []
    for event in events:
        investigation = _match(event, by_case.get(event.case_id, []))
        if investigation is not None:
            links.append((event.pk, investigation.pk, _status_of(event, investigation)))
    with _events_writable(schema_editor):
        for pk, investigation_id, status in links:
            CaseEvent.objects.filter(pk=pk).update(
                investigation_id=investigation_id, investigation_status=status
            )

    affected = (
        Investigation.objects.exclude(authority__in=HOST_STATE)
        .values_list("case_id", flat=True)
        .distinct()
    )
    for case in Case.objects.filter(pk__in=list(affected)).iterator():
        host = [i for i in by_case.get(case.pk, []) if i.authority in HOST_STATE]
        states = []
        for suspect in Suspect.objects.filter(case=case):
            steps = ProcedureStep.objects.filter(suspect=suspect).order_by("occurred_on", "id")
            states.append(ProcedureState.from_steps(list(steps)))
        case.investigation_status = investigation_status_of(
            (i.status for i in host), current=case.investigation_status
        )
        case.investigation_opened_on = min((i.opened_on for i in host if i.opened_on), default=None)
        case.stage = case_stage(
            investigation_status=case.investigation_status,
            has_investigation=bool(host),
            states=states,
        )
        progress_events = CaseEvent.objects.filter(
            case=case,
            kind__in=["investigation_opened", "investigation_status", "procedure_step"],
        ).filter(Q(investigation__isnull=True) | Q(investigation__authority__in=HOST_STATE))
        dates = [
            *(i.opened_on for i in host),
            *(i.closed_on for i in host),
            *(s.last.occurred_on for s in states if s.last),
            *progress_events.values_list("occurred_on", flat=True),
        ]
        case.last_progress_on = max((d for d in dates if d), default=None)
        case.version += 1
        case.save(
            update_fields=[
                "investigation_status",
                "investigation_opened_on",
                "stage",
                "last_progress_on",
                "version",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("accountability", "0006_case_event_investigation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
