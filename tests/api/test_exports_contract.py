"""The exports endpoints keep to their schema: every invalid request is a 400 with the
error body, nothing is exported for it; capacity support is scoped by its queryset."""

from datetime import date, timedelta

import pytest

from accountability.exports.models import ExportJob
from accountability.models import CapacitySupport

pytestmark = pytest.mark.django_db

FUTURE = (date.today() + timedelta(days=400)).isoformat()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": "case_file"}, "kind"),
        ({"kind": "incidents", "format": ""}, "format"),
        ({"kind": "incidents", "format": "pdf"}, "format"),
        ({"kind": "incidents", "filters": None}, "filters"),
        ({"kind": "incidents", "filters": ["mission"]}, "filters"),
        ({"kind": "incidents", "filters": {"nope": "x"}}, "filters.nope"),
        ({"kind": "cases", "filters": {"outcome": "killed"}}, "filters.outcome"),
        ({"kind": "incidents", "filters": {"status": 1}}, "filters.status"),
        ({"kind": "incidents", "filters": {"has_case": True}}, "filters.has_case"),
        ({"kind": "incidents", "filters": {"status": ""}}, "filters.status"),
        ({"kind": "incidents", "filters": {"status": [["verified"]]}}, "filters.status"),
        ({"kind": "incidents", "filters": {"mission_id": "x"}}, "mission_id"),
        ({"kind": "indicators", "filters": {"mission": "MINUSCA"}}, "filters.mission"),
        ({"kind": "indicators", "filters": {"as_of": ""}}, "filters.as_of"),
        ({"kind": "indicators", "filters": {"as_of": ["2025-01-01"]}}, "filters.as_of"),
        ({"kind": "indicators", "filters": {"as_of": "20250101"}}, "as_of"),
        ({"kind": "indicators", "filters": {"as_of": FUTURE}}, "as_of"),
    ],
)
def test_an_invalid_export_request_is_a_400_and_exports_nothing(client_for, world, body, field):
    response = client_for("admin").post("/api/v1/exports/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert {"code", "detail", "field"} <= set(response.json())
    assert not ExportJob.objects.exists()


def test_filters_are_strings_or_lists_of_strings(client_for, world):
    response = client_for("admin").post(
        "/api/v1/exports/",
        {"kind": "cases", "filters": {"mission": ["MINUSCA"], "q": "", "stage__in": []}},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["filters"] == {"mission": ["MINUSCA"]}


@pytest.mark.parametrize("as_of", ["", "yesterday", "20250101", "2025-W01-1", "2025-02-30", FUTURE])
def test_the_indicators_refuse_an_invalid_as_of(client_for, world, as_of):
    response = client_for("analyst_all").get("/api/v1/exports/indicators/", {"as_of": as_of})

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"


def test_the_indicators_default_to_today(client_for, world):
    response = client_for("analyst_all").get("/api/v1/exports/indicators/")

    assert response.status_code == 200
    assert response.json()["as_of"] == str(date.today())


def test_the_list_filters_by_format_and_refuses_empty_filters(client_for, world):
    api = client_for("admin")
    api.post("/api/v1/exports/", {"kind": "cases", "format": "json"}, format="json")

    # ?format= filters the jobs; it does not pick DRF's renderer (a 404 for csv).
    assert api.get("/api/v1/exports/", {"format": "csv"}).json()["results"] == []
    assert len(api.get("/api/v1/exports/", {"format": "json"}).json()["results"]) == 1
    for name in ("kind", "format", "status"):
        assert api.get("/api/v1/exports/", {name: ""}).status_code == 400


# --- capacity support ---------------------------------------------------------------


def _support(world, host, mission, cases=()):
    support = CapacitySupport.objects.create(
        host_state=host,
        mission=mission,
        provided_on=date.today(),
        institution="police",
        kind="training",
        description="Training",
    )
    support.cases.set(cases)
    return support


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"a", "b", "b_for_case_a"}),
        ("analyst_all", {"a", "b", "b_for_case_a"}),
        ("legal_a", {"a", "b_for_case_a"}),
        ("analyst_a", {"a", "b_for_case_a"}),
        ("staff_a", {"a", "b_for_case_a"}),
        ("liaison_a", {"a", "b_for_case_a"}),
        ("staff_b", {"b", "b_for_case_a"}),
        ("liaison_other", set()),
        ("anonymous", set()),
    ],
)
def test_capacity_support_is_scoped_by_its_queryset(client_for, world, persona, expected):
    from django.contrib.auth.models import AnonymousUser

    supports = {
        "a": _support(world, world.host_a, world.mission_a),
        "b": _support(world, world.host_b, world.mission_b),
        "b_for_case_a": _support(world, world.host_b, None, cases=[world.case_a]),
    }
    names = {s.pk: name for name, s in supports.items()}
    user = world.users[persona] or AnonymousUser()

    visible = {
        names[pk] for pk in CapacitySupport.objects.visible_to(user).values_list("pk", flat=True)
    }

    assert visible == expected
    response = client_for(persona).get("/api/v1/capacity-support/")
    if persona == "anonymous":
        assert response.status_code == 401
    else:
        assert {names[row["id"]] for row in response.json()["results"]} == expected
