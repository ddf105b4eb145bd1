"""Redis down: the API stays up, still throttles, and says when its work is delayed.

The cache (DRF's throttle counters) and the broker point at a Redis of the test's own
that is not running; later it starts, and the outbox delivers what waited, once.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from accountability.reports.models import FollowUpReport
from peacekeeping import api_throttling
from peacekeeping.outbox_models import OutboxMessage
from tests.reliability.conftest import broker_at

pytestmark = pytest.mark.django_db(transaction=True)

BUILD = "accountability.tasks.build_followup_report"


@pytest.fixture
def redis_down(own_redis, settings):
    """Cache and broker at our own Redis, which is not running (yet)."""
    settings.CACHES = {
        **settings.CACHES,  # the page fragments' local cache stays
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": own_redis.url,
            "KEY_PREFIX": "pk",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    api_throttling.forget_outage()
    api_throttling._local.clear()
    with broker_at(own_redis.url):
        yield own_redis
    api_throttling.forget_outage()
    api_throttling._local.clear()


def api_client(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_every_kind_of_api_call_answers_while_redis_is_down(world, redis_down):
    client = api_client(world.users["legal_a"])

    assert client.get("/api/v1/cases/").status_code == 200
    assert client.get(f"/api/v1/cases/{world.case_a.reference}/").status_code == 200
    assert APIClient().get("/api/v1/cases/").status_code == 401  # anonymous throttle too
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "legal_a", "password": "wrong password here"}
    )
    assert token.status_code == 400  # the token throttle counted, the answer is the API's


def test_throttling_still_holds_while_redis_is_down(world, redis_down, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "user": "3/minute"},
    )
    client = api_client(world.users["analyst_a"])

    answers = [client.get("/api/v1/incidents/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_a_report_asked_for_while_redis_is_down_is_queued_delayed_then_built_once(
    world, redis_down
):
    client = api_client(world.users["legal_a"])

    response = client.post("/api/v1/followup-reports/", {"host_state": world.host_a.iso3})

    assert response.status_code == 201
    assert response["Background-Work"] == "delayed"
    report = FollowUpReport.objects.get(pk=response.json()["id"])
    assert report.status == FollowUpReport.Status.PENDING
    waiting = OutboxMessage.objects.filter(task_name=BUILD, kwargs__report_id=report.pk)
    assert waiting.get().published_at is None

    redis_down.start()
    call_command("publish_outbox", stdout=StringIO())
    call_command("publish_outbox", stdout=StringIO())

    assert waiting.get().published_at is not None
    queued = [json.loads(raw) for raw in redis_down.client().lrange("reports", 0, -1)]
    ids = [m["headers"]["id"] for m in queued if m["headers"]["task"] == BUILD]
    assert len(ids) == 1  # sent once, though published twice
    assert ids[0].startswith(f"outbox-{waiting.get().pk}-")


def test_an_api_write_with_redis_up_says_nothing_of_delays(world, redis_down):
    redis_down.start()
    client = api_client(world.users["legal_a"])

    response = client.post("/api/v1/followup-reports/", {"host_state": world.host_a.iso3})

    assert response.status_code == 201
    assert "Background-Work" not in response


def test_the_command_says_its_reports_are_queued_but_delayed(world, redis_down):
    out, err = StringIO(), StringIO()

    call_command("build_followup_reports", state=world.host_a.iso3, stdout=out, stderr=err)

    assert "queued (pending) but delayed" in out.getvalue()
    assert "unreachable" in err.getvalue()


def test_the_schema_documents_the_delay_header_on_writes(world):
    client = api_client(world.users["legal_a"])
    schema = client.get("/api/schema/?format=json").json()

    created = schema["paths"]["/api/v1/followup-reports/"]["post"]["responses"]["201"]
    assert "Background-Work" in created["headers"]
