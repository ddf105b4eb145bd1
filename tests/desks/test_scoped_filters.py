"""Filters on every liaison and staff page offer only what is in the user's scope: the
missions, host States and nationalities of the statistics and map pages, the case board,
the incident list and the follow-up register (personas: tests/personas.py)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from accountability.services import followup_answer, followup_record

pytestmark = pytest.mark.django_db

PAGES = {
    "statistics": ("accountability:statistics", "mission", "country"),
    "map": ("accountability:incident_map", "mission", "country"),
    "board": ("accountability:case_board", "mission", "host_state"),
}


def _options(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize(
    ("persona", "offered", "withheld"),
    [
        ("staff_a", ("MINUSCA", "Central African Republic"), ("MONUSCO", "Congo", "Mali")),
        ("liaison_a", ("MINUSCA", "Central African Republic"), ("MONUSCO", "Congo", "Mali")),
        ("liaison_fr", ("MONUSCO", "Congo"), ("MINUSCA", "Central African Republic", "Mali")),
    ],
)
def test_the_mission_and_state_filters_offer_only_the_users_scope(
    world, client_of, page, persona, offered, withheld
):
    url, mission_field, state_field = PAGES[page]
    html = client_of(persona).get(reverse(url)).content.decode()
    choices = _options(html, mission_field) + _options(html, state_field)

    for name in offered:
        assert name in choices, name
    for name in withheld:
        assert name not in choices, name


def test_the_nationality_filter_offers_only_the_nationalities_of_the_users_incidents(
    world, client_of
):
    html = client_of("liaison_fr").get(reverse("accountability:statistics")).content.decode()
    nationalities = _options(html, "nationality")

    assert "France" in nationalities
    assert "Bangladesh" not in nationalities  # the victim of mission A's attack


def test_an_analyst_of_every_mission_is_offered_every_mission(world, client_of):
    html = client_of("analyst_all").get(reverse("accountability:statistics")).content.decode()
    missions = _options(html, "mission")

    assert "MINUSCA" in missions and "MONUSCO" in missions and "MINUSMA" in missions


def test_the_incident_list_offers_staff_only_their_missions(world, client_of):
    # A single mission needs no filter: the page names no other.
    html = client_of("staff_a").get(reverse("incidents:incident_list")).content.decode()
    assert "MONUSCO" not in html

    html = client_of("analyst_all").get(reverse("incidents:incident_list")).content.decode()
    assert "MONUSCO" in _options(html, "mission")


def test_the_register_offers_a_liaison_only_its_states(world, client_of):
    followup_record(
        actor=world.users["admin"],
        case=world.case_b,
        sent_on=date.today() - timedelta(days=3),
        channel="letter",
        summary="To the DR Congo",
    )
    # The officer of every mission's cases is offered both States; the liaison none but
    # its own (a single State needs no filter).
    officer = client_of("analyst_all").get(reverse("accountability:followup_register"))
    assert "Congo" in _options(officer.content.decode(), "host_state")

    html = client_of("liaison_a").get(reverse("accountability:followup_register")).content
    assert "Congo" not in html.decode()


def test_the_registers_overdue_filter_lists_only_unanswered_communications_past_due(
    world, client_of
):
    admin = world.users["admin"]
    sent = date.today() - timedelta(days=40)
    late = followup_record(
        actor=admin,
        case=world.case_a,
        sent_on=sent,
        channel="letter",
        summary="Late one",
        response_due=date.today() - timedelta(days=1),
    )
    followup_record(
        actor=admin,
        case=world.case_a,
        sent_on=sent,
        channel="letter",
        summary="Due later",
        response_due=date.today() + timedelta(days=5),
    )
    answered = followup_record(
        actor=admin,
        case=world.case_a,
        sent_on=sent,
        channel="letter",
        summary="Answered late",
        response_due=date.today() - timedelta(days=2),
    )
    followup_answer(
        actor=world.users["liaison_a"], follow_up=answered, answered_on=date.today(), text="Done."
    )

    html = (
        client_of("legal_a")
        .get(reverse("accountability:followup_register"), {"status": "overdue"})
        .content.decode()
    )

    assert "Late one" in html
    assert "Due later" not in html and "Answered late" not in html
    assert late.summary in html
