"""Legal officers act on several cases ticked on the board: assign the mission focal
point, request follow-up. Each case goes through its one-case service, audited alone,
refused alone with its reason."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Case, FollowUp
from missions.choices import Role
from missions.services import membership_grant
from peacekeeping.models import AuditEntry
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("accountability:case_board")
BULK = reverse("accountability:case_bulk")


def _case_of_a(world, reference: str) -> Case:
    return CaseFactory(reference=reference, mission=world.mission_a, host_state=world.host_a)


def test_legal_officers_get_checkboxes_and_the_bulk_form_others_do_not(world, client_of):
    legal = client_of(world.users["legal_a"]).get(BOARD).text

    assert re.search(
        rf'name="case"\s+value="{world.case_a.reference}"\s+form="case-bulk-form"', legal
    )
    assert 'id="case-bulk-form"' in legal
    # the focal points offered are members of the missions in the legal officer's scope
    assert ">staff_a</option>" in legal and ">staff_b</option>" not in legal
    analyst = client_of(world.users["analyst_a"]).get(BOARD).text
    assert 'id="case-bulk-form"' not in analyst


def test_focal_points_offered_come_only_from_the_missions_the_user_manages(world, client_of):
    """A legal officer of mission A who is also an analyst of mission B sees B's cases,
    but may not assign their focal points: B's members are not offered, and a case of B
    ticked with A's cases is refused on its own."""
    legal = world.users["legal_a"]
    membership_grant(
        actor=world.users["admin"], user=legal, role=Role.ANALYST, mission=world.mission_b
    )
    client = client_of(legal)

    board = client.get(BOARD).text

    assert world.case_b.reference in board
    assert ">staff_a</option>" in board and ">staff_b</option>" not in board
    response = client.post(
        BULK,
        {
            "action": "focal_point",
            "focal_point": world.users["staff_b"].pk,
            "case": [world.case_b.reference],
        },
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=world.case_b.pk).focal_point is None


def test_a_focal_point_is_assigned_to_each_ticked_case_audited_as_if_alone(world, client_of):
    other = _case_of_a(world, "CASE-MINUSCA-X-1")
    staff = world.users["staff_a"]
    client = client_of(world.users["legal_a"])

    response = client.post(
        BULK,
        {
            "action": "focal_point",
            "focal_point": staff.pk,
            "case": [world.case_a.reference, other.reference, world.case_b.reference],
            "next": f"{BOARD}?sort=reference",
        },
    )

    assert response["Location"] == f"{BOARD}?sort=reference"
    assert Case.objects.get(pk=world.case_a.pk).focal_point == staff
    assert Case.objects.get(pk=other.pk).focal_point == staff
    assert Case.objects.get(pk=world.case_b.pk).focal_point is None
    entries = AuditEntry.objects.filter(action="case.update", actor=world.users["legal_a"])
    assert sorted(e.object_id for e in entries) == sorted([str(world.case_a.pk), str(other.pk)])
    assert all(e.changes["focal_point_id"] == [None, staff.pk] for e in entries)
    html = client.get(response["Location"]).text
    assert "staff_a is now the focal point of: " in html
    assert f"{world.case_b.reference}: not found, or not yours to change" in html


def test_a_focal_point_outside_a_cases_mission_is_refused_for_that_case_only(world, client_of):
    client = client_of(world.users["admin"])

    html = client.post(
        BULK,
        {
            "action": "focal_point",
            "focal_point": world.users["staff_a"].pk,
            "case": [world.case_a.reference, world.case_b.reference],
            "next": BOARD,
        },
        follow=True,
    ).text

    assert f"staff_a is now the focal point of: {world.case_a.reference}." in html
    assert f"{world.case_b.reference}: staff_a is not an active member of MONUSCO." in html
    assert Case.objects.get(pk=world.case_b.pk).focal_point is None


def test_follow_up_is_requested_on_each_ticked_case(world, client_of):
    other = _case_of_a(world, "CASE-MINUSCA-X-2")
    before = FollowUp.objects.count()
    client = client_of(world.users["legal_a"])

    html = client.post(
        BULK,
        {
            "action": "follow_up",
            "sent_on": date.today().isoformat(),
            "channel": "note_verbale",
            "summary": "Request for the state of the investigations",
            "case": [world.case_a.reference, other.reference],
            "next": BOARD,
        },
        follow=True,
    ).text

    assert FollowUp.objects.count() == before + 2
    assert set(
        FollowUp.objects.filter(summary__startswith="Request for the state").values_list(
            "case__reference", flat=True
        )
    ) == {world.case_a.reference, other.reference}
    assert (
        AuditEntry.objects.filter(action="follow_up.record", actor=world.users["legal_a"]).count()
        == 2
    )
    assert "Follow-up recorded for: " in html


def test_a_form_missing_what_the_action_needs_is_shown_again_with_nothing_lost(world, client_of):
    before = FollowUp.objects.count()

    response = client_of(world.users["legal_a"]).post(
        BULK,
        {
            "action": "follow_up",
            "channel": "note_verbale",
            "summary": "Typed text kept",
            "case": [world.case_a.reference],
            "next": BOARD,
        },
    )

    assert response.status_code == 400
    assert "Needed for this action." in response.text
    assert "Typed text kept" in response.text
    assert f'value="{world.case_a.reference}"' in response.text
    assert FollowUp.objects.count() == before


def test_users_who_do_not_manage_cases_have_every_case_refused(world, client_of):
    html = (
        client_of(world.users["staff_a"])
        .post(
            BULK,
            {
                "action": "focal_point",
                "focal_point": world.users["staff_a"].pk,
                "case": [world.case_a.reference],
                "next": BOARD,
            },
            follow=True,
        )
        .text
    )

    assert Case.objects.get(pk=world.case_a.pk).focal_point is None
    assert "not found, or not yours to change" in html or "Select a valid choice" in html


def test_the_bulk_result_is_told_in_french(world, client_of):
    client = client_of(world.users["legal_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.post(
        BULK,
        {
            "action": "focal_point",
            "focal_point": world.users["staff_a"].pk,
            "case": [world.case_a.reference, world.case_b.reference],
            "next": BOARD,
        },
        follow=True,
    ).text

    assert "staff_a est désormais le point focal de\u00a0: " in html
    assert "introuvable, ou vous ne pouvez pas le modifier" in html


@pytest.mark.parametrize("sort", ["", "reference", "-mission", "killed", "-progress"])
def test_the_board_costs_the_same_queries_whatever_the_sort(world, client_of, sort):
    """Session, user, scope, the filter form's missions and States, the count per stage,
    the windowed rows, the saved searches, the focal points offered: never a query a row."""
    client = client_of(world.users["legal_a"])
    url = BOARD + (f"?sort={sort}" if sort else "")
    client.get(url)
    counts = []
    for n in (5, 50):
        CaseFactory.create_batch(n, mission=world.mission_a, host_state=world.host_a)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 11


def test_board_headers_sort_both_ways_and_an_unknown_sort_is_named(world, client_of):
    client = client_of(world.users["legal_a"])

    by_reference = client.get(BOARD, {"sort": "-reference"}).text
    unknown = client.get(BOARD, {"sort": "nope"}).text

    assert re.search(r'href="\?sort=reference"', by_reference)
    assert "Not understood: sort=nope" in unknown
