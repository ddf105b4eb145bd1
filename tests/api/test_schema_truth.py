"""The schema says what the API does: nullable fields, refused empty parameters, the
answers of conditional writes and of the HTTP server."""

import pytest
from rest_framework.test import APIClient

from accountability.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(world):
    client = APIClient()
    client.force_authenticate(world.users["admin"])
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_a_case_without_a_host_state_matches_the_schema(world, schema):
    Case.objects.filter(pk=world.case_a.pk).update(host_state=None)
    client = APIClient()
    client.force_authenticate(world.users["admin"])

    body = client.get(f"/api/v1/cases/{world.case_a.reference}/").json()

    assert body["host_state"] is None
    field = schema["components"]["schemas"]["Case"]["properties"]["host_state"]
    assert field.get("nullable") is True, field


def test_an_empty_ordering_is_refused_and_the_schema_says_so(world, schema):
    client = APIClient()
    client.force_authenticate(world.users["admin"])

    assert client.get("/api/v1/cases/", {"ordering": ""}).status_code == 400
    for path, method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "ordering":
                assert parameter["schema"]["minItems"] == 1, (method, path)


def test_every_conditional_write_documents_its_412_and_every_operation_its_414(schema):
    for path, method, operation in _operations(schema):
        names = {p["name"] for p in operation.get("parameters", [])}
        if "If-Match" in names:
            assert "412" in operation["responses"], (method, path)
        assert "414" in operation["responses"], (method, path)
        if method in {"post", "put", "patch", "delete"}:
            assert "400" in operation["responses"], (method, path)
