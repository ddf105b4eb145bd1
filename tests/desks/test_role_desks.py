"""Each role's desk on the dashboard: what it lists, that it lists nothing outside the
user's scope (the permission personas, tests/personas.py), and its query count."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from accountability.exports.models import ExportJob
from accountability.models import FollowUp
from accountability.reports.delivery import followup_report_acknowledge
from accountability.reports.models import FollowUpReport
from accountability.services import followup_record, procedure_record_step
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import PersonnelCategory
from missions.models import Country

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _section(html: str, element_id: str) -> str:
    match = re.search(rf'<section id="{element_id}".*?</section>', html, re.S)
    assert match, f"no section #{element_id}"
    return match.group(0)


def _home(client_of, persona: str) -> str:
    return client_of(persona).get(reverse("home")).content.decode()


def _arrest(world, suspect, days_ago: int):
    procedure_record_step(
        actor=world.users["admin"],
        suspect=suspect,
        kind="arrested",
        occurred_on=TODAY - timedelta(days=days_ago),
        source="Procès-verbal d'arrestation",
    )


def _communication(world, case, *, due_in: int, summary: str = "Reminder") -> FollowUp:
    return followup_record(
        actor=world.users["admin"],
        case=case,
        sent_on=TODAY - timedelta(days=30),
        channel="letter",
        summary=summary,
        response_due=TODAY + timedelta(days=due_in),
    )


def _report(state, *, month: int) -> FollowUpReport:
    return FollowUpReport.objects.create(
        host_state=state,
        period_kind="month",
        period_start=date(2026, month, 1),
        period_end=date(2026, month, 28),
        period_label=f"2026-{month:02}",
        language="fr",
        status="done",
        finished_at=datetime(2026, month, 28, tzinfo=UTC),
    )


def _killed_today(world, mission, host):
    incident = incident_record(
        actor=world.users["admin"],
        mission=mission,
        occurred_at=datetime.now(UTC) - timedelta(minutes=5),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        country=host,
        place="Route 9",
        latitude="4.36",
        longitude="18.55",
        narrative="Ambush.",
        sources="Flash report",
    )
    casualty_add(
        actor=world.users["admin"],
        incident=incident,
        category=PersonnelCategory.MILITARY_CONTINGENT,
        nationality=Country.objects.get(iso3="SEN"),
        outcome=Outcome.KILLED,
    )
    incident_submit(actor=world.users["admin"], incident=incident)
    return incident


# --- mission staff ------------------------------------------------------------------------


def test_mission_staff_see_their_missions_incidents_awaiting_verification_only(world, client_of):
    html = _home(client_of, "staff_a")

    to_verify = _section(html, "desk-to-verify")
    assert "1 incident awaiting verification" in to_verify
    assert world.incident_a.reference in to_verify
    assert world.incident_b.reference not in html
    assert world.case_b.reference not in html


def test_the_staff_desk_takes_the_same_queries_for_one_or_many_incidents(
    world, client_of, django_assert_num_queries
):
    client = client_of("staff_a")
    # session, user, memberships (scope), the toll, cases by stage, the incidents awaiting
    # verification, the missions, recent incidents, their perpetrators, drafts.
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    for _ in range(11):
        _killed_today(world, world.mission_a, world.host_a)
    # ... and the count of them all, past the ten shown.
    with django_assert_num_queries(11):
        html = client.get(reverse("home")).content.decode()
    assert "12 incidents awaiting verification" in html


# --- legal officers -----------------------------------------------------------------------


def test_the_legal_officer_sees_its_tasks_and_nothing_of_another_mission(world, client_of):
    _arrest(world, world.suspect_a, 200)
    _arrest(world, world.suspect_b, 200)
    _communication(world, world.case_a, due_in=-5, summary="Overdue A")
    _communication(world, world.case_a, due_in=3, summary="Due A")
    _communication(world, world.case_b, due_in=-5, summary="Overdue B")
    _report(world.host_a, month=1)
    _report(world.host_b, month=1)

    html = _home(client_of, "legal_a")

    no_investigation = _section(html, "desk-no-investigation")
    assert "1 case without investigation after 60 days" in no_investigation
    assert world.case_a.reference in no_investigation
    steps = _section(html, "desk-steps")
    assert "1 suspect detained without trial for more than 180 days" in steps
    assert world.case_a.reference in steps
    communications = _section(html, "desk-communications")
    assert "1 communication whose answer is overdue" in communications
    assert "1 communication whose answer is due within 7 days" in communications
    reports = _section(html, "desk-reports")
    assert "Central African Republic — 2026-01 v1" in reports
    assert "receipt not yet acknowledged" in reports
    assert "Democratic Republic of the Congo" not in html
    assert world.case_b.reference not in html


def test_an_investigation_of_the_host_state_takes_the_case_off_the_task_list(world, client_of):
    from accountability.services import investigation_open

    investigation_open(
        actor=world.users["admin"],
        case=world.case_a,
        authority="prosecutor",
        opened_on=TODAY - timedelta(days=10),
        source="Réquisitoire introductif",
    )

    html = _home(client_of, "legal_a")

    assert "0 cases without investigation after 60 days" in _section(html, "desk-no-investigation")


def test_the_legal_desk_takes_the_same_queries_for_one_or_many_tasks(
    world, client_of, django_assert_num_queries
):
    client = client_of("legal_a")
    # session, user, memberships (scope), cases without investigation, detained, at
    # large, overdue, due, the reports (with the States hosting the officer's mission).
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    for n in range(11):
        _communication(world, world.case_a, due_in=-1 - n)
        _report(world.host_a, month=n + 1)
    # ... and the count of the overdue ones, past the ten shown.
    with django_assert_num_queries(11):
        html = client.get(reverse("home")).content.decode()
    assert "11 communications whose answer is overdue" in html


# --- analysts -----------------------------------------------------------------------------


def _killed_this_year(html: str) -> int:
    figures = _section(html, "desk-analyst")
    return int(
        re.search(r"Peacekeepers killed in malicious acts</dt>\s*<dd>(\d+)</dd>", figures).group(1)
    )


def test_the_analysts_figures_count_only_their_scope(world, client_of):
    before_a = _killed_this_year(_home(client_of, "analyst_a"))
    before_all = _killed_this_year(_home(client_of, "analyst_all"))

    _killed_today(world, world.mission_b, world.host_b)

    assert _killed_this_year(_home(client_of, "analyst_a")) == before_a
    assert _killed_this_year(_home(client_of, "analyst_all")) == before_all + 1


def test_the_analyst_sees_its_own_latest_exports_only(world, client_of):
    mine = ExportJob.objects.create(
        user=world.users["analyst_a"], kind="incidents", format="csv", status="done"
    )
    theirs = ExportJob.objects.create(
        user=world.users["analyst_all"], kind="cases", format="xlsx", status="done"
    )

    exports = _section(_home(client_of, "analyst_a"), "desk-exports")

    assert reverse("exports:job_detail", args=[mine.pk]) in exports
    assert reverse("exports:job_detail", args=[theirs.pk]) not in exports


def test_the_analyst_desk_takes_the_same_queries_for_one_or_many_exports(
    world, client_of, django_assert_num_queries
):
    client = client_of("analyst_a")
    # session, user, memberships (scope), the five Council figures, the cases and
    # impunity cases, the latest exports.
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    for _ in range(8):
        ExportJob.objects.create(
            user=world.users["analyst_a"], kind="incidents", format="csv", status="done"
        )
    with django_assert_num_queries(10):
        client.get(reverse("home"))


# --- liaisons: the reports addressed to the State -----------------------------------------


def test_the_host_states_liaison_sees_the_reports_received_and_which_to_acknowledge(
    world, client_of
):
    january = _report(world.host_a, month=1)
    _report(world.host_a, month=2)
    _report(world.host_b, month=1)

    received = _section(_home(client_of, "liaison_a"), "desk-received")
    assert "2 reports to acknowledge" in received
    assert "Central African Republic — 2026-01 v1" in received
    assert "Congo" not in received

    followup_report_acknowledge(
        actor=world.users["liaison_a"], report=january, received_on=TODAY, note=""
    )

    received = _section(_home(client_of, "liaison_a"), "desk-received")
    assert "1 report to acknowledge" in received
    # A date in a sentence is written the UN's way ("6 December 2026"), not as in a table.
    assert f"receipt acknowledged on {TODAY.day} {TODAY:%B %Y}" in received


def test_the_reports_to_acknowledge_are_counted_past_the_ten_shown(
    world, client_of, django_assert_num_queries
):
    for month in range(1, 13):
        _report(world.host_a, month=month)

    client = client_of("liaison_a")
    # session, user, memberships (scope), the liaison's States, cases by stage, impunity
    # cases, communications awaiting an answer, the reports, how many to acknowledge.
    with django_assert_num_queries(9):
        html = client.get(reverse("home")).content.decode()

    assert "12 reports to acknowledge" in _section(html, "desk-received")


def test_a_nationality_liaison_receives_no_host_state_report(world, client_of):
    _report(world.host_b, month=1)

    html = _home(client_of, "liaison_fr")

    assert 'id="desk-received"' not in html


# --- nobody sees outside their scope ------------------------------------------------------


OUT_OF_SCOPE = {
    "staff_a": ("case_b", "incident_b"),
    "legal_a": ("case_b", "incident_b"),
    "analyst_a": ("case_b", "incident_b"),
    "liaison_a": ("case_b", "incident_b"),
    "liaison_fr": ("case_a", "incident_a"),
    "staff_b": ("case_a", "incident_a"),
    "liaison_other": ("case_a", "case_b", "incident_a", "incident_b"),
}


@pytest.mark.parametrize("persona", sorted(OUT_OF_SCOPE))
def test_no_desk_names_a_case_or_incident_outside_its_users_scope(world, client_of, persona):
    # Everything that could put a record on a desk, on both missions.
    for suspect in (world.suspect_a, world.suspect_b):
        _arrest(world, suspect, 200)
    for case in (world.case_a, world.case_b):
        _communication(world, case, due_in=-5)
        _communication(world, case, due_in=2)
    for state in (world.host_a, world.host_b):
        _report(state, month=1)

    html = _home(client_of, persona)

    for name in OUT_OF_SCOPE[persona]:
        assert getattr(world, name).reference not in html, name


# --- in French ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("staff_a", "1 incident en attente de vérification"),
        ("legal_a", "1 affaire sans enquête après 60 jours"),
        ("analyst_a", "Chiffres du Conseil de sécurité"),
        ("liaison_a", "Rapports reçus"),
    ],
)
def test_each_desk_speaks_french(world, client_of, persona, heading):
    html = client_of(persona).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert heading in html


def test_the_liaisons_desk_writes_the_answer_due_date_the_uns_way_in_french(world, client_of):
    due = TODAY + timedelta(days=5)
    _communication(world, world.case_a, due_in=5)
    client = client_of("liaison_a")
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    awaiting = _section(client.get(reverse("home")).content.decode(), "desk-awaiting")

    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    assert f"réponse attendue le {due.day} {months.split()[due.month - 1]} {due.year}" in awaiting
    assert f"{due:%Y-%m-%d}" not in awaiting
