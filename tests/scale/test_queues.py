"""Celery queues by kind of work, routed in settings, so each is scaled on its own."""

import pytest
from django.conf import settings

from peacekeeping.celery import app


@pytest.fixture(scope="module")
def tasks() -> list[str]:
    app.autodiscover_tasks(force=True)
    for module in settings.CELERY_IMPORTS:
        app.loader.import_task_module(module)
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def queue_of(name: str) -> str:
    return app.amqp.router.route({}, name, (), {})["queue"].name


def test_each_task_goes_to_the_queue_of_its_kind_of_work(tasks):
    routed = {name: queue_of(name) for name in tasks}

    assert routed["accountability.tasks.build_followup_report"] == "reports"
    assert routed["accountability.exports.tasks.build_export"] == "exports"
    assert routed["accountability.tasks.notify_followup_report"] == "notifications"
    assert routed["accountability.tasks.send_impunity_digest"] == "notifications"
    # Beat's small periodic tasks never wait behind a report or an export.
    for name in (
        "accountability.tasks.sweep_stalled_reports",
        "accountability.tasks.schedule_followup_reports",
        "accountability.exports.tasks.sweep_stalled_exports",
    ):
        assert routed[name] == "celery"
    assert set(routed.values()) <= {"reports", "exports", "notifications", "celery"}


def test_a_worker_started_without_queues_consumes_every_queue():
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} == {
        "celery",
        "reports",
        "exports",
        "notifications",
    }
    assert settings.CELERY_TASK_DEFAULT_QUEUE == "celery"
    assert set(app.amqp.queues) == {"celery", "reports", "exports", "notifications"}
