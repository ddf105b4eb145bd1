"""The API's lists apply the rules of the HTML lists to a query string: a filter key the
list does not have, a value it cannot use, a mission or a country that does not exist is
a 400 naming each problem in the words the list page shows, never an answer widened to the
whole scope or silently emptied."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/incidents/", "/api/v1/casualties/", "/api/v1/cases/"]


def _page_problems(html: str) -> list[str]:
    block = re.search(r"data-query-problems>(.*?)</div>", html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    ("query", "field", "problem"),
    [
        ("missoin=MINUSCA", "missoin", "Not understood: missoin"),
        ("mission=NOPE", "mission", "Not understood: mission=NOPE (no mission is called NOPE)"),
        ("page=9999", "page", "Not understood: page"),
    ],
)
def test_a_list_refuses_what_it_does_not_understand_and_names_it(
    world, client_for, path, query, field, problem
):
    response = client_for("analyst_all").get(f"{path}?{query}")

    body = response.json()
    assert response.status_code == 400, body
    assert body["code"] == "not_understood"
    assert body["field"] == field
    assert problem in body["detail"]
    assert field in body["errors"]


@pytest.mark.parametrize("path", ["/api/v1/incidents/", "/api/v1/cases/"])
def test_one_unknown_mission_among_several_is_refused(world, client_for, path):
    response = client_for("analyst_all").get(f"{path}?mission__in=MINUSCA,NOPE")

    assert response.status_code == 400
    assert response.json()["errors"] == {"mission__in": ["no mission is called NOPE"]}


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/incidents/", "country=XXX"),
        ("/api/v1/incidents/", "nationality=ZZZ"),
        ("/api/v1/cases/", "host_state=XXX"),
        ("/api/v1/personnel/", "contributing_country=XXX"),
    ],
)
def test_a_country_code_that_names_no_country_is_refused(world, client_for, path, query):
    response = client_for("analyst_all").get(f"{path}?{query}")

    assert response.status_code == 400
    assert "no country has the code" in response.json()["detail"]


def test_every_problem_is_named_at_once(world, client_for):
    response = client_for("analyst_all").get("/api/v1/incidents/?missoin=A&mission=NOPE")

    body = response.json()
    assert response.status_code == 400
    assert set(body["errors"]) == {"missoin", "mission"}
    assert "Not understood: missoin" in body["detail"]
    assert "no mission is called NOPE" in body["detail"]


def test_the_list_of_ones_exports_refuses_a_misspelt_filter_too(world, client_for):
    response = client_for("analyst_all").get("/api/v1/exports/?stauts=done")

    assert response.status_code == 400
    assert response.json()["field"] == "stauts"


@pytest.mark.parametrize(
    "query",
    [
        "mission=MINUSCA",
        "mission=minusca&page_size=5",
        "country=CAF&ordering=-occurred_at",
        "format=json",
        "mission=",  # empty text: "any", as the forms send it
    ],
)
def test_what_a_list_understands_still_answers(world, client_for, query):
    response = client_for("analyst_all").get(f"/api/v1/incidents/?{query}")

    assert response.status_code == 200, response.json()


def test_a_next_page_link_is_understood(world, client_for):
    client = client_for("analyst_all")
    first = client.get("/api/v1/incidents/?mission__in=MINUSCA,MONUSCO&page_size=1").json()

    assert first["next"]
    assert client.get(first["next"]).status_code == 200


@pytest.mark.parametrize("query", ["missoin=MINUSCA", "mission=NOPE", "country=XXX"])
def test_the_api_and_the_list_page_name_the_same_problems(world, client_for, client, query):
    client.force_login(world.users["analyst_all"])
    page = client.get(f"{reverse('incidents:incident_list')}?{query}").content.decode()

    api = client_for("analyst_all").get(f"/api/v1/incidents/?{query}").json()

    assert _page_problems(page)
    assert api["detail"] == " ".join(_page_problems(page))


def test_a_french_reader_of_the_api_reads_the_problem_in_french(world, client_for):
    from tests.i18n.helpers import ensure_compiled

    ensure_compiled()
    response = client_for("analyst_all").get(
        "/api/v1/incidents/?missoin=MINUSCA", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.json()["detail"] == "Non compris\u00a0: missoin"
