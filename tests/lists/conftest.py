"""Fixtures of the page tests: signed-in clients of the personas."""

import pytest


@pytest.fixture
def client_of(client):
    """`client_of(user)`: the test client, signed in as that persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
