"""The case page: the whole path to justice for legal officers, the stage only for mission
staff, names masked for analysts; out of scope is a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.services import (
    capacity_support_record,
    followup_record,
    procedure_record_step,
    suspect_identify,
)
from missions.masking import mask
from peacekeeping.models import AuditEntry
from tests.ui_cases.helpers import days_ago, section

pytestmark = pytest.mark.django_db

SUSPECT_A = "Jean-Baptiste KOYAMBA"


def test_a_legal_officer_sees_the_suspects_their_procedure_and_the_forms(world, client_as):
    response = client_as(world.users["legal_a"]).get(world.case_a.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    suspects = section(html, "suspects")
    assert SUSPECT_A in suspects
    assert "Procès-verbal d&#x27;audition" in suspects  # the source of "identified"
    assert f"/suspects/{world.suspect_a.pk}/steps/" in suspects  # the step form
    assert f"Request for information on {world.case_a.reference}" in section(html, "follow-ups")
    assert "Suspect identified" in section(html, "history")
    assert world.case_a.get_stage_display() in html


def test_viewing_the_suspects_is_written_to_the_audit_trail(world, client_as):
    client_as(world.users["legal_a"]).get(world.case_a.get_absolute_url())

    entry = AuditEntry.objects.get(action="view_case_suspects")
    assert (entry.actor, entry.object_id) == (world.users["legal_a"], str(world.case_a.pk))
    assert entry.changes["suspects"] == 1


def test_mission_staff_see_the_stage_but_no_suspect_and_no_follow_up(world, client_as):
    response = client_as(world.users["staff_a"]).get(world.case_a.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert world.case_a.get_stage_display() in html
    assert world.incident_a.reference in html
    assert SUSPECT_A not in html
    assert "KOYAMBA" not in html
    assert "Request for information" not in html
    assert 'id="suspects"' not in html and 'id="follow-ups"' not in html
    assert not AuditEntry.objects.filter(action="view_case_suspects").exists()


def test_an_analyst_reads_the_case_with_names_masked_and_no_form(world, client_as):
    response = client_as(world.users["analyst_a"]).get(world.case_a.get_absolute_url())

    html = response.content.decode()
    suspects = section(html, "suspects")
    assert SUSPECT_A not in html
    assert "KOYAMBA" not in html  # neither on the suspect nor in the timeline
    assert mask(SUSPECT_A, False) in suspects
    assert "<form" not in suspects and 'id="history"' not in html
    assert "Identified" in suspects  # the procedure itself is shown


def test_an_analyst_granted_names_reads_them(world, client_as):
    html = client_as(world.users["analyst_all"]).get(world.case_a.get_absolute_url()).content

    assert SUSPECT_A in html.decode()


def test_a_case_outside_the_scope_is_a_404(world, client_as):
    assert client_as(world.users["staff_b"]).get(world.case_a.get_absolute_url()).status_code == 404
    assert (
        client_as(world.users["liaison_other"]).get(world.case_a.get_absolute_url()).status_code
        == 404
    )


def test_an_overdue_response_of_the_host_state_is_highlighted(world, client_as):
    overdue = followup_record(
        actor=world.users["admin"],
        case=world.case_a,
        sent_on=days_ago(60),
        channel="letter",
        summary="Letter to the Minister of Justice",
        response_due=days_ago(30),
    )

    html = client_as(world.users["legal_a"]).get(world.case_a.get_absolute_url()).content.decode()

    row = html[html.index(f'id="follow-up-{overdue.pk}"') - 10 :]
    row = row[: row.index("</tr>")]
    assert 'class="overdue"' in row
    assert "overdue</mark>" in row


def test_the_timeline_lists_the_steps_with_their_date_legal_term_and_source(world, client_as):
    procedure_record_step(
        actor=world.users["admin"],
        suspect=world.suspect_a,
        kind="warrant_issued",
        occurred_on=days_ago(100),
        legal_term="mandat d'amener",
        source="Cabinet du juge d'instruction",
    )

    html = client_as(world.users["legal_a"]).get(world.case_a.get_absolute_url()).content.decode()

    timeline = section(html, "timeline")
    assert "Case opened" in timeline
    assert f"<strong>Identified</strong>: {SUSPECT_A}" in timeline
    assert f"<strong>Warrant issued</strong>: {SUSPECT_A} (mandat d&#x27;amener)" in timeline
    assert "Source: Cabinet du juge d&#x27;instruction" in timeline
    assert timeline.index("Identified") < timeline.index("Warrant issued")


def _page_queries(client, url) -> list[str]:
    client.get(url)  # the first request of a session records it; not part of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _grow(world, case, n: int) -> None:
    """`n` more suspects, each with a step, and `n` follow-ups and supports."""
    admin = world.users["admin"]
    for i in range(n):
        suspect = suspect_identify(
            actor=admin, case=case, name=f"Suspect {i}", identified_on=days_ago(90), source="PV"
        )
        procedure_record_step(
            actor=admin, suspect=suspect, kind="arrested", occurred_on=days_ago(80), source="PV"
        )
        followup_record(
            actor=admin, case=case, sent_on=days_ago(70), channel="letter", summary=f"Letter {i}"
        )
        capacity_support_record(
            actor=admin,
            host_state=case.host_state,
            provided_on=days_ago(60),
            institution="judiciary",
            kind="training",
            description=f"Training {i}",
            mission=case.mission,
            cases=[case],
        )


def test_the_case_page_costs_the_same_queries_for_1_or_5_suspects(world, client_as):
    """25 queries (26 on PostgreSQL), never one per suspect, step, follow-up or support
    line: session, user, memberships; the case (mission and host State joined), its
    impunity flag, whether the user sees its suspects; the suspects (group and nationality
    joined) and their steps (one prefetch), investigations, follow-ups; the audit of the
    view (savepoint, the chain's lock on PostgreSQL, last hash, insert, release); the
    timeline's events and steps; the history; the follow-up report and whether the user
    may request one (3); the incidents; the choices of the suspect form (armed groups,
    countries) and of the support form (missions); the capacity support lines (mission
    joined).
    """
    client = client_as(world.users["legal_a"])
    url = world.case_a.get_absolute_url()
    _grow(world, world.case_a, 1)
    few = _page_queries(client, url)

    _grow(world, world.case_a, 4)
    many = _page_queries(client, url)

    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 26, "\n".join(many)
