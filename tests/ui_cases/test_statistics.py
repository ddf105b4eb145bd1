"""The statistics page: charts of the filtered, scoped incidents and cases, one query each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.services import investigation_open
from incidents.choices import Outcome
from missions.models import Country
from tests.factories import CaseFactory, CasualtyFactory, IncidentFactory
from tests.ui_cases.helpers import days_ago

pytestmark = pytest.mark.django_db

STATISTICS = reverse("accountability:statistics")


def bars(chart) -> dict:
    return {row["label"]: row["value"] for row in chart["rows"]}


def years(context) -> dict:
    return {column["label"]: column["value"] for column in context["by_year"]["columns"]}


def test_the_charts_count_the_fatalities_in_the_users_scope(world, client_as, make_case):
    make_case(days_ago=30, killed=2)

    analyst = client_as(world.users["analyst_a"]).get(STATISTICS).context
    everyone = client_as(world.users["admin"]).get(STATISTICS).context

    assert bars(analyst["by_mission"]) == {"MINUSCA": 3}
    assert bars(everyone["by_mission"]) == {"MINUSCA": 3, "MONUSCO": 1}
    assert bars(everyone["by_type"]) == {"Malicious act": 4}
    assert sum(years(everyone).values()) == 4
    assert analyst["totals"]["people"] == 3 and analyst["totals"]["cases"] == 2


def test_the_nationality_filter_counts_the_people_of_that_nationality_only(world, client_as):
    # A Senegalese peacekeeper killed in the same attack as the French one (mission B).
    CasualtyFactory(incident=world.incident_b, nationality=Country.objects.get(iso3="SEN"))

    everyone = client_as(world.users["admin"]).get(STATISTICS).context
    french = client_as(world.users["admin"]).get(STATISTICS, {"nationality": "FRA"}).context

    assert bars(everyone["by_mission"])["MONUSCO"] == 2
    assert bars(french["by_mission"]) == {"MONUSCO": 1}


def test_the_case_stage_and_mission_filters_narrow_the_incidents_and_cases(
    world, client_as, make_case
):
    investigated = make_case(days_ago=40, killed=5)
    investigation_open(
        actor=world.users["admin"],
        case=investigated,
        authority="police",
        opened_on=days_ago(30),
        source="Gendarmerie report",
    )
    client = client_as(world.users["admin"])

    by_stage = client.get(STATISTICS, {"stage": "investigation"}).context
    by_mission = client.get(STATISTICS, {"mission": "MONUSCO"}).context
    not_impunity = client.get(STATISTICS, {"impunity": "false"}).context

    assert bars(by_stage["by_mission"]) == {"MINUSCA": 5}
    assert by_stage["totals"]["cases"] == 1
    assert bars(by_mission["by_mission"]) == {"MONUSCO": 1}
    assert [row.iso3 for row in by_mission["by_stage"]["rows"]] == ["COD"]
    assert bars(not_impunity["by_mission"]) == {"MINUSCA": 5}


def test_cases_by_stage_are_counted_per_host_state(world, client_as, make_case):
    make_case(world.mission_b, days_ago=20)

    rows = client_as(world.users["admin"]).get(STATISTICS).context["by_stage"]["rows"]

    stages = {
        row.iso3: dict(
            zip(
                ["no_investigation", "investigation", "suspects_identified"],
                row.counts[:3],
                strict=True,
            )
        )
        for row in rows
    }
    assert stages["COD"] == {"no_investigation": 1, "investigation": 0, "suspects_identified": 1}
    assert stages["CAF"] == {"no_investigation": 0, "investigation": 0, "suspects_identified": 1}


def test_the_impunity_cases_are_counted_among_the_cases_of_each_host_state(
    world, client_as, make_case
):
    client = client_as(world.users["admin"])
    before = client.get(STATISTICS).context

    make_case(days_ago=200)  # no investigation 200 days after a death: impunity
    make_case(days_ago=20)  # too recent for the rule
    after = client.get(STATISTICS).context

    assert after["totals"]["cases"] == before["totals"]["cases"] + 2
    assert after["totals"]["impunity"] == before["totals"]["impunity"] + 1
    assert sum(row.impunity for row in after["by_stage"]["rows"]) == after["totals"]["impunity"]
    html = client.get(STATISTICS).content.decode()
    assert f"<dd>{after['totals']['impunity']}</dd>" in html


def test_the_charts_are_accessible_svg_with_their_figures_in_tables(world, client_as):
    html = client_as(world.users["admin"]).get(STATISTICS).content.decode()

    assert html.count('<svg role="img"') == 4
    assert 'aria-labelledby="chart-year-title chart-year-desc"' in html
    assert '<th scope="row">MONUSCO</th>' in html
    assert "style=" not in html  # the CSP allows no inline style
    assert "Exports (step 7)" not in html  # the marked block is a template comment


def test_an_injured_outcome_turns_the_charts_to_the_injured(world, client_as):
    CasualtyFactory(incident=world.incident_a, outcome=Outcome.INJURED)

    context = client_as(world.users["admin"]).get(STATISTICS, {"outcome": "injured"}).context

    assert bars(context["by_mission"]) == {"MINUSCA": 1}
    assert context["outcome_label"] == "Injured"


def statistics_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATISTICS)
    assert response.status_code == 200
    return len(queries)


def test_the_statistics_cost_the_same_queries_for_10_or_100_cases(world, client_as):
    """11 queries: session, user, the form's choices (missions, host States, nationalities),
    memberships (scope), then one each: incidents, people (their total and the charts by
    year, mission and incident type: one aggregate), the missions' acronyms, cases by
    stage per host State with their impunity cases (one aggregate, which also gives the
    totals of cases and impunity cases). Never a query per row."""
    client = client_as(world.users["analyst_all"])

    def add(n):
        for _ in range(n):
            incident = IncidentFactory(mission=world.mission_a, country=world.host_a)
            CasualtyFactory(incident=incident)
            CaseFactory(mission=world.mission_a, host_state=world.host_a, incidents=[incident])

    add(10)
    with_10 = statistics_queries(client)
    add(90)
    with_100 = statistics_queries(client)

    assert with_10 == with_100
    assert with_100 <= 13
