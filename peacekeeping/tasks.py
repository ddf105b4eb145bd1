"""Celery tasks of the platform: the outbox publisher and the retention job.

Each is thin and safe to run twice. The outbox is also published when a worker starts
(`worker_ready`), so jobs written while the broker was down go out as soon as a worker
can reach it, without waiting for beat.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import OperationalError, connections

from peacekeeping.checkpoints import audit_checkpoint_take
from peacekeeping.history import db_actor
from peacekeeping.outbox import publish_pending, purge_published
from peacekeeping.retention import retention_apply

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=50,
    time_limit=55,
)
def publish_outbox() -> dict[str, int]:
    """Beat, every OUTBOX_PUBLISH_INTERVAL seconds: publish pending outbox messages."""
    result = publish_pending()
    result["purged"] = purge_published()
    return result


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def apply_retention() -> dict:
    """Beat, daily: anonymise personal data past RETENTION_YEARS (peacekeeping/retention)."""
    with db_actor(context="task:apply_retention"):
        return retention_apply()


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def audit_checkpoint() -> int | None:
    """Beat, every AUDIT_CHECKPOINT_MINUTES: a checkpoint of the audit chain's head."""
    checkpoint = audit_checkpoint_take()
    return checkpoint.pk if checkpoint else None


@worker_ready.connect(dispatch_uid="peacekeeping.publish_outbox_on_start")
def publish_outbox_on_start(sender=None, **kwargs) -> None:
    """A worker that starts publishes what the outbox holds (in its main process)."""
    try:
        result = publish_pending()
        if result["published"]:
            logger.info("outbox published at worker start: %s", result)
    except Exception:  # never keep a worker from starting
        logger.exception("outbox: publishing at worker start failed")
    finally:
        connections.close_all()
