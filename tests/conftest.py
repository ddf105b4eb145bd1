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


# --- markers (docs/developers/testing.md) ----------------------------------------------
# What a test needs, read off the fixtures it asks for, so that `-m "not worker"` and the
# fast lane (`make test-fast`) select exactly: a new test is marked by using the fixture.
MARKED_BY_FIXTURE = {
    "needs_postgres": "postgres",
    "needs_redis": "redis",
    # A real Celery worker: embedded in this process, or `celery worker` processes.
    "embedded_worker": "worker",
    "worker_processes": "worker",
    "start_worker": "worker",
    # Playwright's page: Debian's Chromium.
    "page": "browser",
}
# Modules whose tests each take more than about 20 seconds on a 2-core machine, measured
# with `pytest --durations`: subprocess servers and workers, fuzzing, whole stacks.
SLOW_MODULES = {
    "tests/api/test_schemathesis.py",
    "tests/bench/test_bench_smoke.py",
    "tests/exports/test_worker.py",
    "tests/incidents/test_import_un_fatalities_real_file.py",
    "tests/reliability/test_backup.py",
    "tests/reliability/test_database_down.py",
    "tests/reliability/test_form_fuzzing.py",
    "tests/reliability/test_production_headers.py",
    "tests/reliability/test_redis_down.py",
    "tests/reliability/test_redis_restart.py",
    "tests/reports/test_worker.py",
    "tests/scale/test_scale_out.py",
}
WORKER_MODULES = {
    "tests/exports/test_worker.py",
    "tests/reports/test_worker.py",
    "tests/scale/test_scale_out.py",
}


def pytest_collection_modifyitems(config, items):
    root = Path(str(config.rootpath))
    for item in items:
        module = Path(str(item.path)).relative_to(root).as_posix()
        fixtures = set(getattr(item, "fixturenames", ()))
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in fixtures:
                item.add_marker(marker)
        if module in WORKER_MODULES:
            item.add_marker("worker")
        if module in SLOW_MODULES:
            item.add_marker("slow")


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
    database test starts with the countries and missions put back when they are missing,
    as the migration first loaded them. (pytest-django runs transactional tests after the
    others, as far as the grouping of browser tests lets it.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker and marker.kwargs.get("transaction")) or "live_server" in (
        request.fixturenames
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker or "db" in request.fixturenames:
        # pytest groups the tests of a parametrized browser fixture together, which can
        # put a plain database test after a transactional one: it finds the reference
        # data put back too (inside its own transaction, rolled back after it).
        request.getfixturevalue("db")
    else:
        return
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
