"""The history of an incident, and what others changed in it while a clerk edited it.

On PostgreSQL the triggers' row history (RowHistory) is read, whoever wrote the rows (a
service, an import, SQL); elsewhere the services' audit trail (AuditEntry). Both become
TimelineEntry rows, formatted with the names of the countries and armed groups they
mention (two queries in all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import DateTimeField, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import IncidentStatus
from incidents.models import ArmedGroup, Attachment, Casualty, Incident
from missions.models import Country
from peacekeeping.models import AuditEntry, RowHistory

TIMELINE_LIMIT = 200

# Columns the timeline does not show: bookkeeping, files, and who-is-who (names are
# masked by role; the history shows what changed, not about whom).
_QUIET = frozenset(
    ("id", "reference", "mission_id", "incident_id", "created_at", "updated_at", "version")
    + ("created_by_id", "submitted_by_id", "submitted_at", "verified_by_id", "verified_at")
    + ("uploaded_by_id", "uploaded_at", "perpetrator_unknown", "source", "personnel_id")
    + ("notes", "un_casualty_id", "un_personnel_type", "file", "sha256", "size", "content_type")
)
_PERPETRATORS = Incident.perpetrators.through
_TABLES = {
    Incident._meta.db_table: Incident,
    Casualty._meta.db_table: Casualty,
    Attachment._meta.db_table: Attachment,
    _PERPETRATORS._meta.db_table: _PERPETRATORS,
}
_AUDIT_WHAT = {
    "incident.record": gettext_lazy("Incident recorded"),
    "incident.update": gettext_lazy("Incident changed"),
    "incident.submit": gettext_lazy("Incident submitted"),
    "incident.verify": gettext_lazy("Incident verified"),
    "casualty.add": gettext_lazy("Casualty added"),
    "casualty.remove": gettext_lazy("Casualty removed"),
    "attachment.add": gettext_lazy("Evidence added"),
}
_ROW_WHAT = {
    (Incident, "INSERT"): gettext_lazy("Incident recorded"),
    (Incident, "UPDATE"): gettext_lazy("Incident changed"),
    (Incident, "DELETE"): gettext_lazy("Incident deleted"),
    (Casualty, "INSERT"): gettext_lazy("Casualty added"),
    (Casualty, "UPDATE"): gettext_lazy("Casualty changed"),
    (Casualty, "DELETE"): gettext_lazy("Casualty removed"),
    (Attachment, "INSERT"): gettext_lazy("Evidence added"),
    (Attachment, "UPDATE"): gettext_lazy("Evidence changed"),
    (Attachment, "DELETE"): gettext_lazy("Evidence removed"),
    (_PERPETRATORS, "INSERT"): gettext_lazy("Perpetrator added"),
    (_PERPETRATORS, "DELETE"): gettext_lazy("Perpetrator removed"),
}
_STATUS_WHAT = {
    IncidentStatus.SUBMITTED: gettext_lazy("Incident submitted"),
    IncidentStatus.VERIFIED: gettext_lazy("Incident verified"),
}


@dataclass
class TimelineEntry:
    """One line of an incident's history: when, who, what, and the columns it changed."""

    at: datetime | None
    who: str
    what: str
    # (model, column, before, after); formatted once every name is fetched.
    raw: list[tuple] = field(default_factory=list)
    details: list[tuple[str, str, str]] = field(default_factory=list)


def _model_field(model, column: str):
    name = column.removesuffix("_id") if column.endswith("_id") else column
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


# Columns whose field has no translated verbose name (Django's default is the field's
# name, in English): the history names them in the reader's language all the same.
_LABELS = {"nationality_id": gettext_lazy("nationality")}


def _label(model, column: str) -> str:
    if column in ("perpetrators", "armedgroup_id"):
        return str(Incident._meta.get_field("perpetrators").verbose_name)
    if column in _LABELS:
        return str(_LABELS[column])
    model_field = _model_field(model, column)
    return str(model_field.verbose_name) if model_field is not None else column


class _Names:
    """Country and armed-group names for the ids in a timeline: two queries in all."""

    def __init__(self, entries: list[TimelineEntry]):
        countries, groups = set(), set()
        for entry in entries:
            for _model, column, before, after in entry.raw:
                for value in (before, after):
                    if column in ("country_id", "nationality_id") and value:
                        countries.add(int(value))
                    elif column == "armedgroup_id" and value:
                        groups.add(int(value))
                    elif column == "perpetrators" and value:
                        groups.update(int(v) for v in value)
        self.countries = {c.pk: c.name for c in Country.objects.filter(pk__in=countries)}
        self.groups = dict(ArmedGroup.objects.filter(pk__in=groups).values_list("pk", "name"))

    def show(self, model, column: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if column in ("country_id", "nationality_id"):
            return self.countries.get(int(value), str(value))
        if column == "armedgroup_id":
            return self.groups.get(int(value), str(value))
        if column == "perpetrators":
            return ", ".join(self.groups.get(int(v), str(v)) for v in value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        model_field = _model_field(model, column)
        if model_field is not None and model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, DateTimeField):
            parsed = parse_datetime(str(value).replace(" ", "T", 1))
            if parsed is not None:
                return date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")
        return str(value)

    def format(self, entries: list[TimelineEntry]) -> list[TimelineEntry]:
        for entry in entries:
            entry.details = [
                (
                    _label(model, column),
                    self.show(model, column, before),
                    self.show(model, column, after),
                )
                for model, column, before, after in entry.raw
            ]
        return entries


def _row_entry(row: RowHistory) -> TimelineEntry | None:
    model = _TABLES[row.table_name]
    before, after = row.before or {}, row.after or {}
    what = _ROW_WHAT.get((model, row.operation))
    if what is None:
        return None
    if row.operation == "UPDATE":
        changed = row.changed_fields()
        if model is Incident and "status" in changed:
            what = _STATUS_WHAT.get(changed["status"][1], what)
        raw = [(model, col, old, new) for col, (old, new) in changed.items() if col not in _QUIET]
        if not raw and "status" not in changed:
            return None  # only bookkeeping columns moved
    elif model is Incident:
        raw = []
    else:
        values = after if row.operation == "INSERT" else before
        raw = [
            (model, col, None, value)
            for col, value in values.items()
            if col not in _QUIET and col != "id" and value not in (None, "")
        ]
    return TimelineEntry(at=row.occurred_at, who=row.actor_name, what=str(what), raw=raw)


def _row_history(incident: Incident) -> list[TimelineEntry]:
    """PostgreSQL: what the triggers recorded, whoever wrote (service, import, SQL)."""
    children = [Casualty, Attachment, _PERPETRATORS]
    child_tables = [model._meta.db_table for model in children]
    # Removed children are found through their last state (rare rows: deletions only).
    removed = RowHistory.objects.filter(
        table_name__in=child_tables, operation="DELETE", before__incident_id=incident.pk
    ).values_list("table_name", "object_id")
    wanted = Q(table_name=Incident._meta.db_table, object_id=str(incident.pk))
    for model in children:
        ids = model.objects.filter(incident_id=incident.pk).values_list("pk", flat=True)
        wanted |= Q(table_name=model._meta.db_table, object_id__in=[str(pk) for pk in ids])
    for table, object_id in removed:
        wanted |= Q(table_name=table, object_id=object_id)
    rows = RowHistory.objects.filter(wanted).order_by("occurred_at", "id")[:TIMELINE_LIMIT]
    return [entry for row in rows if (entry := _row_entry(row)) is not None]


def _audit_entry(entry: AuditEntry) -> TimelineEntry:
    model = {"incidents.casualty": Casualty, "incidents.attachment": Attachment}.get(
        entry.object_type, Incident
    )
    removal = entry.action.endswith(".remove")
    raw = []
    if entry.action != "incident.record":
        for column, pair in entry.changes.items():
            if column in _QUIET or column == "description" or not isinstance(pair, list):
                continue
            before, after = pair
            raw.append((model, column, None, before) if removal else (model, column, before, after))
    what = _AUDIT_WHAT.get(entry.action, entry.action)
    return TimelineEntry(at=entry.occurred_at, who=entry.actor_name, what=str(what), raw=raw)


def _audit_history(incident: Incident) -> list[TimelineEntry]:
    """Elsewhere (SQLite): the services' audit trail."""
    entries = (
        AuditEntry.objects.filter(
            Q(object_type="incidents.incident", object_id=str(incident.pk))
            | Q(
                object_type__in=["incidents.casualty", "incidents.attachment"],
                changes__incident_id__1=incident.pk,
            )
            | Q(object_type="incidents.casualty", changes__incident_id__0=incident.pk)
        )
        .filter(action__in=list(_AUDIT_WHAT))
        .order_by("id")[:TIMELINE_LIMIT]
    )
    return [_audit_entry(entry) for entry in entries]


# The two records an incident's history can be read from.
ROWS, AUDIT = "rows", "audit"


def incident_timeline(incident: Incident, *, source: str | None = None) -> list[TimelineEntry]:
    """The incident's history, oldest first.

    `source`: ROWS (the triggers' RowHistory, PostgreSQL only) or AUDIT (the services'
    AuditEntry, on every database); by default RowHistory on PostgreSQL, which also sees
    writes made outside the services, and the audit trail elsewhere. For every write a
    service makes both say the same (tests/incidents/test_history.py).
    """
    if source is None:
        source = ROWS if connection.vendor == "postgresql" else AUDIT
    entries = _row_history(incident) if source == ROWS else _audit_history(incident)
    return _Names(entries).format(entries)


def conflict_changes(incident: Incident, *, since_version: int) -> list[TimelineEntry]:
    """What others changed in the incident after the version a clerk loaded."""
    version, changed = 1, []
    entries = AuditEntry.objects.filter(
        object_type="incidents.incident", object_id=str(incident.pk)
    ).order_by("id")
    for entry in entries:
        if entry.action == "incident.update" and "version" in entry.changes:
            version = entry.changes["version"][1]
        elif entry.action in ("incident.submit", "incident.verify"):
            version += 1
        else:
            continue
        if version > since_version:
            changed.append(_audit_entry(entry))
    return _Names(changed).format(changed)
