"""Bad input is a 400 with a message, never a server error.

Each case a security test found as a 500, then every list of the API (read off the live
schema, so a list added later is fuzzed too) and every export page fuzzed in its query
string with hypothesis, as each role.
"""

import base64
import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.test_form_fuzzing import anything

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROLES = ("staff_a", "legal_a", "analyst_a", "liaison_a")
# Cursors as a client can forge them: base64 of DRF's `p=<position>&r=<reverse>&o=<offset>`.
FORGED_CURSORS = [
    "cD0xMjM=",  # p=123
    base64.b64encode(b"p=abc").decode(),
    base64.b64encode(b"p=2024-13-45&r=1").decode(),
    base64.b64encode(b"o=abc").decode(),
    base64.b64encode("p=\x00é".encode()).decode(),
    "not base64 at all",
]


def api_lists(client) -> dict[str, list[str]]:
    """{path: [query parameter names]} of every list operation in the schema."""
    schema = json.loads(client.get("/api/schema/?format=json").content)
    lists = {}
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if "{" in path or get is None:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        lists[path] = sorted({*names, "cursor", "ordering", "page_size"})
    return lists


def test_the_schema_lists_every_cursor_paginated_list(world, client_for):
    lists = api_lists(client_for("staff_a"))

    assert {"/api/v1/incidents/", "/api/v1/cases/", "/api/v1/casualties/"} <= set(lists)
    assert all("cursor" in names for names in lists.values())


@pytest.mark.parametrize("cursor", FORGED_CURSORS)
def test_a_forged_cursor_is_a_400_on_every_list(world, client_for, cursor):
    client = client_for("legal_a")

    for path in api_lists(client):
        response = client.get(path, {"cursor": cursor})

        assert response.status_code in {200, 400}, (path, cursor, response.content[:300])
        if response.status_code == 400:
            assert response.json()["field"] == "cursor", path


def test_a_cursor_whose_position_is_not_of_the_ordering_type_says_so(world, client_for):
    cursor = base64.b64encode(b"p=abc").decode()

    response = client_for("legal_a").get(
        "/api/v1/cases/", {"cursor": cursor, "ordering": "opened_on"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"
    assert "next or previous link" in response.json()["detail"]


def test_an_as_of_date_before_peacekeeping_is_a_400_on_the_api_and_the_page(world, client_for):
    api = client_for("analyst_all").get("/api/v1/exports/indicators/", {"as_of": "0001-01-01"})
    page = Client()
    page.force_login(world.users["analyst_all"])
    html = page.get("/exports/indicators/", {"as_of": "0001-01-01"})

    assert api.status_code == 400
    assert "1948" in api.json()["detail"]
    assert html.status_code == 400
    assert "1948" in html.content.decode()


def test_a_name_search_by_a_user_who_may_not_see_names_exports_nothing(world):
    client = Client()
    client.force_login(world.users["analyst_a"])

    response = client.get("/exports/procedures/", {"q": "abc"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body.decode("utf-8-sig").strip().splitlines()) == 1  # the header only


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
def test_a_body_nested_too_deeply_is_a_400(world, client_for, depth):
    body = "[" * depth + "]" * depth

    response = client_for("staff_a").post(
        "/api/v1/incidents/", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize("persona", ROLES)
def test_no_query_string_to_an_api_list_is_a_server_error(world, client_for, persona):
    client = client_for(persona)
    lists = api_lists(client)
    value = st.one_of(anything(), st.sampled_from(FORGED_CURSORS))

    @FUZZ
    @given(
        path=st.sampled_from(sorted(lists)),
        data=st.data(),
    )
    def get(path, data):
        query = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(lists[path], value)))
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)

    get()


@pytest.mark.parametrize("persona", ["analyst_a", "legal_a", "analyst_all"])
def test_no_query_string_to_an_export_page_is_a_server_error(world, persona):
    client = Client()
    client.force_login(world.users[persona])
    params = ["q", "mission", "host_state", "stage", "status", "outcome", "as_of", "format"]

    @FUZZ
    @given(
        kind=st.sampled_from(["incidents", "casualties", "cases", "procedures", "indicators"]),
        query=st.fixed_dictionaries({}, optional=dict.fromkeys(params, anything())),
    )
    def get(kind, query):
        response = client.get(f"/exports/{kind}/", query)
        assert response.status_code < 500, (kind, query)

    get()
