"""Every list, map, statistics page and export reads its address one way: a filter key or
value it does not understand is shown ("Not understood: missoin") and selects nothing on a
page, and an export with one is refused with the same words; export links carry exactly
the filters on screen, inside the part htmx refreshes."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("incidents:incident_list")
BOARD = reverse("accountability:case_board")
STATISTICS = reverse("accountability:statistics")
MAP = reverse("accountability:incident_map")


def _problems(html: str) -> list[str]:
    block = re.search(r"data-query-problems>(.*?)</div>", html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("missoin=MINUSCA", "Not understood: missoin"),
        ("mission=NOPE", "Not understood: mission=NOPE (no mission is called NOPE)"),
        ("mission_id__in=abc", "Not understood: mission_id__in=abc"),
        ("status=lost", "Not understood: status=lost"),
    ],
)
def test_the_incident_list_names_a_filter_it_does_not_understand_and_shows_no_rows(
    world, client_of, query, problem
):
    response = client_of(world.users["analyst_all"]).get(f"{LIST}?{query}")

    html = response.content.decode()
    assert response.status_code == 200
    assert any(p.startswith(problem) for p in _problems(html)), _problems(html)
    assert world.incident_a.reference not in html  # nothing widens: no row at all
    assert "data-export-links" not in html


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("page_size=-1", "Not understood: page_size=-1 (give a whole number from 1 to 100)"),
        ("page=9999", "Not understood: page=9999 (there is no such page; pages go from 1 to 1)"),
    ],
)
def test_a_page_or_page_size_that_cannot_be_used_is_named_and_the_first_page_shown(
    world, client_of, query, problem
):
    response = client_of(world.users["analyst_all"]).get(f"{LIST}?{query}")

    html = response.content.decode()
    assert _problems(html) == [problem]
    assert world.incident_a.reference in html


def test_the_problems_are_worded_in_french_for_a_french_reader(world, client_of):
    from tests.i18n.helpers import ensure_compiled

    ensure_compiled()
    client = client_of(world.users["analyst_all"])

    response = client.get(f"{LIST}?missoin=MINUSCA", HTTP_ACCEPT_LANGUAGE="fr")

    assert _problems(response.content.decode()) == ["Non compris\u00a0: missoin"]


@pytest.mark.parametrize("page", [BOARD, STATISTICS, MAP])
def test_the_board_statistics_and_map_name_an_unknown_filter_too(world, client_of, page):
    response = client_of(world.users["analyst_all"]).get(f"{page}?missoin=MINUSCA")

    html = response.content.decode()
    assert _problems(html) == ["Not understood: missoin"]
    assert "data-export-links" not in html


def test_the_case_board_names_a_mission_that_does_not_exist(world, client_of):
    response = client_of(world.users["analyst_all"]).get(f"{BOARD}?mission=NOPE")

    html = response.content.decode()
    assert _problems(html) == ["Not understood: mission=NOPE (no mission is called NOPE)"]
    assert world.case_a.reference not in html


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("/exports/incidents/?format=csv&missoin=MINUSMA", "Not understood: missoin"),
        ("/exports/procedures/?mission_id__in=999999", "Not understood: mission_id__in"),
        ("/exports/cases/?mission=NOPE", "no mission is called NOPE"),
        ("/exports/procedures/?mission=NOPE", "no mission is called NOPE"),
        ("/exports/incidents/?page=2", "Not understood: page"),
    ],
)
def test_an_export_with_a_filter_it_does_not_understand_is_refused_with_its_name(
    world, client_of, url, problem
):
    response = client_of(world.users["analyst_all"]).get(url)

    assert response.status_code == 400
    assert problem in response.content.decode()


def test_the_export_links_carry_exactly_the_understood_filters(world, client_of):
    client = client_of(world.users["analyst_all"])

    html = client.get(f"{LIST}?q=&mission=MINUSCA&status=&page_size=10").content.decode()

    assert 'href="/exports/incidents/?mission=MINUSCA&amp;format=csv"' in html


def test_htmx_refreshes_the_export_links_with_the_results(world, client_of):
    client = client_of(world.users["analyst_all"])

    html = client.get(f"{LIST}?mission=MONUSCO", HTTP_HX_REQUEST="true").content.decode()

    assert html.lstrip().startswith('<div id="results">')
    assert 'href="/exports/incidents/?mission=MONUSCO&amp;format=csv"' in html
    assert world.incident_b.reference in html
    assert world.incident_a.reference not in html


def test_the_statistics_export_holds_the_incidents_the_page_counts(world, client_of):
    """The statistics page's case filters (stage) narrow its incidents export as well."""
    client = client_of(world.users["analyst_all"])
    stage = world.case_a.stage
    world.case_b.stage = "closed" if stage != "closed" else "reported"
    world.case_b.save(update_fields=["stage"])

    page = client.get(f"{STATISTICS}?stage={stage}").content.decode()
    link = re.search(r'href="(/exports/incidents/\?[^"]*format=csv)"', page).group(1)
    response = client.get(link.replace("&amp;", "&"))
    rows = b"".join(response.streaming_content).decode().splitlines()[1:]

    assert [row.split(",")[0] for row in rows] == [world.incident_a.reference]


def test_the_indicators_page_and_api_refuse_a_misspelt_date_instead_of_showing_today(
    world, client_of
):
    from rest_framework.authtoken.models import Token

    page = client_of(world.users["analyst_all"]).get("/exports/indicators/?asof=2020-01-01")
    token, _ = Token.objects.get_or_create(user=world.users["analyst_all"])
    api = client_of(world.users["analyst_all"]).get(
        "/api/v1/exports/indicators/?asof=2020-01-01", HTTP_AUTHORIZATION=f"Token {token.key}"
    )

    assert page.status_code == 400
    assert "Not understood: asof" in page.content.decode()
    assert api.status_code == 400
    assert api.json()["detail"] == "Not understood: asof"
