"""Celery tasks of exports. Each takes IDs, calls one service, returns.

Registered through CELERY_IMPORTS (settings, "Exports"). Global settings give every task
JSON serialisation, `acks_late` and `task_reject_on_worker_lost`; retries only on named
transient errors, with exponential backoff and jitter. Whatever the broker does, the
job's row in PostgreSQL decides who builds it (services.py).
"""

from celery import shared_task
from django.conf import settings

from accountability.exports.services import (
    export_files_purge,
    export_job_build,
    export_jobs_sweep,
)
from peacekeeping.history import db_actor
from peacekeeping.jobs import TASK_RETRY


@shared_task(
    **TASK_RETRY,
    bind=True,
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
)
def build_export(self, job_id: int, reclaim: bool = False) -> str:
    """Build one large export (a duplicate delivery finds it claimed and stops).
    The claim records this worker's hostname on the job."""
    with db_actor(context="task:build_export"):
        return export_job_build(job_id=job_id, reclaim=reclaim, worker=self.request.hostname or "")


@shared_task(**TASK_RETRY, soft_time_limit=50, time_limit=55)
def sweep_stalled_exports() -> dict[str, list[int]]:
    """Beat, every minute: re-queue exports whose worker died or that nobody picked up."""
    with db_actor(context="task:sweep_stalled_exports"):
        return export_jobs_sweep()


@shared_task(**TASK_RETRY, soft_time_limit=300, time_limit=330)
def purge_expired_exports() -> list[int]:
    """Beat, hourly: delete the files of exports older than EXPORT_RETENTION_HOURS."""
    with db_actor(context="task:purge_expired_exports"):
        return export_files_purge()
