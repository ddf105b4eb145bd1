"""The OpenAPI schema documents every operation's answers, errors included; the docs page
is served from vendored assets. Both are for signed-in users only."""

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def signed_in() -> APIClient:
    from django.contrib.auth import get_user_model

    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_user("schema-reader"))
    return client


@pytest.fixture
def schema():
    response = signed_in().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        assert {"403", "429"} <= set(responses), (method, path)
        if path != "/api/v1/auth/token/":
            assert {"401", "404"} <= set(responses), (method, path)
        if method in {"post", "put", "patch"}:
            assert "400" in responses, (method, path)
        for code, response in responses.items():
            # 414 comes from the HTTP server (gunicorn), in its own format.
            if code.startswith(("4", "5")) and code != "414":
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (method, path, code)


def test_updates_document_if_match_412_and_details_their_etag(schema):
    incident = schema["paths"]["/api/v1/incidents/{reference}/"]

    assert "412" in incident["patch"]["responses"]
    assert "If-Match" in {p["name"] for p in incident["patch"]["parameters"]}
    assert "ETag" in incident["get"]["responses"]["200"]["headers"]


def test_every_resource_is_under_v1(schema):
    paths = set(schema["paths"])
    for resource in (
        "missions",
        "countries",
        "personnel",
        "armed-groups",
        "incidents",
        "casualties",
        "cases",
        "investigations",
        "suspects",
        "follow-ups",
        "capacity-support",
    ):
        assert f"/api/v1/{resource}/" in paths
        assert any(p.startswith(f"/api/v1/{resource}/{{") for p in paths)


def test_the_schema_and_the_docs_are_for_signed_in_users_only():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    docs = APIClient().get("/api/docs/")
    script = APIClient().get("/api/docs/", {"script": ""})

    assert schema.status_code == 401
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")
    assert script.status_code == 302


def test_the_docs_page_loads_vendored_assets_only(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("docs-reader"))
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/", {"script": ""})

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
