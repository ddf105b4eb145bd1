"""Redis down while mission staff submit incidents: every incident is saved, the user is
told background work is delayed, and the jobs run once Redis is back (the outbox).

The broker and the cache point at a Redis of the test's own that is not running (a
free port where nothing answers); then it starts, and a real worker or the publisher
sends what waited in PostgreSQL.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accountability.models import Case
from incidents.models import Incident
from peacekeeping.celery import app
from peacekeeping.models import AuditEntry
from peacekeeping.outbox import broker_available
from peacekeeping.outbox_models import OutboxMessage
from tests.reliability.conftest import broker_at, wait_for
from tests.ui.post_data import KILLED_SOLDIER, incident_post

pytestmark = pytest.mark.django_db(transaction=True)

NOTIFY = "incidents.tasks.notify_case_opened"


@pytest.fixture
def redis_down(own_redis, settings):
    """Broker and cache at our own Redis, which is not running (yet)."""
    settings.CACHES = {
        **settings.CACHES,  # the page fragments' local cache stays
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "pk",
        },
    }
    with broker_at(own_redis.url):
        yield own_redis


def submit(client, mission, place: str):
    data = incident_post(mission, casualties=[KILLED_SOLDIER], action="submit", place=place)
    return client.post(reverse("incidents:incident_create"), data, follow=True)


def cases_of(places) -> list[int]:
    return sorted(
        Case.objects.filter(case_incidents__incident__place__in=places).values_list("pk", flat=True)
    )


def notify_messages(case_ids):
    return OutboxMessage.objects.filter(task_name=NOTIFY, kwargs__case_id__in=case_ids)


def test_while_redis_is_down_every_submission_is_saved_and_the_user_is_told(
    world, redis_down, client_of
):
    client = client_of(world.users["staff_a"])
    places = ["Bria", "Kaga-Bandoro", "Bambari"]

    pages = [submit(client, world.mission_a, place) for place in places]

    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert "was submitted" in text
        assert "Background work (notifications, reports) is delayed" in text
    saved = Incident.objects.filter(place__in=places, status="submitted")
    assert saved.count() == 3
    cases = cases_of(places)
    assert len(cases) == 3
    pending = notify_messages(cases)
    assert pending.count() == 3
    assert all(m.published_at is None for m in pending)
    # The health check (one PING, cached a few seconds) says so without a publish attempt.
    assert not broker_available()


def test_jobs_left_while_redis_was_down_run_when_it_is_back_and_a_worker_starts(
    needs_postgres, world, redis_down, client_of, start_worker
):
    client = client_of(world.users["staff_a"])
    places = ["Ndélé", "Obo"]
    for place in places:
        assert submit(client, world.mission_a, place).status_code == 200
    cases = cases_of(places)
    assert notify_messages(cases).filter(published_at__isnull=True).count() == 2

    redis_down.start()
    worker = start_worker(redis_down.url)

    # The worker publishes the outbox as it starts (worker_ready), then runs the jobs.
    def notified():
        return AuditEntry.objects.filter(
            action="case.notify_opened",
            object_type="accountability.case",
            object_id__in=[str(pk) for pk in cases],
        ).count() == len(cases)

    wait_for(notified, timeout=120, what="the e-mails of the two cases", log=worker.log)
    assert notify_messages(cases).filter(published_at__isnull=True).count() == 0
    entries = AuditEntry.objects.filter(action="case.notify_opened", object_id__in=map(str, cases))
    # legal_a is MINUSCA's legal officer: one e-mail per case.
    assert [entry.changes["recipients"] for entry in entries] == [[None, 1], [None, 1]]


def test_the_publisher_sends_what_waited_in_order_once_redis_is_back(world, redis_down, client_of):
    client = client_of(world.users["staff_a"])
    places = ["Birao", "Sibut", "Bossangoa"]
    for place in places:
        submit(client, world.mission_a, place)
    waiting = list(
        OutboxMessage.objects.filter(published_at__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    assert len(waiting) >= 3

    redis_down.start()
    out = StringIO()
    call_command("publish_outbox", stdout=out)
    assert "published" in out.getvalue()

    assert not OutboxMessage.objects.filter(pk__in=waiting, published_at__isnull=True).exists()
    # Kombu pushes on the left and workers pop on the right: oldest first. (E-mails go
    # to the "notifications" queue: CELERY_TASK_ROUTES.)
    queue = app.amqp.router.route({}, NOTIFY)["queue"].name
    queued = [json.loads(raw) for raw in reversed(redis_down.client().lrange(queue, 0, -1))]
    ids = [int(message["headers"]["id"].split("-")[1]) for message in queued]
    assert ids == sorted(ids) and set(waiting) <= set(ids)
    # The case e-mails, and the in-app notifications of the same events (same queue).
    assert {message["headers"]["task"] for message in queued} == {
        NOTIFY,
        "accountability.notifications.tasks.notify_event",
    }
