"""API throttles that survive a cache (Redis) outage and still throttle.

DRF keeps each client's request times in the shared cache; with Redis down, reading
them raised redis's ConnectionError and every API call answered 500. These throttles
fall back to counters in this process's memory while the shared cache fails: limits
still hold (per process, so at most N times looser with N web processes, never open),
and the API stays up. After a failure the shared cache is left alone for
BROKER_HEALTH_CACHE_SECONDS, so an outage costs one failed connection per process per
interval, not one per request; then it is tried again.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from rest_framework import throttling

logger = logging.getLogger(__name__)

CACHE_ERRORS = (redis.exceptions.RedisError, ConnectionError, TimeoutError, OSError)

_local = LocMemCache("api-throttle-fallback", {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4})
_shared = {"down_until": float("-inf")}
_lock = threading.Lock()


def shared_cache_down() -> bool:
    with _lock:
        return time.monotonic() < _shared["down_until"]


def _mark_shared_cache_down(exc: BaseException) -> None:
    with _lock:
        _shared["down_until"] = time.monotonic() + max(settings.BROKER_HEALTH_CACHE_SECONDS, 1)
    logger.warning(
        "API throttling: the shared cache is unreachable, counting in this process",
        extra={"error": f"{type(exc).__name__}: {exc}"},
    )


def forget_outage() -> None:
    """Tests: try the shared cache again at once."""
    with _lock:
        _shared["down_until"] = float("-inf")


class FailSafeThrottleMixin:
    """Count in the shared cache; in this process's memory while it fails."""

    def allow_request(self, request, view):
        if not shared_cache_down():
            try:
                return super().allow_request(request, view)
            except CACHE_ERRORS as exc:
                _mark_shared_cache_down(exc)
        self.cache = _local
        return super().allow_request(request, view)


class AnonRateThrottle(FailSafeThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailSafeThrottleMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailSafeThrottleMixin, throttling.ScopedRateThrottle):
    pass
