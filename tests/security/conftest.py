"""Fixtures of the application-security tests (issue 15): API clients per persona, a
signed-in page client, a throwaway media folder."""

import pytest

from tests.api.conftest import _fresh_throttles, client_for  # noqa: F401 (fixtures)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client, signed in as that persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
