"""Celery tasks of the incidents app. Each takes IDs, calls one service, returns.

Global settings give every task JSON serialisation, `acks_late` and
`task_reject_on_worker_lost`. Retries only on named transient errors (the database, the
broker or the mail server unreachable), with exponential backoff and jitter.
"""

import smtplib

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import OperationalError

from incidents.notifications import case_opened_notify
from peacekeeping.history import db_actor

TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    kombu.exceptions.OperationalError,
    smtplib.SMTPException,
    ConnectionError,
)
RETRY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**RETRY, soft_time_limit=60, time_limit=90)
def notify_case_opened(case_id: int) -> int:
    """E-mail the legal officers of a newly opened case (once, however often delivered)."""
    with db_actor(context="task:notify_case_opened"):
        return case_opened_notify(case_id=case_id)
