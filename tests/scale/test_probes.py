"""/livez/ and /readyz/: what an orchestrator asks before restarting a process or sending
it traffic. Both are answered before host validation, as a probe uses the pod's IP.

The database being down is proven against a real server whose database is a closed port:
tests/reliability/test_database_down.py (not ready, yet alive).
"""

import pytest
from botocore.config import Config

# Nothing listens on port 1 of this machine: connections to it are refused at once.
CLOSED = "127.0.0.1:1"


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
def test_not_ready_when_the_storage_is_unreachable(client, settings):
    # An S3 bucket at an endpoint where nothing listens; one attempt, not boto3's retries.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "evidence",
                "endpoint_url": f"http://{CLOSED}",
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "client_config": Config(connect_timeout=1, retries={"total_max_attempts": 1}),
            },
        },
    }

    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response.json()["storage"] == "down"


@pytest.mark.django_db
def test_not_ready_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = f"redis://{CLOSED}/0"

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
    # Only the security headers wrap them (a header on the way out, no check on the way in).
    assert settings.MIDDLEWARE[:2] == [
        "peacekeeping.middleware.BaselineSecurityHeadersMiddleware",
        "peacekeeping.health.ProbeMiddleware",
    ]


@pytest.mark.django_db
def test_probes_only_answer_get(client):
    assert client.post("/livez/").status_code == 405
    assert client.post("/readyz/").status_code == 405
