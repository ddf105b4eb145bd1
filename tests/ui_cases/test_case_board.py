"""The case board: cases in scope grouped by stage, impunity flagged, filtered, sorted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.services import investigation_open
from tests.factories import CaseFactory
from tests.ui_cases.helpers import days_ago, section

pytestmark = pytest.mark.django_db

BOARD = reverse("accountability:case_board")


def test_the_board_groups_cases_by_stage_and_flags_impunity(world, client_as, make_case):
    investigated = make_case(days_ago=400)
    investigation_open(
        actor=world.users["admin"],
        case=investigated,
        authority="prosecutor",
        opened_on=days_ago(20),
        source="Letter of the prosecutor",
    )
    recent = make_case(days_ago=10)

    html = client_as(world.users["legal_a"]).get(BOARD).content.decode()

    suspects = section(html, "stage-suspects_identified")
    assert world.case_a.reference in suspects
    # case A: attacked 300 days ago, nothing since the suspect was identified 290 days ago.
    row = re.search(
        rf"<tr[^>]*>\s*<th[^>]*>\s*<a[^>]*>{world.case_a.reference}</a>.*?</tr>", suspects, re.S
    )
    assert 'class="impunity"' in row.group(0)
    assert ">300</td>" in row.group(0) and ">290</td>" in row.group(0)
    assert "Impunity</strong>" in row.group(0)
    under_investigation = section(html, "stage-investigation")
    assert investigated.reference in under_investigation
    assert "Impunity</strong>" in under_investigation  # opened 380 days after the attack
    no_investigation = section(html, "stage-no_investigation")
    assert recent.reference in no_investigation
    assert "Impunity</strong>" not in no_investigation  # 10 days old: not yet
    # Mission B is out of legal_a's scope.
    assert world.case_b.reference not in html


def test_the_board_filters_by_mission_and_host_state(world, client_as):
    client = client_as(world.users["admin"])

    by_mission = client.get(BOARD, {"mission": "MONUSCO"}).content.decode()
    by_state = client.get(BOARD, {"host_state": "CAF"}).content.decode()
    impunity_only = client.get(BOARD, {"impunity": "false"}).content.decode()

    assert world.case_b.reference in by_mission and world.case_a.reference not in by_mission
    assert world.case_a.reference in by_state and world.case_b.reference not in by_state
    assert world.case_a.reference not in impunity_only


def test_the_board_sorts_by_an_allowlisted_key_and_ignores_any_other(world, client_as, make_case):
    older = make_case(days_ago=500)
    newer = make_case(days_ago=100)
    client = client_as(world.users["legal_a"])

    oldest_first = client.get(BOARD, {"sort": "attack_date"}).content.decode()
    unknown = client.get(BOARD, {"sort": "suspects__name"})

    assert oldest_first.index(older.reference) < oldest_first.index(newer.reference)
    assert unknown.status_code == 200
    html = unknown.content.decode()
    assert html.index(newer.reference) < html.index(older.reference)  # the default


def test_a_stage_shows_all_its_cases_on_pages(world, client_as):
    CaseFactory.create_batch(30, mission=world.mission_a, host_state=world.host_a)
    client = client_as(world.users["legal_a"])

    board = client.get(BOARD).content.decode()
    stage = client.get(BOARD, {"stage": "no_investigation"}).content.decode()

    no_investigation = section(board, "stage-no_investigation")
    assert no_investigation.count(">CASE-FACTORY-") == 25
    assert "Show all 30 cases" in no_investigation
    assert stage.count(">CASE-FACTORY-") == 30
    assert "stage-suspects_identified" not in stage


def test_mission_staff_see_the_board_of_their_mission_only(world, client_as):
    html = client_as(world.users["staff_b"]).get(BOARD).content.decode()

    assert world.case_b.reference in html
    assert world.case_a.reference not in html


def board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD)
    assert response.status_code == 200
    return len(queries)


def test_the_board_costs_the_same_queries_for_10_or_100_cases(world, client_as):
    """7 queries: session, user, the mission and host-State choices of the filter form,
    the user's memberships (scope), the count per stage, and one windowed query for the
    first rows of every stage (mission and host State joined, the impunity flag and the
    last progress annotated). Never a query per row.
    """
    client = client_as(world.users["legal_a"])
    CaseFactory.create_batch(10, mission=world.mission_a, host_state=world.host_a)
    with_10 = board_queries(client)

    CaseFactory.create_batch(90, mission=world.mission_a, host_state=world.host_a)
    with_100 = board_queries(client)

    assert with_10 == with_100
    assert with_100 <= 12
