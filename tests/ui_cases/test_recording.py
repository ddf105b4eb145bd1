"""Recording each step from the case page: through the services, with their refusals shown
on the form and everything typed kept; only legal officers of the case may post."""

import html as html_lib

import pytest
from django.urls import reverse

from accountability.choices import CaseStage, InvestigationStatus
from accountability.models import CapacitySupport, FollowUp, Investigation, ProcedureStep, Suspect
from tests.ui_cases.helpers import days_ago, section

pytestmark = pytest.mark.django_db


def step_url(case, suspect) -> str:
    return reverse(
        "accountability:suspect_record_step",
        kwargs={"reference": case.reference, "pk": suspect.pk},
    )


def test_a_verdict_before_any_charge_is_refused_with_the_reason_and_what_was_typed(
    world, client_as
):
    typed = {
        "kind": "convicted",
        "occurred_on": days_ago(5).isoformat(),
        "legal_term": "arrêt de la cour d'assises",
        "sentence": "20 ans de travaux forcés",
        "source": "Greffe du tribunal, jugement n° 42",
        "note": "Reported by the mission's justice section",
    }

    response = client_as(world.users["legal_a"]).post(
        step_url(world.case_a, world.suspect_a), typed
    )

    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    assert "A verdict needs a trial opened" in page
    assert "Nothing was recorded" in page
    assert '<option value="convicted" selected>' in page
    for field in ("occurred_on", "legal_term", "sentence"):
        assert f'value="{typed[field]}"' in page
    assert typed["source"] in page and typed["note"] in page
    assert not ProcedureStep.objects.filter(suspect=world.suspect_a, kind="convicted").exists()


def test_a_step_in_order_is_recorded_and_shown_on_the_timeline(world, client_as):
    client = client_as(world.users["legal_a"])

    response = client.post(
        step_url(world.case_a, world.suspect_a),
        {
            "kind": "warrant_issued",
            "occurred_on": days_ago(5).isoformat(),
            "legal_term": "mandat d'arrêt",
            "source": "Parquet de Bangui",
        },
    )

    assert response.status_code == 302
    assert response.url == f"{world.case_a.get_absolute_url()}#suspect-{world.suspect_a.pk}"
    step = ProcedureStep.objects.get(suspect=world.suspect_a, kind="warrant_issued")
    assert step.recorded_by == world.users["legal_a"]
    timeline = section(client.get(response.url).content.decode(), "timeline")
    assert (
        "<strong>Warrant issued</strong>: Jean-Baptiste KOYAMBA (mandat d&#x27;arrêt)" in timeline
    )


def test_a_step_without_a_source_is_refused_and_nothing_is_recorded(world, client_as):
    response = client_as(world.users["legal_a"]).post(
        step_url(world.case_a, world.suspect_a),
        {"kind": "arrested", "occurred_on": days_ago(5).isoformat(), "source": ""},
    )

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert world.suspect_a.steps.count() == 1


def test_an_investigation_is_opened_then_moves_on(world, client_as):
    client = client_as(world.users["legal_a"])
    case = world.case_a

    client.post(
        reverse("accountability:case_record_investigation", args=[case.reference]),
        {
            "authority": "prosecutor",
            "authority_name": "Tribunal de grande instance de Bangui",
            "opened_on": days_ago(100).isoformat(),
            "source": "Réquisitoire introductif",
        },
    )
    investigation = Investigation.objects.get(case=case)
    illegal = client.post(
        reverse(
            "accountability:investigation_update_status", args=[case.reference, investigation.pk]
        ),
        {"status": "referred_for_trial", "on": days_ago(50).isoformat(), "source": "Ordonnance"},
    )
    legal = client.post(
        reverse(
            "accountability:investigation_update_status", args=[case.reference, investigation.pk]
        ),
        {"status": "suspects_identified", "on": days_ago(50).isoformat(), "source": "Ordonnance"},
    )

    assert "cannot become" in html_lib.unescape(illegal.content.decode())
    assert legal.status_code == 302
    investigation.refresh_from_db()
    assert investigation.status == InvestigationStatus.SUSPECTS_IDENTIFIED


def test_a_suspect_is_identified_with_a_date_and_source(world, client_as):
    response = client_as(world.users["legal_a"]).post(
        reverse("accountability:case_record_suspect", args=[world.case_a.reference]),
        {
            "name": "Abdoulaye NDOMA",
            "alias": "Le Général",
            "identified_on": days_ago(3).isoformat(),
            "source": "Rapport de la gendarmerie",
        },
    )

    assert response.status_code == 302
    suspect = Suspect.objects.get(name="Abdoulaye NDOMA")
    assert suspect.case == world.case_a and suspect.steps.get().source.startswith("Rapport")


def test_a_follow_up_and_its_response_are_recorded(world, client_as):
    client = client_as(world.users["legal_a"])
    case = world.case_a

    client.post(
        reverse("accountability:case_record_followup", args=[case.reference]),
        {
            "sent_on": days_ago(20).isoformat(),
            "channel": "note_verbale",
            "summary": "Note verbale on the progress of the investigation",
            "response_due": days_ago(5).isoformat(),
        },
    )
    follow_up = FollowUp.objects.get(summary__startswith="Note verbale on")
    too_early = client.post(
        reverse("accountability:followup_record_response", args=[case.reference, follow_up.pk]),
        {"received_on": days_ago(25).isoformat(), "outcome": "Investigation ongoing"},
    )
    answered = client.post(
        reverse("accountability:followup_record_response", args=[case.reference, follow_up.pk]),
        {"received_on": days_ago(2).isoformat(), "outcome": "Investigation ongoing"},
    )

    assert "cannot be dated before the follow-up was sent" in too_early.content.decode()
    assert answered.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.response_received_on == days_ago(2)


def test_capacity_support_is_recorded_for_the_case_and_its_host_state(world, client_as):
    response = client_as(world.users["legal_a"]).post(
        reverse("accountability:capacity_support_create", args=[world.case_a.reference]),
        {
            "provided_on": days_ago(7).isoformat(),
            "institution": "judiciary",
            "kind": "training",
            "description": "Training of investigating judges",
            "mission": world.mission_a.pk,
        },
    )

    assert response.status_code == 302
    support = CapacitySupport.objects.get()
    assert (support.host_state, support.mission) == (world.host_a, world.mission_a)
    assert list(support.cases.all()) == [world.case_a]


def test_the_forms_work_without_javascript_as_their_own_pages(world, client_as):
    response = client_as(world.users["legal_a"]).get(step_url(world.case_a, world.suspect_a))

    assert response.status_code == 200
    assert 'name="kind"' in response.content.decode()


def test_a_legal_officer_of_another_mission_cannot_post_a_step_there(world, client_as, legal_b):
    response = client_as(legal_b).post(
        step_url(world.case_a, world.suspect_a),
        {"kind": "arrested", "occurred_on": days_ago(5).isoformat(), "source": "x"},
    )

    assert response.status_code == 404
    assert world.suspect_a.steps.count() == 1


def test_a_suspect_of_another_case_is_a_404(world, client_as):
    # legal_a's own case in the URL, mission B's suspect in it.
    response = client_as(world.users["legal_a"]).get(step_url(world.case_a, world.suspect_b))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["analyst_a", "liaison_a", "staff_a"])
def test_readers_of_the_case_may_not_record_on_it(world, client_as, persona):
    response = client_as(world.users[persona]).post(
        step_url(world.case_a, world.suspect_a),
        {"kind": "arrested", "occurred_on": days_ago(5).isoformat(), "source": "x"},
    )

    assert response.status_code == 403
    assert world.suspect_a.steps.count() == 1
    world.case_a.refresh_from_db()
    assert world.case_a.stage == CaseStage.SUSPECTS_IDENTIFIED


def test_mission_staff_are_shown_no_form(world, client_as):
    html = client_as(world.users["staff_a"]).get(world.case_a.get_absolute_url()).content.decode()

    assert '<form method="post" action="/cases/' not in html
