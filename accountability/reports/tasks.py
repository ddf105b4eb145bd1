"""Celery tasks of follow-up reports. Each takes IDs, calls one service, returns.

The tasks keep the names they had in accountability/tasks.py (`name=`): messages already
queued, the outbox's rows, the beat schedule and the queue routes name them so.

Global settings give every task JSON serialisation, `acks_late` and
`task_reject_on_worker_lost` (a task whose worker dies is delivered again). Retries
happen only on named transient errors, with exponential backoff and jitter. Whatever the
broker does, the report's state in PostgreSQL decides who builds it (services.py).
"""

from celery import shared_task
from django.conf import settings

from accountability.reports.services import (
    followup_report_build,
    followup_report_notify,
    followup_reports_schedule,
    followup_reports_sweep,
    impunity_digest_send,
)
from peacekeeping.history import db_actor
from peacekeeping.jobs import TASK_RETRY


@shared_task(
    name="accountability.tasks.build_followup_report",
    **TASK_RETRY,
    bind=True,
    soft_time_limit=settings.FOLLOWUP_REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.FOLLOWUP_REPORT_TIME_LIMIT,
)
def build_followup_report(self, report_id: int, reclaim: bool = False) -> str:
    """Build one follow-up report (a duplicate delivery finds it claimed and stops).
    The claim records this worker's hostname on the report."""
    with db_actor(context="task:build_followup_report"):
        return followup_report_build(
            report_id=report_id, reclaim=reclaim, worker=self.request.hostname or ""
        )


@shared_task(
    name="accountability.tasks.notify_followup_report",
    **TASK_RETRY,
    soft_time_limit=60,
    time_limit=90,
)
def notify_followup_report(report_id: int) -> int:
    """E-mail the State's legal officers that its report is ready."""
    return followup_report_notify(report_id=report_id)


@shared_task(
    name="accountability.tasks.schedule_followup_reports",
    **TASK_RETRY,
    soft_time_limit=120,
    time_limit=150,
)
def schedule_followup_reports() -> list[int]:
    """Beat, daily: one report per host State with open cases for the last period."""
    with db_actor(context="task:schedule_followup_reports"):
        return [report.pk for report in followup_reports_schedule()]


@shared_task(
    name="accountability.tasks.sweep_stalled_reports",
    **TASK_RETRY,
    soft_time_limit=50,
    time_limit=55,
)
def sweep_stalled_reports() -> dict[str, list[int]]:
    """Beat, every minute: re-queue reports whose worker died or that nobody picked up."""
    with db_actor(context="task:sweep_stalled_reports"):
        return followup_reports_sweep()


@shared_task(
    name="accountability.tasks.send_impunity_digest",
    **TASK_RETRY,
    soft_time_limit=300,
    time_limit=330,
)
def send_impunity_digest() -> int:
    """Beat, weekly: each mission's focal points get the cases that crossed a threshold."""
    with db_actor(context="task:send_impunity_digest"):
        return impunity_digest_send()
