"""Celery tasks of notifications. Each takes IDs, calls one service, returns; each is safe
to run twice (an event notifies a user once; an e-mail is claimed before it is sent)."""

from celery import shared_task

from accountability.notifications.services import (
    notifications_create,
    notifications_scan_deadlines,
    notifications_send_digest,
)
from peacekeeping.history import db_actor
from peacekeeping.jobs import TASK_RETRY


@shared_task(**TASK_RETRY, soft_time_limit=60, time_limit=90)
def notify_event(
    kind: str,
    event_key: str,
    case_id: int | None = None,
    report_id: int | None = None,
    export_id: int | None = None,
    data: dict | None = None,
    actor_id: int | None = None,
) -> int:
    """Queued by `notify_later` after the commit: notify the users in scope."""
    with db_actor(context="task:notify_event"):
        return len(
            notifications_create(
                kind=kind,
                event_key=event_key,
                case_id=case_id,
                report_id=report_id,
                export_id=export_id,
                data=data,
                actor_id=actor_id,
            )
        )


@shared_task(**TASK_RETRY, soft_time_limit=300, time_limit=330)
def scan_notification_deadlines() -> int:
    """Beat, daily: communications due or overdue, detentions past the threshold."""
    with db_actor(context="task:scan_notification_deadlines"):
        return notifications_scan_deadlines()


@shared_task(**TASK_RETRY, soft_time_limit=300, time_limit=330)
def send_notification_digest() -> int:
    """Beat, daily: one e-mail per user who chose the digest."""
    with db_actor(context="task:send_notification_digest"):
        return notifications_send_digest()
