"""The health endpoint tells a probe whether the app can serve.

Its 503 when the database is unreachable is proven against a real server whose database
is a closed port: tests/reliability/test_database_down.py.
"""

import pytest


@pytest.mark.django_db
def test_it_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_it_reports_the_real_broker(client, needs_redis):
    assert client.get("/healthz/").json()["broker"] == "ok"
