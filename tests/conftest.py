"""Shared fixtures: service gates, personas, the shared data folder.

A test that needs a real service asks for it through a fixture. Without the service the
test is skipped with its reason, except in CI (CI=true), where it fails: CI never passes
by skipping.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    # PBKDF2 at production strength costs ~0.5 s a password: tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def needs_redis():
    if not settings.REDIS_URL:
        _unavailable("needs Redis: set REDIS_URL=redis://...")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis at REDIS_URL is unreachable: {exc}")


@pytest.fixture
def shared_data_dir() -> Path:
    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "odp_noticas.csv").exists():
        _unavailable(f"the shared data folder is missing: {path} (set SHARED_DATA_DIR)")
    return path


@pytest.fixture
def world(db):
    """Two missions, their cases, and one persona per role (tests/personas.py)."""
    from tests.personas import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _english_by_default():
    """Each test starts in English, whatever language an earlier test left active."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):
    """A transactional test ends by emptying every table, reference data included: each
    transactional (or live-server) test starts with the countries and missions put back,
    as the migration first loaded them. (pytest-django runs these after the others.)"""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "live_server" not in (
        request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db")
    from missions.importers import (
        COUNTRIES_JSON,
        MISSIONS_JSON,
        read_reference_json,
        reference_countries_sync,
        reference_missions_sync,
    )
    from missions.models import Country, Mission

    if not Mission.objects.exists():
        reference_countries_sync(Country, read_reference_json(COUNTRIES_JSON))
        reference_missions_sync(Mission, Country, read_reference_json(MISSIONS_JSON))


@pytest.fixture(autouse=True)
def _broker_health_forgotten():
    """The outbox caches whether the broker answered: a test that took the broker down must
    not leave the next test believing it is still down."""
    from peacekeeping import outbox

    outbox._broker.update(checked=float("-inf"), up=True)
    yield
    outbox._broker.update(checked=float("-inf"), up=True)
