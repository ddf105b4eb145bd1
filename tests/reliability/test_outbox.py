"""The transactional outbox itself: written with the change, published on commit, kept
when the broker refuses, never published for a change that rolled back."""

import time

import pytest
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction

from peacekeeping import outbox
from peacekeeping.outbox_models import OutboxMessage
from peacekeeping.tasks import publish_outbox_on_start
from tests.reliability.conftest import broker_at, free_port

TASK = "incidents.tasks.notify_case_opened"


@pytest.fixture
def broker_refusing():
    """A broker URL where nothing listens, believed up (so a publish is attempted)."""
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        outbox._broker.update(checked=time.monotonic(), up=True)
        yield


@pytest.mark.django_db
def test_a_job_of_a_change_that_rolled_back_is_neither_kept_nor_published(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(TASK, case_id=1)
        raise RuntimeError("the change failed")

    assert callbacks == []
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refused_publish_leaves_the_job_pending_and_the_caller_carries_on(broker_refusing):
    with transaction.atomic():
        message = outbox.enqueue(TASK, case_id=42)
    # The commit ran the publish, which failed quietly.
    message.refresh_from_db()
    assert message.published_at is None
    assert message.attempts == 1
    assert "Error" in message.last_error
    assert message.kwargs == {"case_id": 42}
    assert outbox.broker_available() is False  # remembered for the next requests


@pytest.mark.django_db(transaction=True)
def test_the_publisher_stops_at_the_first_broker_error_keeping_the_order(broker_refusing):
    first, second = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task_name=TASK, kwargs={"case_id": n}) for n in (1, 2)]
    )

    result = outbox.publish_pending()

    assert result == {"published": 0, "failed": 0, "pending": 2}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.attempts, second.attempts) == (1, 0)  # the later one was not tried


def test_beat_and_every_starting_worker_publish_the_outbox():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["publish-outbox"]["task"] == "peacekeeping.tasks.publish_outbox"
    assert schedule["publish-outbox"]["schedule"] == settings.OUTBOX_PUBLISH_INTERVAL
    assert schedule["apply-retention"]["task"] == "peacekeeping.tasks.apply_retention"
    receivers = [ref() for _key, ref in worker_ready.receivers]
    assert publish_outbox_on_start in receivers
