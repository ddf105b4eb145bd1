"""Health endpoints, for probes and humans.

- /livez/: liveness. The process answers; no dependency is asked, so an outage of the
  database never makes the orchestrator restart every web process at once.
- /readyz/: readiness. 200 when the database, the broker and the file storage answer,
  503 otherwise: the orchestrator stops sending traffic here until they do.
- /healthz/: the older summary (the database decides; the broker is only reported).

`ProbeMiddleware` (first in MIDDLEWARE) answers the three before host validation and the
HTTPS redirect: an orchestrator probes a pod or container by its IP over plain HTTP.
"""

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


def _storage_state() -> str:
    """Whether the file storage (an S3 bucket when scaled out) answers a lookup."""
    from django.core.files.storage import default_storage

    try:
        default_storage.exists("readyz-probe")
    except Exception as exc:  # botocore and OS errors alike mean "down" to a probe
        logger.warning("readyz: file storage unreachable", extra={"error": str(exc)})
        return "down"
    return "ok"


@never_cache
@require_GET
def livez(request):
    """200 as long as this process serves requests; asks nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """200 when the database, the broker and the file storage all answer; else 503."""
    state = {
        "database": _database_state(),
        "broker": _broker_state(),
        "storage": _storage_state(),
    }
    ready = all(value in {"ok", "in-process"} for value in state.values())
    state["status"] = "ok" if ready else "unavailable"
    return JsonResponse(state, status=200 if ready else 503)


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers; 503 when it does not. The broker is reported
    but does not fail the probe: without it, work is queued and the app stays useful."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = state["database"] == "ok"
    state["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(state, status=200 if healthy else 503)


PROBES = {"/livez/": livez, "/readyz/": readyz, "/healthz/": healthz}


class ProbeMiddleware:
    """Answer the probes before ALLOWED_HOSTS, the HTTPS redirect and the session.

    A probe arrives with the container's or pod's IP as its Host and over plain HTTP
    inside the cluster: without this, `ALLOWED_HOSTS=peacekeeping.example.org` makes every
    probe a 400 and the orchestrator never routes traffic to a healthy process.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
