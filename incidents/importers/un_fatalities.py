"""Import of the UN's own peacekeeper fatalities file (DPO, `odp_noticas.csv`).

The file has one row per person who died. Import runs in two phases:

1. `read_fatalities` (in `un_fatalities_reader`) streams the file once and checks every
   row without touching the database. If any row is bad, the whole file is rejected with
   every bad row listed (`UnFatalitiesFileRejected`) and nothing is written.
2. `un_fatalities_import` writes in one transaction, resolving missions and countries
   from in-memory look-ups and writing rows with `bulk_create` / `bulk_update` in
   batches, so the number of queries grows with batches, not rows. Cases are opened
   through `accountability.services`, one per malicious act. One audit entry per run.

Decisions, written down once:

- Row N is line N of the file; the header is row 1.
- `Casualty_ID` is the key (`Casualty.un_casualty_id`) and is opaque: its embedded
  year-month is never read. When an ID appears twice in one file the last row wins and
  the earlier one is reported as superseded, with a warning.
- Rows are grouped into incidents by (mission, date, UN incident type). An imported
  incident happened at midnight UTC of the file's date, with date precision "day": the
  file gives no time, and midnight UTC is how `incident_record` stores a bare date too.
  As there, the country is the mission's host country when it has exactly one.
- References are `<MISSION>-<YEAR>-<NNNN>`, numbered on from the highest in use under the
  same per-mission lock as `incident_record`, so imported and entered incidents share one
  sequence.
- `Casualty.un_personnel_type` keeps the UN's label with surrounding spaces removed
  (`Local ` is stored as `Local`).
- A casualty that someone has attached to an incident entered in the app keeps that
  incident; its own fields still follow the file.
- An imported incident that a new edition leaves without casualties is deleted, unless
  a case is attached to it: then it is kept and reported.
- Casualties that a new edition no longer lists are left alone.
"""

import gc
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from incidents.case_link import case_link
from incidents.choices import (
    DatePrecision,
    IncidentSource,
    IncidentStatus,
    LocationPrecision,
)
from incidents.importers.batching import BATCH_SIZE, BatchReferences, batches
from incidents.importers.pgcopy import analyze, copy_rows, next_ids
from incidents.importers.un_fatalities_lookups import Countries, missions_of
from incidents.importers.un_fatalities_reader import (
    ParsedFile,
    RowError,
    UnFatalitiesFileRejected,
    parse_date,
    read_fatalities,
)
from incidents.importers.un_fatalities_state import state_digest
from incidents.models import Casualty, Incident
from incidents.services import actor_user, lock_reference_sequence
from missions.models import Mission
from peacekeeping.audit import audit_record
from peacekeeping.models import AuditEntry

__all__ = [
    "ImportSummary",
    "RowError",
    "UnFatalitiesFileRejected",
    "parse_date",
    "read_fatalities",
    "un_fatalities_import",
]

AUDIT_ACTION = "import_un_fatalities"
SOURCE_NOTE = "UN Department of Peace Operations, Peacekeeper fatalities (odp_noticas.csv)"
# After loading this many casualties, the planner's statistics are refreshed (PostgreSQL).
ANALYZE_AFTER_ROWS = 10_000

# Serialises imports of this file on PostgreSQL: two runs at once would both create
# the incidents of the same new rows.
_IMPORT_LOCK_KEY = 0x55_4E_46_41  # "UNFA"

CASUALTY_FIELDS = ("category", "nationality_id", "un_personnel_type", "outcome")
# What the import writes of a new incident and casualty (the rest are the defaults).
INCIDENT_COLUMNS = ("id", "reference", "mission_id", "country_id", "occurred_at", "incident_type")
# Set per run: now, and the user running the import.
RUN_COLUMNS = ("created_at", "updated_at", "verified_at", "created_by_id", "verified_by_id")
INCIDENT_DEFAULTS = {
    "date_precision": DatePrecision.DAY,
    "place": "",
    "admin_area": "",
    "latitude": None,
    "longitude": None,
    "location_precision": LocationPrecision.COUNTRY,
    "attack_type": "",
    "perpetrator_unknown": True,
    "narrative": "",
    "sources": SOURCE_NOTE,
    "status": IncidentStatus.VERIFIED,
    "source": IncidentSource.UN_FATALITIES_FILE,
    "submitted_by_id": None,
    "submitted_at": None,
    "version": 1,
}
CASUALTY_COLUMNS = (
    "incident_id",
    "category",
    "nationality_id",
    "outcome",
    "un_casualty_id",
    "un_personnel_type",
)


@dataclass
class ImportSummary:
    """What one run did, row by row and in totals."""

    file: str
    sha256: str
    dry_run: bool = False
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    warned: int = 0
    incidents_created: int = 0
    incidents_deleted: int = 0
    missions_created: int = 0
    cases_opened: int = 0
    cases_refreshed: int = 0
    cases_pending: int = 0
    warnings: list[str] = field(default_factory=list)
    # Set when the same file was imported before and nothing it reads has changed since
    # (un_fatalities_state): the date of that run; nothing was read or written.
    unchanged_since: str = ""

    def counts(self) -> dict:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "superseded": self.superseded,
            "warned": self.warned,
            "incidents_created": self.incidents_created,
            "incidents_deleted": self.incidents_deleted,
            "missions_created": self.missions_created,
            "cases_opened": self.cases_opened,
            "cases_refreshed": self.cases_refreshed,
            "cases_pending": self.cases_pending,
        }

    def as_text(self) -> str:
        if self.unchanged_since:
            return (
                f"Unchanged: {self.file} (sha256 {self.sha256}) was imported on "
                f"{self.unchanged_since} and nothing it reads has changed since; "
                f"its {self.rows_read} rows were not read again. Nothing to do."
            )
        verb = "Checked (dry run, nothing written)" if self.dry_run else "Imported"
        return "\n".join(
            [
                f"{verb} {self.file} (sha256 {self.sha256}): {self.rows_read} rows read.",
                f"  created:    {self.created}",
                f"  updated:    {self.updated}",
                f"  unchanged:  {self.unchanged}",
                f"  superseded: {self.superseded} (a later row has the same Casualty_ID)",
                f"  warned:     {self.warned} rows ({len(self.warnings)} warnings)",
                f"Incidents created: {self.incidents_created}, deleted (left empty): "
                f"{self.incidents_deleted}. Missions created: {self.missions_created}. "
                f"Cases opened: {self.cases_opened}, refreshed: {self.cases_refreshed}; "
                f"of which with the host State to be determined: {self.cases_pending}.",
            ]
        )


def _copy_update(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """UPDATE `table` from `rows` (id first, then `columns`) through one COPY into a
    temporary table (PostgreSQL): one statement however many rows change."""
    quote = connection.ops.quote_name
    staging = f"_import_{table}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(staging)} ON COMMIT DROP AS SELECT id, "
            + ", ".join(quote(c) for c in columns)
            + f" FROM {quote(table)} WITH NO DATA"
        )
        copy_rows(staging, ("id", *columns), rows)
        cursor.execute(
            f"UPDATE {quote(table)} AS t SET "
            + ", ".join(f"{quote(c)} = u.{quote(c)}" for c in columns)
            + f" FROM {quote(staging)} AS u WHERE t.id = u.id"
        )
        cursor.execute(f"DROP TABLE {quote(staging)}")


def _incident_of(mission: Mission, day, incident_type: str, created: set[int]) -> tuple:
    """(incident key, the mission's acronym, the warnings of every row of that mission and
    day): a mission created by this run, a death dated outside its mandate."""
    messages = []
    if mission.pk in created:
        messages.append(
            f"Mission {mission.acronym!r} is not in the reference list: "
            "created as a mission of kind 'other'"
        )
    if (mission.mandate_start and day < mission.mandate_start) or (
        mission.mandate_end and day > mission.mandate_end
    ):
        messages.append(
            f"{mission.acronym}: death dated outside the mandate "
            f"({mission.mandate_start or '?'} to {mission.mandate_end or 'ongoing'}), "
            "imported as dated"
        )
    return (mission.pk, day, incident_type), mission.acronym, tuple(messages)


class _ImportRun:
    """One run's state: what exists, what the file says, and what changed."""

    def __init__(self, parsed: ParsedFile, *, actor) -> None:
        self.parsed = parsed
        self.actor = actor
        self.user = actor_user(actor)
        self.warnings = parsed.warnings
        self.summary = ImportSummary(
            file=parsed.name,
            sha256=parsed.sha256,
            rows_read=parsed.rows_read,
            superseded=parsed.superseded,
        )
        # Imported incidents by the key rows are grouped on: (mission, date, type).
        self.incident_of_key: dict[tuple, int] = {}
        self.key_of_incident: dict[int, tuple] = {}
        self.new_keys: dict[tuple, str] = {}  # incident key -> mission acronym
        self.to_create: list[tuple] = []  # (Casualty_ID, incident key, values)
        self.to_update: list[tuple] = []  # (pk, incident, new incident key or None, values)
        self.touched: set[int] = set()  # existing incidents that gained or lost a casualty
        self.left: set[int] = set()  # imported incidents that lost a casualty

    def run(self) -> ImportSummary:
        _lock_imports()
        self._plan()
        self._create_incidents()
        self._create_casualties()
        self._update_casualties()
        self._delete_emptied_incidents()
        if connection.vendor == "postgresql" and len(self.to_create) >= ANALYZE_AFTER_ROWS:
            analyze(Incident._meta.db_table, Casualty._meta.db_table)
        # The attacks' cases: the accountability app's (incidents/case_link.py).
        case_link().open_imported(
            actor=self.actor, touched=self.touched, summary=self.summary, warnings=self.warnings
        )
        self.summary.warnings = self.warnings.messages()
        self.summary.warned = len(self.warnings.rows)
        return self.summary

    def _load_imported_incidents(self) -> None:
        imported = Incident.objects.filter(source=IncidentSource.UN_FATALITIES_FILE)
        for pk, mission_id, occurred_at, incident_type in (
            imported.order_by("pk")
            .values_list("pk", "mission_id", "occurred_at", "incident_type")
            .iterator(chunk_size=BATCH_SIZE)
        ):
            key = (mission_id, occurred_at.astimezone(UTC).date(), incident_type)
            self.incident_of_key.setdefault(key, pk)
            self.key_of_incident[pk] = key

    def _existing_casualties(self) -> dict[str, tuple]:
        """Casualty_ID -> (pk, incident, *CASUALTY_FIELDS), for the IDs in the file."""
        existing = {}
        for un_id, *current in (
            Casualty.objects.filter(un_casualty_id__isnull=False)
            .values_list("un_casualty_id", "pk", "incident_id", *CASUALTY_FIELDS)
            .iterator(chunk_size=BATCH_SIZE)
        ):
            if un_id in self.parsed.rows:
                existing[un_id] = tuple(current)
        return existing

    def _plan(self) -> None:
        """Decide, row by row, what is created, updated or unchanged."""
        missions, created_missions = missions_of(self.parsed, self.summary)
        self.missions = missions
        countries = Countries(self.warnings)
        self._load_imported_incidents()
        existing = self._existing_casualties()
        warn = self.warnings.add
        answers, answer = countries.answers, countries.answer
        incident_of_key, key_of_incident = self.incident_of_key, self.key_of_incident
        to_create, to_update, new_keys = self.to_create, self.to_update, self.new_keys
        # A million rows name ~80,000 (mission, date, type): what each one means (the
        # incident key, one tuple shared by its rows; the mission's warnings) is worked out
        # once. The warnings of a row are added in the same order as ever.
        incidents: dict[tuple, tuple] = {}
        created = unchanged = updated = 0
        for (
            row,
            casualty_id,
            occurred_on,
            acronym,
            incident_type,
            category,
            personnel_type,
            outcome,
            nationality,
            m49,
            iso3,
        ) in self.parsed.rows.values():
            known = incidents.get((acronym, occurred_on, incident_type))
            if known is None:
                known = incidents[acronym, occurred_on, incident_type] = _incident_of(
                    missions[acronym], occurred_on, incident_type, created_missions
                )
            key, mission_acronym, messages = known
            for message in messages:
                warn(message, row)
            nationality_id, warning = answers.get((nationality, m49, iso3)) or answer(
                nationality, m49, iso3
            )
            if warning:
                warn(warning, row)
            values = (category, nationality_id, personnel_type, outcome)
            current = existing.get(casualty_id)
            if current is None:
                created += 1
                to_create.append((casualty_id, key, values))
            else:
                pk, incident_id, *old_values = current
                # Only casualties of imported incidents move: a person's choice holds.
                moves = key_of_incident.get(incident_id, key) != key
                if tuple(old_values) == values and not moves:
                    unchanged += 1
                    continue
                updated += 1
                to_update.append((pk, incident_id, key if moves else None, values))
                if not moves:
                    continue
            if key not in incident_of_key:
                new_keys.setdefault(key, mission_acronym)
        self.summary.created += created
        self.summary.unchanged += unchanged
        self.summary.updated += updated

    def _create_incidents(self) -> None:
        """New incidents, numbered in date order within each mission and year, in the
        country of a mission with a single host (as incident_record does)."""
        if not self.new_keys:
            return
        new_missions = {mission_id for mission_id, _day, _type in self.new_keys}
        for mission in sorted(self.missions.values(), key=lambda mission: mission.pk):
            if mission.pk in new_missions:
                lock_reference_sequence(mission)
        hosts: dict[int, list[int]] = {}
        for mission_id, country_id in Mission.host_countries.through.objects.filter(
            mission_id__in=new_missions
        ).values_list("mission_id", "country_id"):
            hosts.setdefault(mission_id, []).append(country_id)
        references = BatchReferences(Incident)
        references.preload(self.new_keys.values())
        now = timezone.now()
        pending = sorted(self.new_keys.items(), key=lambda item: (item[1], *item[0][1:]))
        user_id = self.user.pk if self.user else None
        rows = [
            (
                references.allocate(acronym, day.year),
                mission_id,
                hosts[mission_id][0] if len(hosts.get(mission_id, ())) == 1 else None,
                datetime.combine(day, time.min, tzinfo=UTC),
                incident_type,
            )
            for (mission_id, day, incident_type), acronym in pending
        ]
        if connection.vendor == "postgresql":
            ids = next_ids(Incident._meta.db_table, len(rows))
            # Every column, as Incident(...) would fill it: the model's defaults, the file's
            # values, verified by the importer, created now.
            copy_rows(
                Incident._meta.db_table,
                (*INCIDENT_COLUMNS, *RUN_COLUMNS, *INCIDENT_DEFAULTS),
                (
                    (pk, *row, now, now, now, user_id, user_id, *INCIDENT_DEFAULTS.values())
                    for pk, row in zip(ids, rows, strict=True)
                ),
            )
        else:
            ids = []
            for batch in batches(rows):
                incidents = [
                    Incident(
                        **dict(zip(INCIDENT_COLUMNS[1:], row, strict=True)),
                        created_by_id=user_id,
                        verified_by_id=user_id,
                        verified_at=now,
                        **INCIDENT_DEFAULTS,
                    )
                    for row in batch
                ]
                Incident.objects.bulk_create(incidents)
                ids += [incident.pk for incident in incidents]
        for (key, _acronym), pk in zip(pending, ids, strict=True):
            self.incident_of_key[key] = pk
            self.key_of_incident[pk] = key
        self.summary.incidents_created += len(ids)

    def _create_casualties(self) -> None:
        incident_of_key = self.incident_of_key
        new_incidents = {incident_of_key[key] for key in self.new_keys}
        gained = {incident_of_key[key] for _un_id, key, _values in self.to_create}
        self.touched |= gained - new_incidents
        if connection.vendor == "postgresql":
            stamp = str(timezone.now())  # as copy_rows writes a datetime, once, not per row
            # Made as they are sent: PostgreSQL loads the rows before while Python makes these.
            copy_rows(
                Casualty._meta.db_table,
                (*CASUALTY_COLUMNS, "notes", "created_at"),
                (
                    (
                        incident_of_key[key],
                        category,
                        nationality_id,
                        outcome,
                        un_id,
                        personnel_type,
                        "",
                        stamp,
                    )
                    for un_id, key, (
                        category,
                        nationality_id,
                        personnel_type,
                        outcome,
                    ) in self.to_create
                ),
            )
            return
        rows = [
            (incident_of_key[key], category, nationality_id, outcome, un_id, personnel_type)
            for un_id, key, (category, nationality_id, personnel_type, outcome) in self.to_create
        ]
        for batch in batches(rows):
            Casualty.objects.bulk_create(
                Casualty(**dict(zip(CASUALTY_COLUMNS, row, strict=True))) for row in batch
            )

    def _update_casualties(self) -> None:
        rows = []
        for pk, incident_id, new_key, values in self.to_update:
            if new_key is not None:
                self.left.add(incident_id)
                self.touched.add(incident_id)
                incident_id = self.incident_of_key[new_key]
                self.touched.add(incident_id)
            rows.append((pk, incident_id, *values))
        if not rows:
            return
        columns = ("incident_id", "category", "nationality_id", "un_personnel_type", "outcome")
        if connection.vendor == "postgresql":
            _copy_update(Casualty._meta.db_table, columns, rows)
            return
        for batch in batches(rows):
            Casualty.objects.bulk_update(
                [Casualty(pk=row[0], **dict(zip(columns, row[1:], strict=True))) for row in batch],
                ["incident", *CASUALTY_FIELDS],
            )

    def _delete_emptied_incidents(self) -> None:
        if not self.left:
            return
        emptied = Incident.objects.filter(pk__in=self.left, casualties__isnull=True)
        for reference in emptied.filter(case_link__isnull=False).values_list(
            "reference", flat=True
        ):
            self.warnings.add(
                f"Incident {reference} has no casualty left in the file: "
                "kept because a case is attached to it"
            )
        deleted = list(emptied.filter(case_link__isnull=True).values_list("pk", flat=True))
        Incident.objects.filter(pk__in=deleted).delete()
        self.touched.difference_update(deleted)
        self.summary.incidents_deleted = len(deleted)


def _lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK_KEY])


def _unchanged_since(sha256: str, state: str | None) -> AuditEntry | None:
    """The last run of this file after which the database is as it is now, if any."""
    if state is None:
        return None
    return (
        AuditEntry.objects.filter(
            action=AUDIT_ACTION, object_type="file", object_id=sha256, changes__state=state
        )
        .order_by("-id")
        .first()
    )


def _audit(summary: ImportSummary, *, actor, state: str | None) -> None:
    audit_record(
        actor=actor,
        action=AUDIT_ACTION,
        object_type="file",
        object_id=summary.sha256,
        changes={**summary.counts(), "unchanged_since": summary.unchanged_since, "state": state},
    )


def _skip_if_unchanged(path: Path, *, actor, dry_run: bool) -> ImportSummary | None:
    """The summary of a run that has nothing to do, audited; None when the file must be
    read (another file, or the database changed since its last import)."""
    with path.open("rb") as raw:
        sha256 = hashlib.file_digest(raw, "sha256").hexdigest()
    with transaction.atomic():
        _lock_imports()
        state = state_digest()
        previous = _unchanged_since(sha256, state)
        if previous is None:
            return None
        counts = previous.changes
        summary = ImportSummary(
            file=path.name,
            sha256=sha256,
            dry_run=dry_run,
            rows_read=counts.get("rows_read", 0),
            unchanged=counts.get("rows_read", 0) - counts.get("superseded", 0),
            superseded=counts.get("superseded", 0),
            unchanged_since=timezone.localtime(previous.occurred_at).isoformat(timespec="seconds"),
        )
        _audit(summary, actor=actor, state=state)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def un_fatalities_import(*, path: Path, actor=None, dry_run: bool = False) -> ImportSummary:
    """Import the UN fatalities file at `path`: all of it, or nothing if a row is bad.

    Idempotent: a second run of the same file reports every row unchanged, and when
    nothing the import reads has changed since the first (un_fatalities_state), it stops
    after hashing the file: no row is read, checked or written. A dry run does all the
    work, reports it, and rolls it back.
    """
    path = Path(path)
    skipped = _skip_if_unchanged(path, actor=actor, dry_run=dry_run)
    if skipped is not None:
        return skipped
    with _no_cyclic_gc():
        parsed = read_fatalities(path)
        with transaction.atomic():
            summary = _ImportRun(parsed, actor=actor).run()
            summary.dry_run = dry_run
            _audit(summary, actor=actor, state=state_digest())
            if dry_run:
                transaction.set_rollback(True)
    return summary


@contextmanager
def _no_cyclic_gc():
    """The cyclic garbage collector paused for the import. Reading and planning a million
    rows makes millions of tuples (no reference cycles among them); each of the
    collector's passes walks the growing heap again, a third of the reading's time at a
    million rows. Reference counting frees as usual; the collector resumes after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
