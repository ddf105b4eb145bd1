"""`manage.py seed_demo` gives a local install accounts to log in with and cases to read."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accountability.choices import CaseStage, ProcedureStepKind
from accountability.demo import DEMO_USERNAMES, INCIDENTS
from accountability.models import Case, FollowUp, Investigation, ProcedureStep, Suspect
from incidents.choices import AttackType, IncidentType
from incidents.models import ArmedGroup, Incident
from missions.choices import LiaisonBasis, Role
from missions.models import Membership
from peacekeeping.audit import audit_verify_chain

pytestmark = pytest.mark.django_db


def seed_demo(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def seeded(debug) -> str:
    return seed_demo()


def test_it_creates_six_accounts_that_log_in_with_the_demo_password(seeded, client, settings):
    for username in DEMO_USERNAMES:
        response = client.post(
            reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
        )

        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(
            get_user_model().objects.get(username=username).pk
        )
        client.logout()
    assert len(DEMO_USERNAMES) == 6


def test_it_prints_the_accounts_the_password_and_where_to_log_in(seeded, settings):
    assert "http://127.0.0.1:8000/accounts/login/" in seeded
    assert settings.DEMO_PASSWORD in seeded
    assert all(username in seeded for username in DEMO_USERNAMES)


def _scopes(username: str) -> set[tuple]:
    return {
        (m.role, m.mission.acronym if m.mission else None, m.country.iso3 if m.country else None)
        for m in Membership.objects.filter(user__username=username).select_related(
            "mission", "country"
        )
    }


def test_each_account_has_the_role_and_scope_of_its_persona(seeded):
    assert _scopes("demo-staff") == {(Role.MISSION_STAFF, "MINUSCA", None)}
    assert _scopes("demo-staff-b") == {(Role.MISSION_STAFF, "MONUSCO", None)}
    assert _scopes("demo-legal") == {
        (Role.LEGAL_OFFICER, "MINUSCA", None),
        (Role.LEGAL_OFFICER, "MINUSMA", None),
    }
    assert _scopes("demo-analyst") == {(Role.ANALYST, None, None)}
    assert _scopes("demo-liaison") == {(Role.LIAISON, None, "CAF")}
    assert _scopes("demo-admin") == {(Role.ADMINISTRATOR, None, None)}
    assert Membership.objects.get(user__username="demo-analyst").all_scope
    assert Membership.objects.get(user__username="demo-admin").all_scope
    liaison = Membership.objects.get(user__username="demo-liaison")
    assert liaison.liaison_basis == LiaisonBasis.HOST_STATE
    admin = get_user_model().objects.get(username="demo-admin")
    assert admin.is_superuser and admin.is_staff


def test_each_account_belongs_to_the_group_of_its_role(seeded):
    groups = dict(
        get_user_model()
        .objects.filter(username__in=DEMO_USERNAMES)
        .values_list("username", "groups__name")
    )

    assert groups == {
        "demo-admin": "Administrator",
        "demo-staff": "Mission staff",
        "demo-staff-b": "Mission staff",
        "demo-legal": "Legal officer",
        "demo-analyst": "Analyst",
        "demo-liaison": "Liaison",
    }


def test_it_opens_cases_at_every_stage_a_case_can_reach(seeded):
    stages = set(Case.objects.values_list("stage", flat=True))

    assert stages == set(CaseStage.values)


def test_the_cases_span_four_missions_and_their_host_states(seeded):
    pairs = set(Case.objects.values_list("mission__acronym", "host_state__iso3"))

    assert pairs == {("MINUSCA", "CAF"), ("MONUSCO", "COD"), ("MINUSMA", "MLI"), ("UNMISS", "SSD")}


def test_there_are_impunity_cases_old_attacks_with_no_investigation_or_no_progress(seeded):
    impunity = Case.objects.impunity()

    assert impunity.filter(stage=CaseStage.NO_INVESTIGATION).exists()
    assert impunity.exclude(stage=CaseStage.NO_INVESTIGATION).exists()
    # ...and cases that are not: a final conviction, a recent attack.
    assert Case.objects.filter(has_conviction=True).exclude(pk__in=impunity).exists()
    assert Case.objects.exclude(pk__in=impunity).filter(stage=CaseStage.INVESTIGATION).exists()


def test_a_conviction_is_sentenced_and_final_and_an_acquittal_is_recorded(seeded):
    kinds = set(ProcedureStep.objects.values_list("kind", flat=True))

    assert {ProcedureStepKind.CONVICTED, ProcedureStepKind.SENTENCED} <= kinds
    assert {ProcedureStepKind.FINAL, ProcedureStepKind.ACQUITTED} <= kinds
    assert ProcedureStep.objects.exclude(sentence="").exists()


def test_some_suspects_are_at_large_and_some_detained_long_without_trial(seeded):
    assert Suspect.objects.at_large().exists()
    assert Suspect.objects.detained_without_trial(days=365).exists()


def test_some_follow_ups_are_overdue_and_some_answered(seeded):
    assert FollowUp.objects.overdue().exists()
    assert FollowUp.objects.filter(response_received_on__isnull=False).exists()


def test_it_records_an_attack_of_every_type_and_some_accidents(seeded):
    attack_types = set(Incident.objects.values_list("attack_type", flat=True))

    assert set(AttackType.values) <= attack_types
    assert Incident.objects.filter(incident_type=IncidentType.ACCIDENT).count() >= 2


def test_armed_groups_are_known_by_their_aliases(seeded):
    assert ArmedGroup.objects.search("JNIM").get().name == "Jama'at Nusrat al-Islam wal-Muslimin"
    assert ArmedGroup.objects.search("SPLA-IO").exists()
    assert ArmedGroup.objects.search("anti-Balaka").exists()


def _legal_terms(iso3: str) -> str:
    return " ".join(
        ProcedureStep.objects.filter(suspect__case__host_state__iso3=iso3).values_list(
            "legal_term", flat=True
        )
    )


def test_civil_law_states_use_civil_law_terms_and_south_sudan_common_law_ones(seeded):
    assert "mandat d'arrêt" in _legal_terms("CAF")
    assert "inculpation" in _legal_terms("CAF")
    assert "renvoi devant la cour d'assises" in _legal_terms("CAF")
    assert "mandat d'arrêt" in _legal_terms("COD") and "inculpation" in _legal_terms("MLI")
    assert "warrant of arrest" in _legal_terms("SSD")
    assert "committal for trial" in _legal_terms("SSD")
    assert "mandat" not in _legal_terms("SSD")


def test_every_incident_investigation_and_step_names_its_source(seeded):
    assert not Incident.objects.filter(sources="").exists()
    assert not Investigation.objects.filter(source="").exists()
    assert not ProcedureStep.objects.filter(source="").exists()


def test_the_demo_is_written_through_the_audited_services(seeded):
    assert audit_verify_chain() == []
    assert Incident.objects.filter(created_by__username="demo-staff").exists()
    assert ProcedureStep.objects.filter(recorded_by__username="demo-legal").exists()


def test_running_it_twice_changes_nothing(seeded):
    counts = (Incident.objects.count(), Case.objects.count(), ProcedureStep.objects.count())

    second = seed_demo()

    assert "nothing done" in second
    assert (Incident.objects.count(), Case.objects.count(), ProcedureStep.objects.count()) == (
        counts
    )
    assert get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == 6


def test_its_dates_are_counted_back_from_the_anchor_day(debug):
    anchor = date(2026, 1, 15)

    seed_demo("--today", anchor.isoformat())

    oldest, latest = (f(spec["ago"] for spec in INCIDENTS) for f in (max, min))
    first_case = Case.objects.order_by("attack_date").first()
    last_incident = Incident.objects.order_by("-occurred_at").first()
    assert first_case.attack_date == anchor - timedelta(days=oldest)
    assert last_incident.occurred_on == anchor - timedelta(days=latest)


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed_demo()

    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()


def test_it_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False

    seed_demo("--force")

    assert get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == 6
