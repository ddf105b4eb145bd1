"""Transactional outbox: background jobs that survive a broker (Redis) outage.

`enqueue(task, **kwargs)` writes an `OutboxMessage` row inside the caller's transaction and
publishes it to Celery when that transaction commits. If the broker cannot be reached
(kombu's OperationalError, redis's ConnectionError), the row stays pending and the
caller carries on: the change the user made is saved, and the job waits in PostgreSQL.
Pending rows are published, oldest first, by

- the next commit that enqueues something once the broker is back,
- the beat task `peacekeeping.tasks.publish_outbox` (OUTBOX_PUBLISH_INTERVAL seconds),
- every Celery worker as it starts (signal `worker_ready`),
- `manage.py publish_outbox`.

Delivery is at least once: a crash between the broker accepting a message and the row
being marked may publish it twice, which the tasks tolerate (they take IDs and claim
their work, CONVENTIONS.md §6). Publishers lock the rows they send (`SELECT … FOR UPDATE
SKIP LOCKED`), so two publishers never send the same row at the same time.

Without a broker (no REDIS_URL: Celery runs tasks eagerly, in-process) the job runs at
commit, as `transaction.on_commit(task.delay)` would.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from contextvars import ContextVar
from datetime import timedelta
from functools import partial
from typing import Any

import kombu.exceptions
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peacekeeping.celery import app
from peacekeeping.outbox_models import OutboxMessage

logger = logging.getLogger(__name__)

# The broker is unreachable: keep the row pending and stop publishing for now.
PUBLISH_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)
# One quick retry: a user's request waits for this when the broker is down.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
BATCH = 100
# Published rows are kept this long (for the record), then deleted by the beat task.
KEEP_PUBLISHED = timedelta(days=7)

DELAYED_MESSAGE = _(
    "Saved. Background work (notifications, reports) is delayed: the job queue is "
    "unreachable. Nothing is lost: the jobs are kept and will run when it is back."
)

# The answer header of a request whose jobs wait in the outbox (README: the API's
# counterpart of DELAYED_MESSAGE; documented in its schema).
DELAYED_HEADER = "Background-Work"

_broker = {"checked": float("-inf"), "up": True}
# Set by watch_delays(): whether a job queued in this request or command had to wait.
_delays: ContextVar[dict | None] = ContextVar("outbox_delays", default=None)
_broker_lock = threading.Lock()


# --- broker health ----------------------------------------------------------------------


def _eager() -> bool:
    return bool(app.conf.task_always_eager)


def _remember_broker(up: bool) -> None:
    with _broker_lock:
        _broker.update(checked=time.monotonic(), up=up)


def broker_available(*, refresh: bool = False) -> bool:
    """Whether the broker answers, from a cheap PING cached BROKER_HEALTH_CACHE_SECONDS
    (a failed or successful publish also updates it). Always true without a broker."""
    if _eager():
        return True
    with _broker_lock:
        fresh = time.monotonic() - _broker["checked"] < settings.BROKER_HEALTH_CACHE_SECONDS
        if fresh and not refresh:
            return _broker["up"]
    try:
        client = redis.Redis.from_url(
            app.conf.broker_url, socket_connect_timeout=0.5, socket_timeout=0.5
        )
        try:
            client.ping()
        finally:
            client.close()
        up = True
    except (redis.RedisError, OSError, ValueError):
        up = False
    _remember_broker(up)
    return up


def warn_if_delayed(request) -> bool:
    """Tell the user, with a message on the next page, that background work waits."""
    if broker_available():
        return False
    from django.contrib import messages

    messages.warning(request, DELAYED_MESSAGE)
    return True


# --- writing -----------------------------------------------------------------------------


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


def enqueue(task, /, **kwargs: Any) -> OutboxMessage:
    """Queue `task` with JSON keyword arguments, as part of the current transaction.

    Call it where `transaction.on_commit(partial(task.delay, ...))` would be called: the
    row is written now and rolls back with the transaction; it is published on commit.
    """
    message = OutboxMessage.objects.create(task_name=_task_name(task), kwargs=kwargs)
    transaction.on_commit(partial(_publish_after_commit, message.pk))
    return message


def _publish_after_commit(message_id: int) -> None:
    # Never let a publishing problem turn a saved change into an error page.
    try:
        if _eager():
            _run_eagerly(message_id)
            return
        if broker_available():
            publish_pending(through=message_id, limit=BATCH)
        if not broker_available():
            _note_delay()
    except PUBLISH_ERRORS:
        logger.warning("outbox: message %s left pending", message_id, exc_info=True)
        _note_delay()


def _note_delay() -> None:
    watched = _delays.get()
    if watched is not None:
        watched["delayed"] = True


@contextlib.contextmanager
def watch_delays():
    """`with watch_delays() as watched:` ... `watched["delayed"]` is true if a job queued
    in the block waits in the outbox because the broker is unreachable."""
    watched = {"delayed": False}
    token = _delays.set(watched)
    try:
        yield watched
    finally:
        _delays.reset(token)


class DelayedWorkMiddleware:
    """`Background-Work: delayed` on the answer of a request whose jobs wait in the
    outbox: the API's way of saying what the pages say with DELAYED_MESSAGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with watch_delays() as watched:
            response = self.get_response(request)
        if watched["delayed"]:
            response[DELAYED_HEADER] = "delayed"
        return response


# --- publishing ----------------------------------------------------------------------------


def _task(name: str):
    try:
        return app.tasks[name]
    except KeyError:
        app.loader.import_default_modules()
        return app.tasks[name]


def _run_eagerly(message_id: int) -> None:
    """No broker: claim the row, then run the task in this process (outside any lock)."""
    message = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).first()
    if message is None:
        return
    claimed = OutboxMessage.objects.filter(pk=message_id, published_at__isnull=True).update(
        published_at=timezone.now(), attempts=message.attempts + 1
    )
    if claimed:
        _task(message.task_name).apply_async(kwargs=message.kwargs)


def _send(message: OutboxMessage) -> None:
    _task(message.task_name).apply_async(
        kwargs=message.kwargs,
        task_id=f"outbox-{message.pk}-{message.attempts + 1}",
        retry=True,
        retry_policy=RETRY_POLICY,
    )


def publish_pending(*, through: int | None = None, limit: int = 10_000) -> dict[str, int]:
    """Publish pending messages oldest first (only those up to `through` if given).

    Stops at the first broker error, leaving that message and the later ones pending
    (so they go out in order once it is back). A message that fails for another reason
    (a task no longer registered, a bug) keeps its error and is skipped.
    """
    result = {"published": 0, "failed": 0, "pending": 0}
    if _eager():
        ids = OutboxMessage.objects.filter(published_at__isnull=True).order_by("id")
        for message_id in ids.values_list("id", flat=True)[:limit]:
            _run_eagerly(message_id)
            result["published"] += 1
        return result
    skipped: set[int] = set()
    broker_down = False
    while result["published"] < limit and not broker_down:
        with transaction.atomic():
            rows = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(published_at__isnull=True)
                .exclude(pk__in=skipped)
                .order_by("id")
            )
            if through is not None:
                rows = rows.filter(pk__lte=through)
            batch = list(rows[: min(BATCH, limit - result["published"])])
            if not batch:
                break
            for message in batch:
                try:
                    _send(message)
                except PUBLISH_ERRORS as exc:
                    _record_failure(message, exc)
                    _remember_broker(False)
                    broker_down = True
                    break
                except Exception as exc:  # not the broker: keep the error, go on
                    logger.exception("outbox: message %s cannot be published", message.pk)
                    _record_failure(message, exc)
                    skipped.add(message.pk)
                    result["failed"] += 1
                    continue
                message.published_at = timezone.now()
                message.attempts += 1
                message.save(update_fields=["published_at", "attempts"])
                result["published"] += 1
    if not broker_down and result["published"]:
        _remember_broker(True)
    result["pending"] = OutboxMessage.objects.filter(published_at__isnull=True).count()
    if broker_down:
        logger.warning("outbox: broker unreachable; %s message(s) pending", result["pending"])
    return result


def _record_failure(message: OutboxMessage, exc: BaseException) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.save(update_fields=["attempts", "last_error"])


def purge_published(*, older_than: timedelta = KEEP_PUBLISHED) -> int:
    """Delete messages published more than `older_than` ago; how many."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
