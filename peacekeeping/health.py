"""Health endpoint: the state of the database and the broker, for probes and humans."""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" to a probe
        logger.warning("healthz: database unreachable", extra={"error": str(exc)})
        return "down"
    return "ok"


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError as exc:
        logger.warning("healthz: broker unreachable", extra={"error": str(exc)})
        return "down"
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers; 503 when it does not. The broker is reported
    but does not fail the probe: without it, work is queued and the app stays useful."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = state["database"] == "ok"
    state["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(state, status=200 if healthy else 503)
