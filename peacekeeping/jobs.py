"""Background jobs whose state lives in their own row, written once for every app.

`Job` is the abstract model of such a row (`status`, `attempts`, `queued_at`,
`started_at`, `heartbeat_at`, `finished_at`, `progress`, `progress_message`, `error`,
`worker`), `JobQuerySet` the sweeper's reads of it, and `JobTable` the protocol on the
rows of one concrete model (follow-up reports, exports):

- a worker claims a row with one compare-and-set UPDATE (pending → running or, for the
  sweeper's re-queue, running with a stale heartbeat → running) and stops unless exactly
  one row changed; the claim bumps `attempts`, which fences every later write of that
  worker, so one that lost its claim can neither report progress nor finish (ClaimLost);
- each progress point is also the heartbeat;
- the sweeper re-queues rows whose worker stopped heartbeating or that nobody picked up,
  and marks them failed after the maximum number of claims.

Each app's services keep what differs: the build itself and how a build is queued.
`TASK_RETRY` is the one retry table of the jobs' Celery tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import OperationalError, models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"

# Errors worth a retry: the database or the broker was briefly unreachable.
TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    kombu.exceptions.OperationalError,
)

# Options of the jobs' Celery tasks: retries only on the named transient errors, with
# exponential backoff and jitter; a task whose worker dies is delivered again.
TASK_RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


class ClaimLost(Exception):
    """Another worker claimed the job since this one did (see `attempts`)."""


class JobQuerySet(models.QuerySet):
    """The sweeper's reads of a job table."""

    # When the job was asked for: the last time it was queued if `queued_at` is empty.
    requested_field = "requested_at"

    def stale_running(self, *, before: datetime):
        """Running, but no heartbeat since `before`: its worker is presumed dead."""
        return self.filter(status=RUNNING).filter(
            Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True)
        )

    def waiting_since(self, *, before: datetime):
        """Pending, and neither requested nor re-queued since `before`."""
        return (
            self.filter(status=PENDING)
            .alias(last_queued=Coalesce("queued_at", self.requested_field))
            .filter(last_queued__lt=before)
        )


class JobStatus(models.TextChoices):
    """The states of a job row; a model may add its own (an export expires)."""

    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job's state, kept in the database rather than in the broker.

    `status` moves pending → running → done (or failed) by conditional updates,
    `attempts` counts the claims and fences a worker that lost its claim, `heartbeat_at`
    tells the sweeper whether the worker is alive, `queued_at` when the sweeper last
    re-queued it. The concrete model adds when it was asked for (`JobQuerySet.
    requested_field`), what it builds, and its own constraints and indexes.
    """

    Status = JobStatus

    status = models.CharField(
        _("status"), max_length=7, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    progress_message = models.CharField(_("progress message"), max_length=200, blank=True)
    queued_at = models.DateTimeField(_("last queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # The Celery worker (its hostname) that holds the current claim: which machine built it.
    worker = models.CharField(_("built by worker"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_unfinished(self) -> bool:
        return self.status in (PENDING, RUNNING)


@dataclass(frozen=True)
class JobTable:
    """The protocol on the rows of one model. The settings are named, not read, here:
    they are read at each call (tests override them)."""

    model: type[models.Model]
    noun: str  # in log lines and ClaimLost messages: "report", "export"
    stale_after_setting: str
    max_attempts_setting: str

    def stale_cutoff(self, now: datetime) -> datetime:
        return now - timedelta(seconds=getattr(settings, self.stale_after_setting))

    def claim(self, pk: int, *, reclaim: bool = False, worker: str = "") -> int | None:
        """Claim the job for this worker; the claim's number, or None if not claimable.

        Pending jobs are claimable; with `reclaim` (the sweeper's re-queue), so is a job
        left running by a worker that stopped heartbeating. One compare-and-set UPDATE on
        the status and the attempt number: of two workers, exactly one changes the row.
        """
        now = timezone.now()
        jobs = self.model.objects
        row = jobs.filter(pk=pk).values("status", "attempts", "heartbeat_at").first()
        if row is None:
            return None
        stale = row["heartbeat_at"] is None or row["heartbeat_at"] < self.stale_cutoff(now)
        if not (row["status"] == PENDING or (reclaim and row["status"] == RUNNING and stale)):
            return None
        attempt = row["attempts"] + 1
        changed = jobs.filter(
            pk=pk,
            status=row["status"],
            attempts=row["attempts"],
            heartbeat_at=row["heartbeat_at"],
        ).update(
            status=RUNNING,
            attempts=attempt,
            started_at=now,
            heartbeat_at=now,
            progress=1,
            progress_message="claimed",
            error="",
            worker=worker[:255],
        )
        return attempt if changed == 1 else None

    def fenced(self, pk: int, attempt: int) -> models.QuerySet:
        """The row, if this claim still holds it: every write of a build goes through it."""
        return self.model.objects.filter(pk=pk, status=RUNNING, attempts=attempt)

    def progress(self, pk: int, attempt: int, progress: int, message: str, **fields) -> None:
        """Record progress and heartbeat; raise ClaimLost if another worker took over."""
        changed = self.fenced(pk, attempt).update(
            progress=progress, progress_message=message, heartbeat_at=timezone.now(), **fields
        )
        if changed != 1:
            raise ClaimLost(f"{self.noun} {pk}: claim {attempt} lost at {progress}%")

    def finish(self, pk: int, attempt: int, *, now: datetime | None = None, **fields) -> None:
        """Mark the job done with `fields`; raise ClaimLost if another worker took over."""
        now = now or timezone.now()
        changed = self.fenced(pk, attempt).update(
            status=DONE,
            progress=100,
            progress_message="done",
            heartbeat_at=now,
            finished_at=now,
            **fields,
        )
        if changed != 1:
            raise ClaimLost(f"{self.noun} {pk}: claim {attempt} lost before finishing")

    def run(
        self,
        pk: int,
        build: Callable[[int, int], str],
        *,
        reclaim: bool = False,
        worker: str = "",
    ) -> str:
        """Claim the job and run `build(pk, attempt)`; what happened, as a word.

        "skipped": not claimable (already running, done or failed: a duplicate delivery);
        "lost": another worker took the claim over; what `build` returns ("done");
        "failed" (the error is kept on the row). A transient error releases the claim and
        propagates, for the task's retry.
        """
        attempt = self.claim(pk, reclaim=reclaim, worker=worker)
        if attempt is None:
            logger.info("%s %s not claimable; nothing to do", self.noun, pk)
            return "skipped"
        try:
            return build(pk, attempt)
        except ClaimLost as exc:
            logger.warning("%s", exc)
            return "lost"
        except TRANSIENT_ERRORS:
            try:
                self.fenced(pk, attempt).update(
                    status=PENDING, progress=0, progress_message="waiting to retry"
                )
            except TRANSIENT_ERRORS:
                logger.warning(
                    "%s %s: could not release the claim; the sweeper will", self.noun, pk
                )
            raise
        except Exception as exc:  # a bug, bad data or a revoked right: keep it on the row
            logger.exception("%s %s failed", self.noun, pk)
            self.fenced(pk, attempt).update(
                status=FAILED,
                progress_message="failed",
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            return FAILED

    def sweep(self, requeue: Callable[..., None]) -> dict[str, list[int]]:
        """Re-queue, by `requeue(pk, reclaim=...)`, the jobs whose worker died or that
        nobody picked up; mark failed those claimed the maximum number of times.

        Call it in a transaction: `requeue` goes through the outbox, sent on commit.
        """
        now = timezone.now()
        cutoff = self.stale_cutoff(now)
        max_attempts = getattr(settings, self.max_attempts_setting)
        result: dict[str, list[int]] = {"requeued": [], "failed": []}
        jobs = self.model.objects
        fields = ("pk", "attempts", "queued_at", "heartbeat_at")
        stuck = list(jobs.stale_running(before=cutoff).values(*fields))
        waiting = list(jobs.waiting_since(before=cutoff).values(*fields))
        for status, rows in ((RUNNING, stuck), (PENDING, waiting)):
            for row in rows:
                # Unchanged since read: a worker that claimed or heartbeat meanwhile wins.
                same = jobs.filter(
                    pk=row["pk"],
                    status=status,
                    attempts=row["attempts"],
                    queued_at=row["queued_at"],
                    heartbeat_at=row["heartbeat_at"],
                )
                if row["attempts"] >= max_attempts:
                    if same.update(
                        status=FAILED,
                        progress_message="failed",
                        error=(
                            f"Gave up after {row['attempts']} attempts: the worker building "
                            "it stopped each time."
                        ),
                        finished_at=now,
                    ):
                        result["failed"].append(row["pk"])
                    continue
                if row["queued_at"] and row["queued_at"] >= cutoff:
                    continue  # re-queued recently: give that message its chance
                if same.update(queued_at=now):
                    requeue(row["pk"], reclaim=status == RUNNING)
                    result["requeued"].append(row["pk"])
        if result["requeued"] or result["failed"]:
            logger.warning("%s sweeper: %s", self.noun, result)
        return result
