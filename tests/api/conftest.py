"""Clients of the API, one per persona, authenticated with a real token."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache: each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_for(world):
    """client_for("legal_a") → an APIClient sending that persona's token."""

    def make(persona: str) -> APIClient:
        client = APIClient()
        user = world.users[persona]
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def postgres_url() -> str:
    """DATABASE_URL when it names PostgreSQL; else skip (fail under CI=true).

    Like tests/conftest.py's needs_postgres, but reads the environment variable rather
    than the connection: the test using it runs a server in a subprocess.
    """
    import os

    from tests.conftest import IN_CI

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if IN_CI:
            pytest.fail(f"CI needs this service: {reason}")
        pytest.skip(reason)
    return url
