"""Session authentication for the browser, tokens for scripts, throttling for everyone."""

import pytest
from django.conf import settings
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from peacekeeping.models import AuditEntry
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_script_exchanges_a_username_and_password_for_a_working_token(world):
    client = APIClient()

    response = client.post(
        "/api/v1/auth/token/", {"username": "legal_a", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert Token.objects.get(user=world.users["legal_a"]).key == token
    assert AuditEntry.objects.filter(action="api_token.create").exists()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").json()["results"][0]["reference"] == (
        world.case_a.reference
    )


@pytest.mark.parametrize(
    ("username", "password"),
    [("legal_a", "wrong-password-123"), ("deactivated", PASSWORD), ("nobody", PASSWORD)],
)
def test_no_token_without_valid_credentials(world, username, password):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert not Token.objects.filter(user__username=username).exists()


def test_create_api_token_prints_the_users_token(world, capsys):
    call_command("create_api_token", "analyst_a")
    token = capsys.readouterr().out.strip()

    assert Token.objects.get(user=world.users["analyst_a"]).key == token
    call_command("create_api_token", "analyst_a")
    assert capsys.readouterr().out.strip() == token
    call_command("create_api_token", "analyst_a", "--reset")
    assert capsys.readouterr().out.strip() != token


def test_the_browser_uses_its_session_and_csrf_protects_writes(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["staff_a"])

    assert client.get("/api/v1/incidents/").status_code == 200
    response = client.post(f"/api/v1/incidents/{world.incident_a.reference}/verify/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_throttling_is_configured_for_users_and_anonymous_clients():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]

    assert "peacekeeping.api_throttling.UserRateThrottle" in classes
    assert "peacekeeping.api_throttling.AnonRateThrottle" in classes
    assert {"user", "anon", "token"} <= set(rates)


def test_a_client_over_its_rate_gets_429_with_retry_after(client_for, world, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"}
    )
    client = client_for("analyst_a")

    statuses = [client.get("/api/v1/cases/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/cases/")
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_repeated_failures_lock_token_requests_with_a_json_429(world):
    client = APIClient()
    attempts = [
        client.post(
            "/api/v1/auth/token/", {"username": "legal_a", "password": "wrong"}, format="json"
        )
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]

    assert attempts[0].status_code == 400
    assert attempts[-1].status_code == 429
    assert attempts[-1].json()["code"] == "throttled"
    # Locked: even the right password gets no token until the cool-off has passed.
    right = client.post(
        "/api/v1/auth/token/", {"username": "legal_a", "password": PASSWORD}, format="json"
    )
    assert right.status_code == 429
    assert not Token.objects.filter(user=world.users["legal_a"]).exists()


def test_a_write_through_a_token_names_its_author_in_the_row_history(
    client_for, world, needs_postgres
):
    from peacekeeping.models import RowHistory

    incident = world.incident_a
    response = client_for("staff_a").patch(
        f"/api/v1/incidents/{incident.reference}/", {"place": "Bria"}, format="json"
    )

    assert response.status_code == 200
    update = RowHistory.objects.filter(
        table_name="incidents_incident", object_id=str(incident.pk), operation="UPDATE"
    ).latest("id")
    assert update.actor_name == "staff_a"
    assert update.after["place"] == "Bria"
