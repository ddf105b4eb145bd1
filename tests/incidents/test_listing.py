"""Lists built from plain values (incidents.listing) show what the model instances did.

The API's list is built without IncidentSerializer; its answer must stay the one that
serializer gives for the same incidents, field for field. The list page's rows are
rendered in Python; each cell must show what the template showed.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from accountability.models import CaseIncident
from incidents.api.serializers import IncidentSerializer
from incidents.choices import AttackType, IncidentStatus, IncidentType, Outcome
from incidents.models import ArmedGroup, Incident
from tests.factories import CaseFactory, CasualtyFactory, IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(world):
    """client_for("admin") → an APIClient sending that persona's token."""

    def make(persona: str) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=world.users[persona])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def _varied_incidents(world) -> list[Incident]:
    """Incidents that exercise every branch of a row: no country, coordinates, an attack
    type, perpetrators out of alphabetical order, a case, casualties, an accident."""
    zulu = ArmedGroup.objects.create(name="Zulu Front")
    alpha = ArmedGroup.objects.create(name="Alpha <Brigade> & co")
    with_all = IncidentFactory(
        reference="MINUSCA-L-0001",
        mission=world.mission_a,
        country=world.host_a,
        occurred_at=datetime(2024, 3, 5, 23, 30, tzinfo=UTC),
        place="Bangui <north>",
        latitude=Decimal("4.36122"),
        longitude=Decimal("-18.55496"),
        attack_type=AttackType.AMBUSH,
        status=IncidentStatus.VERIFIED,
        perpetrator_unknown=False,
    )
    with_all.perpetrators.set([zulu, alpha])
    CasualtyFactory(incident=with_all, outcome=Outcome.KILLED)
    CasualtyFactory(incident=with_all, outcome=Outcome.KILLED)
    CasualtyFactory(incident=with_all, outcome=Outcome.INJURED)
    case = CaseFactory(reference="CASE-MINUSCA-L-0001", mission=world.mission_a)
    CaseIncident.objects.create(case=case, incident=with_all)
    bare = IncidentFactory(
        reference="MINUSCA-L-0002",
        mission=world.mission_a,
        country=None,
        occurred_at=datetime(2023, 1, 1, 0, 0, tzinfo=UTC),
        place="",
        admin_area="Ouaka",
        incident_type=IncidentType.ACCIDENT,
    )
    return [with_all, bare, world.incident_a]


def _serialized(incidents, request) -> dict:
    """What the list answered before: IncidentSerializer over model instances."""
    queryset = (
        Incident.objects.filter(pk__in=[i.pk for i in incidents])
        .select_related("mission", "country", "case_link__case")
        .prefetch_related(Prefetch("perpetrators", queryset=ArmedGroup.objects.only("id", "name")))
        .with_casualty_counts()
    )
    data = IncidentSerializer(queryset, many=True, context={"request": request}).data
    return {row["reference"]: dict(row) for row in data}


def test_the_api_list_answers_what_the_incident_serializer_gave(world, client_for):
    incidents = _varied_incidents(world)

    response = client_for("admin").get("/api/v1/incidents/", {"page_size": 500})

    assert response.status_code == 200
    listed = {row["reference"]: row for row in response.json()["results"]}
    request = APIRequestFactory().get("/api/v1/incidents/")
    expected = _serialized(incidents, request)
    for reference, row in expected.items():
        assert listed[reference] == _jsonable(row)
        assert list(listed[reference]) == list(row)  # the same fields, in the same order
    assert [p["name"] for p in listed["MINUSCA-L-0001"]["perpetrators"]] == [
        "Alpha <Brigade> & co",
        "Zulu Front",
    ]
    assert (listed["MINUSCA-L-0001"]["killed"], listed["MINUSCA-L-0001"]["injured"]) == (2, 1)
    assert listed["MINUSCA-L-0001"]["case"] == "CASE-MINUSCA-L-0001"
    assert listed["MINUSCA-L-0002"]["country"] is None


def _jsonable(value):
    """The serializer's data as the JSON answer carries it."""
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(value, cls=JSONEncoder))


def test_the_api_list_still_pages_by_cursor_in_every_allowed_order(world, client_for):
    _varied_incidents(world)
    client = client_for("admin")

    for ordering in ("-occurred_at", "reference", "-created_at", "updated_at", "id"):
        seen, url = [], f"/api/v1/incidents/?page_size=1&ordering={ordering}"
        while url:
            page = client.get(url).json()
            seen += [row["reference"] for row in page["results"]]
            url = page["next"]
        assert len(seen) == len(set(seen)) == Incident.objects.count(), ordering


def test_the_api_list_keeps_the_scope(world, client_for):
    _varied_incidents(world)

    listed = client_for("staff_b").get("/api/v1/incidents/").json()["results"]

    assert listed
    assert all(row["mission"]["id"] == world.mission_b.pk for row in listed)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_list_row_shows_each_cell_as_the_template_did(world, client_of, language):
    _varied_incidents(world)

    with translation.override(language):
        response = client_of(world.users["admin"]).get(
            reverse("incidents:incident_list"), {"q": "MINUSCA-L"}
        )
        rows = {row.reference: row for row in response.context["page_obj"]}
        full = rows["MINUSCA-L-0001"]
        incident = Incident.objects.get(reference="MINUSCA-L-0001")
        html = str(full.html)
        assert f'<a href="{incident.get_absolute_url()}">MINUSCA-L-0001</a>' in html
        assert f"<td>{date_format(incident.occurred_on, 'SHORT_DATE_FORMAT')}</td>" in html
        assert "Bangui &lt;north&gt;" in html and "<north>" not in html
        assert f"({incident.country.name})" in html
        assert incident.get_incident_type_display() in html
        assert incident.get_attack_type_display() in html
        assert "Alpha &lt;Brigade&gt; &amp; co, Zulu Front" in html
        assert '<td class="num">2</td><td class="num">1</td>' in html
        assert f">{incident.get_status_display()}</span>" in html
        case = incident.case_link.case
        assert f'CASE-MINUSCA-L-0001 <span class="muted">— {case.get_stage_display()}' in html
        bare = str(rows["MINUSCA-L-0002"].html)
        assert "<td>Ouaka</td>" in bare  # the area when there is no place, no country
        assert "Unknown" in bare or "Inconnu" in bare
        assert "<td>—</td></tr>" in bare  # no case
    assert response.text.count('<th scope="row">') == 2


def test_the_dashboards_recent_incidents_use_the_same_rows(world, client_of):
    _varied_incidents(world)

    response = client_of(world.users["staff_a"]).get(reverse("home"))

    assert "MINUSCA-L-0001" in response.text
    assert "Alpha &lt;Brigade&gt; &amp; co, Zulu Front" in response.text


def test_a_long_list_is_counted_up_to_the_cap_and_pages_on(world, client_of, monkeypatch):
    monkeypatch.setattr("peacekeeping.paging.COUNT_CAP", 3)
    for n in range(6):
        IncidentFactory(reference=f"MINUSCA-C-{n:04d}", mission=world.mission_a)
    client = client_of(world.users["admin"])
    url = reverse("incidents:incident_list")

    first = client.get(url, {"q": "MINUSCA-C", "page_size": 2})
    last = client.get(url, {"q": "MINUSCA-C", "page_size": 2, "page": 3})
    beyond = client.get(url, {"q": "MINUSCA-C", "page_size": 2, "page": 9})

    assert "More than 3 incidents" in first.text
    assert "Page 1" in first.text and "Page 1 of" not in first.text
    assert 'rel="next"' in first.text
    assert [r.reference for r in last.context["page_obj"]] == ["MINUSCA-C-0001", "MINUSCA-C-0000"]
    assert 'rel="next"' not in last.text
    # Past the end: counted exactly, and the last page shown.
    assert beyond.context["page_obj"].number == 3
    assert "6 incidents" in beyond.text


def test_a_short_list_shows_its_exact_count_and_last_page(world, client_of):
    for n in range(3):
        IncidentFactory(reference=f"MINUSCA-S-{n:04d}", mission=world.mission_a)

    response = client_of(world.users["admin"]).get(
        reverse("incidents:incident_list"), {"q": "MINUSCA-S", "page_size": 2}
    )

    assert "3 incidents" in response.text
    assert "Page 1 of 2" in response.text


def test_the_mission_filter_offers_the_users_missions_the_chosen_one_selected(world, client_of):
    IncidentFactory(mission=world.mission_b)
    acronym = world.mission_a.acronym

    admin = client_of(world.users["admin"]).get(
        reverse("incidents:incident_list"), {"mission": acronym.lower()}
    )

    select = re.search(r'<select id="filter-mission".*?</select>', admin.text, re.S)[0]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert offered == sorted(offered) and world.mission_b.acronym in offered
    # Matched regardless of case, as the filter matches; the only one selected.
    assert f'<option value="{acronym}" selected>{acronym}</option>' in select
    assert select.count("selected") == 1
