"""The liaison's desk on the dashboard, and the liaison's filters limited to its scope."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from accountability.services import followup_answer, followup_record

pytestmark = pytest.mark.django_db


def _section(html: str, element_id: str) -> str:
    match = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    assert match, f"no section #{element_id}"
    return match.group(0)


def test_the_host_states_liaison_sees_its_cases_by_stage_impunity_and_what_awaits_its_answer(
    world, client_of, followup_a
):
    html = client_of("liaison_a").get(reverse("home")).content.decode()

    assert "Central African Republic" in html
    awaiting = _section(html, "desk-awaiting")
    assert "1 communication awaiting your answer" in awaiting
    assert reverse("accountability:followup_answer", args=[followup_a.pk]) in awaiting
    stages = _section(html, "desk-stages")
    row = re.search(r"<th scope=\"row\">Suspects identified</th>.*?</tr>", stages, re.S).group(0)
    assert re.findall(r">(\d+)</td>", row) == ["1", "1"]  # one case, in impunity
    assert world.case_a.reference in _section(html, "desk-impunity")
    assert world.case_b.reference not in html


def test_an_answered_communication_leaves_the_desk(world, client_of, followup_a):
    followup_answer(
        actor=world.users["liaison_a"],
        follow_up=followup_a,
        answered_on=date.today(),
        text="Answered.",
    )

    html = client_of("liaison_a").get(reverse("home")).content.decode()

    assert "No communication awaits your answer." in _section(html, "desk-awaiting")


def test_a_nationality_liaison_sees_its_nationals_cases_and_answers_nothing(world, client_of):
    html = client_of("liaison_fr").get(reverse("home")).content.decode()

    assert world.case_b.reference in _section(html, "desk-impunity")
    assert world.case_a.reference not in html
    assert 'id="desk-awaiting"' not in html


def test_the_desk_takes_the_same_queries_for_one_or_many_communications(
    world, client_of, django_assert_num_queries
):
    client = client_of("liaison_a")
    # session, user, memberships (scope), the liaison's States, cases by stage, impunity
    # cases, communications awaiting an answer, the reports addressed to the State.
    with django_assert_num_queries(8):
        client.get(reverse("home"))
    for day in range(12):
        followup_record(
            actor=world.users["admin"],
            case=world.case_a,
            sent_on=date.today() - timedelta(days=day),
            channel="letter",
            summary=f"Reminder {day}",
        )
    # ... and the count of them all, past the ten shown.
    with django_assert_num_queries(9):
        html = client.get(reverse("home")).content.decode()
    assert "13 communications awaiting your answer" in html


def test_the_liaisons_board_filters_offer_only_its_missions_and_states(world, client_of):
    html = client_of("liaison_a").get(reverse("accountability:case_board")).content.decode()
    mission = re.search(r'<select name="mission".*?</select>', html, re.S).group(0)
    state = re.search(r'<select name="host_state".*?</select>', html, re.S).group(0)

    assert "MINUSCA" in mission and "MONUSCO" not in mission
    assert "Central African Republic" in state
    assert "Democratic Republic of the Congo" not in state
    assert "Mali" not in state
