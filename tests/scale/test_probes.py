"""/livez/ and /readyz/: what an orchestrator asks before restarting a process or sending
it traffic. Both are answered before host validation, as a probe uses the pod's IP."""

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper


def refuse(*args, **kwargs):
    from django.db import OperationalError

    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_ready_when_the_database_the_broker_and_the_storage_answer(client):
    response = client.get("/readyz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == body["storage"] == "ok"
    assert body["broker"] in {"ok", "in-process"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_not_ready_when_the_storage_is_unreachable(client, monkeypatch):
    from django.core.files.storage import default_storage

    def unreachable(name):
        raise ConnectionError("object store unreachable")

    monkeypatch.setattr(default_storage, "exists", unreachable)

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.json()["storage"] == "down"


@pytest.mark.django_db
def test_not_ready_but_alive_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    ready = client.get("/readyz/")
    alive = client.get("/livez/")

    assert (ready.status_code, ready.json()["database"]) == (503, "down")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_not_ready_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/readyz/")

    assert (response.status_code, response.json()["broker"]) == (503, "down")


@pytest.mark.parametrize("path", ["/livez/", "/readyz/", "/healthz/"])
@pytest.mark.django_db
def test_probes_by_ip_are_answered_whatever_allowed_hosts_says(client, settings, path):
    settings.ALLOWED_HOSTS = ["peacekeeping.example.org"]

    assert client.get(path, HTTP_HOST="10.42.0.7:8000").status_code == 200
    # Any other page still refuses a host it does not know.
    assert client.get("/accounts/login/", HTTP_HOST="10.42.0.7:8000").status_code == 400


def test_probes_come_before_any_other_middleware(settings):
    assert settings.MIDDLEWARE[0] == "peacekeeping.health.ProbeMiddleware"


@pytest.mark.django_db
def test_probes_only_answer_get(client):
    assert client.post("/livez/").status_code == 405
    assert client.post("/readyz/").status_code == 405
