"""Masking is one rule (missions.scope) for every output: a peacekeeper's names and
service number are shown, found and sorted only where the user may see names. Analysts
and liaisons without a grant of names get the mask everywhere: pages, API, exports,
search and ordering; mission staff, legal officers and analysts granted names do not.
"""

from datetime import date

import pytest
from django.urls import reverse

from incidents.choices import Outcome
from incidents.services import casualty_add
from missions.models import Assignment
from tests.factories import PersonnelFactory

pytestmark = pytest.mark.django_db

MASK = "███"
# Who sees the names in mission A (MINUSCA, in the Central African Republic).
SEES = ["admin", "staff_a", "legal_a", "analyst_all"]
MASKED = ["analyst_a", "liaison_a"]


@pytest.fixture
def victims(world):
    """Two peacekeepers of mission A, the first created named ZEBRA, the second ALPHA, so
    the order of ids and the order of names disagree; ZEBRA was killed in incident A."""
    people = []
    for family_name, number in (("ZEBRA", "CAF-SN-000111"), ("ALPHA", "CAF-SN-000222")):
        person = PersonnelFactory(
            family_name=family_name,
            given_name="Moussa",
            service_number=number,
            contributing_country=world.host_b,
        )
        Assignment.objects.create(
            personnel=person, mission=world.mission_a, start_date=date(2024, 1, 1)
        )
        people.append(person)
    casualty = casualty_add(
        actor=world.users["staff_a"],
        incident=world.incident_a,
        personnel=people[0],
        outcome=Outcome.KILLED,
    )
    return people, casualty


@pytest.mark.parametrize("persona", MASKED)
def test_the_api_masks_the_service_number_of_a_casualty(client_for, world, victims, persona):
    _people, casualty = victims
    client = client_for(persona)

    detail = client.get(f"/api/v1/casualties/{casualty.pk}/").json()["personnel"]
    incident = client.get(f"/api/v1/incidents/{world.incident_a.reference}/").json()
    [nested] = [c["personnel"] for c in incident["casualties"] if c["id"] == casualty.pk]

    for person in (detail, nested):
        assert person["service_number"] == MASK
        assert person["family_name"] == MASK
    assert "CAF-SN-000111" not in str(incident)


@pytest.mark.parametrize("persona", MASKED)
def test_the_personnel_list_masks_service_numbers(client_for, victims, persona):
    body = client_for(persona).get("/api/v1/personnel/").json()

    assert body["results"], "the persona sees mission A's peacekeepers"
    assert {p["service_number"] for p in body["results"]} == {MASK}
    assert all(p["names_masked"] for p in body["results"])
    assert "CAF-SN-000" not in str(body)


@pytest.mark.parametrize("persona", SEES)
def test_those_who_see_names_see_the_service_number(client_for, victims, persona):
    people, casualty = victims
    client = client_for(persona)

    detail = client.get(f"/api/v1/casualties/{casualty.pk}/").json()["personnel"]
    found = client.get("/api/v1/personnel/", {"q": "CAF-SN-000111"}).json()["results"]

    assert detail["service_number"] == "CAF-SN-000111"
    assert detail["family_name"] == "ZEBRA"
    assert [p["id"] for p in found] == [people[0].pk]


@pytest.mark.parametrize("persona", MASKED)
@pytest.mark.parametrize(
    "query",
    [
        {"q": "CAF-SN-000111"},
        {"q": "000111"},
        {"q": "ZEBRA"},
        {"service_number": "CAF-SN-000111"},
    ],
)
def test_a_masked_person_cannot_be_found_by_service_number_or_name(
    client_for, victims, persona, query
):
    response = client_for(persona).get("/api/v1/personnel/", query)

    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("persona", MASKED)
@pytest.mark.parametrize("ordering", ["family_name", "-family_name", "service_number"])
def test_ordering_by_name_does_not_betray_masked_names(client_for, victims, persona, ordering):
    people, _casualty = victims
    ids = sorted(p.pk for p in people)

    body = client_for(persona).get("/api/v1/personnel/", {"ordering": ordering}).json()

    listed = [p["id"] for p in body["results"] if p["id"] in ids]
    # Masked rows sort together, by id (descending after "-"), never in true name order.
    assert listed == (ids[::-1] if ordering.startswith("-") else ids)


@pytest.mark.parametrize("persona", SEES)
def test_ordering_by_name_sorts_by_name_where_names_are_shown(client_for, victims, persona):
    people, _casualty = victims

    body = client_for(persona).get("/api/v1/personnel/", {"ordering": "family_name"}).json()

    listed = [p["family_name"] for p in body["results"] if p["id"] in {x.pk for x in people}]
    assert listed == ["ALPHA", "ZEBRA"]


@pytest.mark.parametrize("persona", MASKED)
def test_the_incident_page_shows_neither_name_nor_service_number(
    client_of, world, victims, persona
):
    page = client_of(world.users[persona]).get(
        reverse("incidents:incident_detail", args=[world.incident_a.reference])
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Name withheld" in html
    assert "ZEBRA" not in html and "CAF-SN-000111" not in html


def test_the_incident_page_names_the_victim_to_mission_staff(client_of, world, victims):
    page = client_of(world.users["staff_a"]).get(
        reverse("incidents:incident_detail", args=[world.incident_a.reference])
    )

    assert "ZEBRA Moussa (CAF-SN-000111)" in page.content.decode()


def test_the_casualty_export_masks_the_service_number_for_an_analyst(client_of, world, victims):
    response = client_of(world.users["analyst_a"]).get("/exports/casualties/", {"format": "csv"})

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert MASK.encode() in body
    assert b"CAF-SN-000111" not in body and b"ZEBRA" not in body


def test_one_rule_answers_every_output(world):
    """The pages' boolean and the SQL filter of search and exports agree, persona by
    persona, on incident A's mission and State."""
    from incidents.models import Incident
    from missions.masking import names_visible_q
    from missions.scope import sees_names

    for persona, user in world.users.items():
        if user is None:
            continue
        by_page = sees_names(
            user, mission_id=world.mission_a.pk, country_id=world.incident_a.country_id
        )
        by_sql = (
            Incident.objects.filter(pk=world.incident_a.pk)
            .filter(names_visible_q(user, mission="mission_id", country="country_id"))
            .exists()
        )
        assert by_page == by_sql, persona


@pytest.mark.parametrize("persona", ["analyst_a", "staff_a"])
def test_pages_ordered_by_name_list_everyone_once(client_for, victims, persona):
    client = client_for(persona)
    seen = []
    url = "/api/v1/personnel/?ordering=family_name&page_size=1"
    while url:
        body = client.get(url).json()
        seen += [p["id"] for p in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) >= 2
    assert {p.pk for p in victims[0]} <= set(seen)
