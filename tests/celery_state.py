"""For the tests with a real Celery worker: the broker keys to empty before and after, and
what to say when a wait for a job times out.

These tests run in the same pytest process as the rest of the suite. When one of them
waits in vain, `state_report` says where the job stopped: never queued (no outbox row,
or a job service replaced by a mock another test left behind), queued but not published
(outbox rows pending), published but not consumed (the queues' lengths), or taken by a
worker (kombu's unacked messages).
"""

from __future__ import annotations

import threading
from unittest import mock

import redis
from django.conf import settings

from accountability.exports import services as export_services
from accountability.reports import services as report_services
from peacekeeping.celery import app
from peacekeeping.outbox_models import OutboxMessage

# Every queue of settings.CELERY_TASK_QUEUES, and kombu's bookkeeping of delivered,
# unacknowledged messages.
QUEUES = ("celery", "reports", "exports", "notifications")
KOMBU_KEYS = (*QUEUES, "unacked", "unacked_index", "unacked_mutex")


def state_report() -> str:
    """The job services, the outbox, the queues and the threads, in a few lines."""
    mocked = [
        f"{module.__name__}._enqueue_build"
        for module in (report_services, export_services)
        if isinstance(module._enqueue_build, mock.NonCallableMock)
    ]
    pending = OutboxMessage.objects.filter(published_at__isnull=True).order_by("id")
    lines = [
        f"job services replaced by a mock: {mocked or 'none'}",
        f"outbox: {pending.count()} pending, first "
        f"{list(pending.values_list('id', 'task_name', 'attempts', 'last_error')[:5])}",
        f"celery broker_url={app.conf.broker_url} eager={app.conf.task_always_eager}",
    ]
    try:
        client = redis.Redis.from_url(settings.REDIS_URL)
        lengths = {queue: client.llen(queue) for queue in QUEUES}
        lines.append(f"redis queues {lengths}, unacked {client.hlen('unacked')}")
    except redis.RedisError as exc:
        lines.append(f"redis: {exc!r}")
    lines.append(f"threads: {sorted(t.name for t in threading.enumerate())}")
    return "\n".join(lines)
