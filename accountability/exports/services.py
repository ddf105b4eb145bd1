"""Writes of exports: serve a small one now, queue a large one, build it, sweep, purge.

Every export, small or large, leaves an ExportJob row with its manifest (filters, as-of
time, row count, SHA-256 of the file) and one audit entry, action "export" (who, kind,
format, filters, row count, SHA-256), written when the file is complete.

- Small exports (at most EXPORT_ASYNC_THRESHOLD rows, counted first with a LIMIT) are
  written to a temporary file, rows streamed from the database (COPY or a server-side
  cursor), then sent from that file: memory stays flat, the response carries the whole
  manifest in its headers, and an error is a 500, never a truncated file with a 200.
- Large ones are ExportJob rows built by a Celery worker (tasks.py), queued after the
  transaction commits. As for follow-up reports, the job's state is in PostgreSQL and
  follows peacekeeping/jobs.py: a worker claims it with one conditional UPDATE
  (pending → running) that bumps `attempts` and fences the worker's later writes; a
  redelivered task finds it claimed and stops; the sweeper re-queues jobs whose worker
  stopped heartbeating; files expire after EXPORT_RETENTION_HOURS and a beat task
  deletes them.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from functools import partial
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.exports.case_file import render_case_file
from accountability.exports.datasets import (
    LIST_KINDS,
    Dataset,
    InvalidFilters,
    RowsDataset,
    filters_of,
    list_dataset,
)
from accountability.exports.indicators import COLUMNS as INDICATOR_COLUMNS
from accountability.exports.indicators import indicator_table
from accountability.exports.models import ExportJob, export_file_path
from accountability.exports.writers import (
    CONTENT_TYPES,
    FORMULA_TRIGGERS,
    NEUTRALISING_PREFIX,
    Written,
    copy_csv,
    digest,
    write_csv,
    write_json,
    write_xlsx,
)
from accountability.models import Case
from accountability.notifications.models import NotificationKind
from accountability.notifications.services import notify_later
from missions.scope import can_export
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError, OutOfScope
from peacekeeping.jobs import JobTable
from peacekeeping.outbox import enqueue

S = ExportJob.Status
MANIFEST_SCHEMA = 1
TABLE_FORMATS = ("csv", "xlsx", "json")
FORMATS = {**{kind: TABLE_FORMATS for kind in (*LIST_KINDS, "indicators")}, "case_file": ("pdf",)}

# The claim, heartbeat and sweep of export builds (peacekeeping/jobs.py).
EXPORT_JOBS = JobTable(
    ExportJob,
    noun="export",
    stale_after_setting="EXPORT_STALE_AFTER_SECONDS",
    max_attempts_setting="EXPORT_MAX_ATTEMPTS",
)

# Progress (and heartbeat) UPDATEs while rows are written: at most one per this many seconds.
PROGRESS_EVERY_SECONDS = 1.0


@dataclass
class ExportOutcome:
    """The job, and the file to send now (None when the job was queued)."""

    job: ExportJob
    file: IO[bytes] | None = None


# --- what to export ---------------------------------------------------------------------


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


# The first peacekeeping operation (UNTSO) began in 1948: no indicator is older.
EARLIEST_AS_OF = date(1948, 1, 1)

# YYYY-MM-DD in ASCII digits only (date.fromisoformat also reads 20240101 and 2024-W01-1).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_as_of(value: str | None, *, blank_is_today: bool = True) -> date:
    """The indicators' as-of date: YYYY-MM-DD, not in the future; default today (UTC).

    Absent (None) is today; so is "" (the page's empty field) unless `blank_is_today`
    is false, as for the API, where an empty value is refused.
    """
    today = utc_today()
    if value is None or (value == "" and blank_is_today):
        return today
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise InvalidFilters({"as_of": ["Give a date as YYYY-MM-DD."]})
    try:
        as_of = date.fromisoformat(value)
    except ValueError:
        raise InvalidFilters({"as_of": ["Give a date as YYYY-MM-DD."]}) from None
    if as_of > today:
        raise InvalidFilters({"as_of": ["The as-of date cannot be in the future."]})
    if as_of < EARLIEST_AS_OF:
        # The indicators reach back up to years before the date: 0001-01-01 overflowed.
        raise InvalidFilters({"as_of": [str(_("The as-of date cannot be before 1948."))]})
    return as_of


def export_filters(kind: str, params) -> dict[str, list[str]]:
    """The filters of the query string that this kind of export honours."""
    if kind == "indicators":
        return {"as_of": [parse_as_of(params.get("as_of")).isoformat()]}
    if kind not in LIST_KINDS:
        raise DomainError(f"There is no export of “{kind}”.", field="kind")
    return filters_of(kind, params)


def dataset_for(kind: str, *, user, filters: dict[str, list[str]]) -> Dataset | RowsDataset:
    if kind == "indicators":
        as_of = parse_as_of((filters.get("as_of") or [None])[0])
        table = indicator_table(user, as_of=as_of)
        return RowsDataset(kind, INDICATOR_COLUMNS, table.tuples(), filters)
    return list_dataset(kind, user=user, filters=filters, today=utc_today())


def _check(user, kind: str, fmt: str) -> None:
    if not can_export(user):
        raise PermissionDenied("Only analysts, legal officers and administrators may export.")
    if kind not in FORMATS:
        raise DomainError(f"There is no export of “{kind}”.", field="kind")
    if fmt not in FORMATS[kind]:
        raise DomainError(
            f"Give one of {', '.join(FORMATS[kind])} as the format, not “{fmt}”.", field="format"
        )


# --- writing ----------------------------------------------------------------------------


def _about(*, kind: str, filters: dict, as_of, user) -> list[tuple[str, object]]:
    return [
        ("export", kind),
        ("filters", urlencode(filters, doseq=True) or "(none)"),
        ("as of (UTC)", as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")),
        ("requested by", user.get_username()),
    ]


def write_dataset(
    dataset, fmt: str, out: IO[bytes], *, about: list[tuple[str, object]], on_progress=None
) -> Written:
    """Write the dataset to `out` (a binary temporary file); rows, bytes and SHA-256."""
    copy_sql = dataset.copy_sql() if fmt == "csv" else None
    if copy_sql is not None:
        rows = copy_csv(dataset.columns, copy_sql, out)
    else:
        write = {
            "csv": write_csv,
            "json": write_json,
            "xlsx": partial(write_xlsx, title=dataset.kind, about=about),
        }[fmt]
        chunk = settings.EXPORT_CHUNK_SIZE
        rows = write(
            dataset.columns,
            dataset.rows(chunk_size=chunk),
            out,
            chunk_size=chunk,
            on_progress=on_progress,
        )
    size, sha256 = digest(out)
    return Written(rows=rows, size=size, sha256=sha256)


def build_manifest(job: ExportJob, *, columns: list[str]) -> dict:
    """What the file is, in JSON: the sidecar `.manifest.json` and the response headers."""
    manifest = {
        "schema": MANIFEST_SCHEMA,
        "export_id": job.pk,
        "kind": job.kind,
        "format": job.format,
        "file": job.filename,
        "content_type": CONTENT_TYPES[job.format],
        "filters": job.filters,
        "as_of": job.as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "row_count": job.row_count,
        "bytes": job.size,
        "sha256": job.sha256,
        "columns": columns,
        "requested_by": job.user.get_username() if job.user_id else None,
        "delivery": job.delivery,
        "names": "masked as ███ where the role may not read them",
    }
    if job.format in ("csv", "xlsx"):
        triggers = " ".join(repr(c)[1:-1] for c in FORMULA_TRIGGERS)
        manifest["formula_neutralisation"] = (
            f"text cells starting with {triggers} are prefixed with {NEUTRALISING_PREFIX}"
        )
    return manifest


def _record(job: ExportJob, *, actor) -> None:
    audit_record(
        actor=actor,
        action="export",
        obj=job,
        changes={
            "kind": [None, job.kind],
            "format": [None, job.format],
            "filters": [None, job.filters],
            "row_count": [None, job.row_count],
            "sha256": [None, job.sha256],
            "delivery": [None, job.delivery],
        },
    )


def _finish_direct(*, user, kind, fmt, filters, expected, as_of, written, columns) -> ExportJob:
    with transaction.atomic():
        now = timezone.now()
        job = ExportJob.objects.create(
            user=user,
            kind=kind,
            format=fmt,
            filters=filters,
            delivery=ExportJob.Delivery.DIRECT,
            status=S.DONE,
            progress=100,
            progress_message="done",
            expected_rows=expected,
            row_count=written.rows,
            size=written.size,
            sha256=written.sha256,
            as_of=as_of,
            started_at=as_of,
            finished_at=now,
            attempts=1,
        )
        job.manifest = build_manifest(job, columns=columns)
        job.save(update_fields=["manifest"])
        _record(job, actor=user)
    return job


# --- small and large exports ------------------------------------------------------------


def export_request(*, user, kind: str, fmt: str, params, store: bool = False) -> ExportOutcome:
    """Export `kind` as `fmt`, with the list filters in `params` (a QueryDict).

    At most EXPORT_ASYNC_THRESHOLD rows: written now and returned with the file, unless
    `store` (the API) asks for a stored file. More: queued for a worker, returned
    without a file; the user follows the job's progress and downloads it when done.
    """
    _check(user, kind, fmt)
    filters = export_filters(kind, params)
    dataset = dataset_for(kind, user=user, filters=filters)
    threshold = settings.EXPORT_ASYNC_THRESHOLD
    expected = dataset.count(limit=threshold + 1)
    if store or expected > threshold:
        job = ExportJob.objects.create(
            user=user,
            kind=kind,
            format=fmt,
            filters=filters,
            delivery=ExportJob.Delivery.STORED,
            expected_rows=expected if expected <= threshold else None,
            queued_at=timezone.now(),
            progress_message="queued",
        )
        if expected > threshold:
            _enqueue_build(job.pk)
        else:
            export_job_build(job_id=job.pk)
            job.refresh_from_db()
        return ExportOutcome(job)
    as_of = timezone.now()
    # Not a `with`: the file is handed to the response, which closes (deletes) it.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        written = write_dataset(
            dataset, fmt, out, about=_about(kind=kind, filters=filters, as_of=as_of, user=user)
        )
        job = _finish_direct(
            user=user,
            kind=kind,
            fmt=fmt,
            filters=filters,
            expected=expected,
            as_of=as_of,
            written=written,
            columns=[c.name for c in dataset.columns],
        )
    except BaseException:
        out.close()
        raise
    return ExportOutcome(job, out)


def case_file_export(*, user, reference: str) -> ExportOutcome:
    """The PDF case file of one case in the user's scope (OutOfScope otherwise)."""
    _check(user, "case_file", "pdf")
    case = (
        Case.objects.visible_to(user)
        .select_related("mission", "host_state")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise OutOfScope(f"No case {reference} in your scope.", field="reference")
    as_of = timezone.now()
    out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    try:
        out.write(render_case_file(case, user=user, as_of=as_of))
        size, sha256 = digest(out)
        job = _finish_direct(
            user=user,
            kind="case_file",
            fmt="pdf",
            filters={"reference": [case.reference]},
            expected=1,
            as_of=as_of,
            written=Written(rows=1, size=size, sha256=sha256),
            columns=[],
        )
    except BaseException:
        out.close()
        raise
    return ExportOutcome(job, out)


# --- background jobs ----------------------------------------------------------------------


def _enqueue_build(job_id: int, *, reclaim: bool = False) -> None:
    # Through the transactional outbox (peacekeeping/outbox.py): written with the job's
    # row, published on commit; a broker outage leaves it pending in PostgreSQL.
    from accountability.exports.tasks import build_export

    enqueue(build_export, job_id=job_id, reclaim=reclaim)


def _row_progress(job_id: int, attempt: int, expected: int):
    """A callback for the writers: progress from 5 to 90 % as rows are written, at most
    one UPDATE every PROGRESS_EVERY_SECONDS (each is also the heartbeat)."""
    last = time.monotonic()

    def report(rows: int) -> None:
        nonlocal last
        if time.monotonic() - last < PROGRESS_EVERY_SECONDS:
            return
        last = time.monotonic()
        share = min(rows / expected, 1.0) if expected else 1.0
        EXPORT_JOBS.progress(
            job_id, attempt, 5 + int(85 * share), f"{rows} of {expected} rows written"
        )

    return report


class _StoredFile(File):
    """A finished temporary file that FileSystemStorage moves into place (a rename on
    the same file system) instead of copying it block by block."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _spool(storage):
    """A temporary file for the export, next to the storage's files when they are local
    (so storing it is a rename), else in the system's temporary folder."""
    folder = None
    location = getattr(storage, "location", None)
    if location:
        folder = Path(location) / "exports" / ".partial"
        folder.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False)  # noqa: SIM115


def _build(job_id: int, attempt: int) -> str:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    user = job.user
    if user is None or not user.is_active or not can_export(user):
        raise PermissionDenied("The user who asked for this export may no longer export.")
    dataset = dataset_for(job.kind, user=user, filters=job.filters)
    if job.format == "csv" and dataset.copy_sql() is not None:
        # COPY streams from the server at its own pace: no per-row progress to report,
        # so no COUNT(*) first (it would cost a good share of the export's time).
        expected, message = None, "writing the rows (COPY)"
    else:
        EXPORT_JOBS.progress(job_id, attempt, 2, "counting the rows")
        expected = dataset.count()
        message = f"writing {expected} rows"
    as_of = timezone.now()
    EXPORT_JOBS.progress(job_id, attempt, 5, message, expected_rows=expected, as_of=as_of)
    storage = ExportJob._meta.get_field("file").storage
    out = _spool(storage)
    try:
        written = write_dataset(
            dataset,
            job.format,
            out,
            about=_about(kind=job.kind, filters=job.filters, as_of=as_of, user=user),
            on_progress=_row_progress(job_id, attempt, expected or 0),
        )
        EXPORT_JOBS.progress(job_id, attempt, 92, "storing the file")
        # Named per claim: a worker that lost its claim never overwrites the winner's file.
        stem = f"{job.kind}-{job.pk}-a{attempt}-{written.sha256[:12]}.{job.format}"
        out.flush()
        name = storage.save(export_file_path(job, stem), _StoredFile(out, name=stem))
    finally:
        out.close()
        Path(out.name).unlink(missing_ok=True)  # moved into place, or abandoned
    try:
        with transaction.atomic():
            now = timezone.now()
            job.row_count, job.size, job.sha256, job.as_of = (
                written.rows,
                written.size,
                written.sha256,
                as_of,
            )
            manifest = build_manifest(job, columns=[c.name for c in dataset.columns])
            EXPORT_JOBS.finish(
                job_id,
                attempt,
                now=now,
                expires_at=now + timedelta(hours=settings.EXPORT_RETENTION_HOURS),
                file=name,
                row_count=written.rows,
                size=written.size,
                sha256=written.sha256,
                manifest=manifest,
            )
            _record(job, actor=user)
            # Its owner hears of it in the app (and by e-mail if they chose so).
            notify_later(
                kind=NotificationKind.REPORT_READY,
                event_key=f"export:{job.pk}:ready",
                export_id=job.pk,
                data={"label": str(job.get_kind_display())},
            )
    except BaseException:
        storage.delete(name)
        raise
    return S.DONE


def export_job_build(*, job_id: int, reclaim: bool = False, worker: str = "") -> str:
    """Build the job if this worker can claim it; what happened, as a word ("skipped",
    "lost", "done" or "failed": see JobTable.run)."""
    return EXPORT_JOBS.run(job_id, _build, reclaim=reclaim, worker=worker)


# --- sweeper and purge ------------------------------------------------------------------


@transaction.atomic
def export_jobs_sweep() -> dict[str, list[int]]:
    """Re-queue jobs whose worker died or that nobody picked up; give up after
    EXPORT_MAX_ATTEMPTS claims."""
    return EXPORT_JOBS.sweep(_enqueue_build)


def export_files_purge(*, now=None) -> list[int]:
    """Delete the files of exports past their expiry; the rows stay, as the record."""
    now = now or timezone.now()
    storage = ExportJob._meta.get_field("file").storage
    purged = []
    for job_id, name in ExportJob.objects.expired(now=now).values_list("pk", "file"):
        changed = (
            ExportJob.objects.filter(pk=job_id, file=name, status=S.DONE)
            .exclude(expires_at__gte=now)
            .update(status=S.EXPIRED, file="", progress_message="expired")
        )
        if changed:
            storage.delete(name)
            purged.append(job_id)
    return purged
