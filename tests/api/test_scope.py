"""The API is scoped exactly like the pages: `visible_to(user)` for every read and write.

Outside the scope an object is absent (404, never listed); in scope but not the user's to
change, a write is a 403; names are masked for analysts and liaisons unless granted.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from missions.models import Assignment, Personnel

pytestmark = pytest.mark.django_db

# A moment recent enough to be after nothing and in no future.
RECENT = (datetime.now(UTC) - timedelta(days=30)).isoformat()

MASK = "███"


def _detail_urls(world, side: str) -> list[str]:
    incident, case, suspect = (
        getattr(world, f"incident_{side}"),
        getattr(world, f"case_{side}"),
        getattr(world, f"suspect_{side}"),
    )
    return [
        f"/api/v1/incidents/{incident.reference}/",
        f"/api/v1/casualties/{incident.casualties.get().pk}/",
        f"/api/v1/cases/{case.reference}/",
        f"/api/v1/suspects/{suspect.pk}/",
        f"/api/v1/follow-ups/{case.follow_ups.get().pk}/",
    ]


LISTS = ["incidents", "casualties", "cases", "suspects", "follow-ups", "investigations"]


@pytest.mark.parametrize("persona", ["staff_a", "legal_a", "analyst_a", "liaison_a"])
def test_another_missions_objects_are_404(client_for, world, persona):
    client = client_for(persona)

    for url in _detail_urls(world, "b"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"code": "not_found", "detail": "Not found.", "field": None}


@pytest.mark.parametrize("persona", ["staff_a", "legal_a", "analyst_a", "liaison_a"])
def test_listing_never_leaks_another_missions_objects(client_for, world, persona):
    client = client_for(persona)
    hidden = {world.incident_b.reference, world.case_b.reference}

    for name in LISTS:
        body = client.get(f"/api/v1/{name}/", {"page_size": 500}).content.decode()
        assert not any(reference in body for reference in hidden), name
        assert "MUKENDI" not in body, name
    # Filtering by the other mission does not widen the scope either.
    response = client.get("/api/v1/incidents/", {"mission": "MONUSCO"})
    assert response.json()["results"] == []


def test_a_liaison_sees_only_the_cases_of_its_state(client_for, world):
    response = client_for("liaison_fr").get("/api/v1/cases/")

    assert [c["reference"] for c in response.json()["results"]] == [world.case_b.reference]


def test_mission_staff_cannot_see_suspects(client_for, world):
    client = client_for("staff_a")

    assert client.get("/api/v1/suspects/").json()["results"] == []
    assert client.get(f"/api/v1/suspects/{world.suspect_a.pk}/").status_code == 404
    assert client.get("/api/v1/follow-ups/").json()["results"] == []
    case = client.get(f"/api/v1/cases/{world.case_a.reference}/").json()
    assert case["suspects"] is None
    assert "KOYAMBA" not in str(case)


def test_analyst_a_sees_suspects_and_victims_with_masked_names(client_for, world):
    person = Personnel.objects.create(
        service_number="BD-1",
        contributing_country=world.host_a,
        given_name="Rahim",
        family_name="UDDIN",
        category="military_contingent",
    )
    Assignment.objects.create(personnel=person, mission=world.mission_a, start_date="2020-01-01")
    casualty = world.incident_a.casualties.get()
    casualty.personnel = person
    casualty.save()
    client = client_for("analyst_a")

    suspect = client.get(f"/api/v1/suspects/{world.suspect_a.pk}/").json()
    victim = client.get(f"/api/v1/casualties/{casualty.pk}/").json()["personnel"]
    listed = client.get("/api/v1/personnel/").json()["results"]
    incident = client.get(f"/api/v1/incidents/{world.incident_a.reference}/").json()

    assert suspect["name"] == MASK
    assert (victim["given_name"], victim["family_name"]) == (MASK, MASK)
    assert [(p["given_name"], p["family_name"]) for p in listed] == [(MASK, MASK)]
    assert "UDDIN" not in str(incident)
    # A masked name cannot be found by searching for it either.
    assert client.get("/api/v1/suspects/", {"q": "KOYAMBA"}).json()["results"] == []
    assert client.get("/api/v1/personnel/", {"q": "UDDIN"}).json()["results"] == []
    # The legal officer of the mission sees them.
    legal = client_for("legal_a")
    assert legal.get(f"/api/v1/suspects/{world.suspect_a.pk}/").json()["name"] == (
        "Jean-Baptiste KOYAMBA"
    )
    assert legal.get("/api/v1/personnel/", {"q": "UDDIN"}).json()["results"][0]["family_name"] == (
        "UDDIN"
    )


def test_an_analyst_granted_names_sees_them(client_for, world):
    response = client_for("analyst_all").get(f"/api/v1/suspects/{world.suspect_b.pk}/")

    assert response.json()["name"] == "Pierre MUKENDI"


@pytest.mark.parametrize("persona", ["liaison_a", "analyst_a"])
def test_read_only_roles_cannot_write(client_for, world, persona):
    client = client_for(persona)
    incident, case = world.incident_a.reference, world.case_a.reference
    writes = [
        ("post", "/api/v1/incidents/", {}),
        ("patch", f"/api/v1/incidents/{incident}/", {"place": "Bangui"}),
        ("post", f"/api/v1/incidents/{incident}/verify/", {}),
        ("post", f"/api/v1/incidents/{incident}/casualties/", {"outcome": "injured"}),
        ("patch", f"/api/v1/cases/{case}/", {"summary": "x"}),
        ("post", f"/api/v1/cases/{case}/investigations/", {}),
        ("post", f"/api/v1/cases/{case}/suspects/", {}),
        ("post", f"/api/v1/cases/{case}/follow-ups/", {}),
        ("post", f"/api/v1/suspects/{world.suspect_a.pk}/steps/", {}),
        ("post", "/api/v1/capacity-support/", {}),
    ]

    for method, url, body in writes:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.content)
        assert response.json()["code"] == "permission_denied"
    world.incident_a.refresh_from_db()
    assert world.incident_a.place == "Route 7"


def test_mission_staff_cannot_change_a_case(client_for, world):
    response = client_for("staff_a").post(
        f"/api/v1/cases/{world.case_a.reference}/follow-ups/",
        {"sent_on": str(date.today()), "channel": "letter", "summary": "x"},
        format="json",
    )

    assert response.status_code == 403


def test_writes_naming_objects_outside_the_scope_are_refused(client_for, world):
    client = client_for("staff_a")
    other = Personnel.objects.create(
        service_number="CD-9",
        contributing_country=world.host_b,
        given_name="Kabila",
        family_name="X",
        category="military_contingent",
    )
    Assignment.objects.create(personnel=other, mission=world.mission_b, start_date="2020-01-01")

    # An incident for the other mission: the mission is refused as out of scope.
    response = client.post(
        "/api/v1/incidents/",
        {
            "mission": world.mission_b.pk,
            "occurred_at": RECENT,
            "incident_type": "accident",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_scope"
    assert response.json()["field"] == "mission"

    # A casualty on the other mission's incident: that incident is not found.
    response = client.post(
        f"/api/v1/incidents/{world.incident_b.reference}/casualties/",
        {"outcome": "injured", "category": "military_contingent"},
        format="json",
    )
    assert response.status_code == 404

    # A peacekeeper of the other mission on one's own incident: out of scope.
    response = client.post(
        f"/api/v1/incidents/{world.incident_a.reference}/casualties/",
        {"outcome": "injured", "personnel": other.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_scope"
    assert world.incident_a.casualties.count() == 1


def test_clients_cannot_set_reference_mission_status_or_version(client_for, world):
    incident = world.incident_a
    response = client_for("staff_a").patch(
        f"/api/v1/incidents/{incident.reference}/",
        {
            "place": "Bria",
            "reference": "FORGED-1",
            "mission": world.mission_b.pk,
            "status": "verified",
            "version": 99,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert (incident.place, incident.reference, incident.mission_id, incident.status) == (
        "Bria",
        world.incident_a.reference,
        world.mission_a.pk,
        "submitted",
    )
    assert incident.version == 3


@pytest.mark.parametrize("persona", ["anonymous", "deactivated"])
def test_without_valid_credentials_the_answer_is_401(client_for, world, persona):
    response = client_for(persona).get("/api/v1/incidents/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v1/suspects/%0A/", "/api/v1/countries/%DF%81/"]
)
def test_a_path_that_names_nothing_is_a_json_404(client_for, world, path):
    response = client_for("admin").get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
