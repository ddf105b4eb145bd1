"""Retention (UN Personal Data Protection and Privacy Principles): personal data of matters
that ended more than RETENTION_YEARS ago are anonymised by an audited job; open cases,
however old, and the figures are untouched."""

import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accountability.models import Case, Suspect
from accountability.services import (
    investigation_open,
    investigation_update_status,
    procedure_record_step,
    suspect_identify,
)
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import Casualty
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import PersonnelCategory
from peacekeeping.accounts.models import UserSession
from peacekeeping.audit import audit_verify_chain
from peacekeeping.models import AuditEntry, RowHistory
from peacekeeping.retention import retention_apply, retention_cutoff

pytestmark = pytest.mark.django_db

SOURCE = "Jugement n° 12"


def years_ago(years: int, days: int = 0) -> date:
    return date.today() - timedelta(days=365 * years + days)


def old_case(world, *, place: str, years: int = 14) -> Case:
    actor = world.users["admin"]
    incident = incident_record(
        actor=actor,
        mission=world.mission_a,
        occurred_at=datetime.combine(years_ago(years), datetime.min.time(), UTC),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        place=place,
    )
    casualty_add(
        actor=actor,
        incident=incident,
        category=PersonnelCategory.MILITARY_CONTINGENT,
        outcome=Outcome.INJURED,
        notes="Shrapnel wounds to the left leg; evacuated to Bangui.",
    )
    incident_submit(actor=actor, incident=incident)
    return Case.objects.get(case_incidents__incident=incident)


@pytest.fixture
def matters(world, settings):
    """A judgment final 12 years ago, a case closed without charge 11 years ago, and a
    case as old that is still open; RETENTION_YEARS is 10."""
    settings.RETENTION_YEARS = 10
    actor = world.users["admin"]
    judged = old_case(world, place="Bria")
    convicted = suspect_identify(
        actor=actor,
        case=judged,
        name="Convicted PERSON",
        alias="Le Colonel",
        identified_on=years_ago(13, 300),
        source=SOURCE,
    )
    for kind, when in (
        ("charged", years_ago(13, 200)),
        ("trial_opened", years_ago(13, 100)),
        ("convicted", years_ago(13)),
        ("final", years_ago(12)),
    ):
        procedure_record_step(
            actor=actor, suspect=convicted, kind=kind, occurred_on=when, source=SOURCE
        )

    closed = old_case(world, place="Obo")
    investigation = investigation_open(
        actor=actor, case=closed, authority="police", opened_on=years_ago(13, 300), source=SOURCE
    )
    released = suspect_identify(
        actor=actor,
        case=closed,
        name="Released PERSON",
        identified_on=years_ago(13, 200),
        source=SOURCE,
    )
    investigation_update_status(
        actor=actor,
        investigation=investigation,
        status="closed_without_charge",
        on=years_ago(11),
        source=SOURCE,
    )

    still_open = old_case(world, place="Birao")
    at_large = suspect_identify(
        actor=actor, case=still_open, name="At LARGE", identified_on=years_ago(13), source=SOURCE
    )
    session = UserSession.objects.create(
        user=world.users["staff_a"],
        session_key="x" * 32,
        ip="198.51.100.7",
        user_agent="Old browser",
    )
    UserSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - timedelta(days=365 * 11),
        last_seen=timezone.now() - timedelta(days=365 * 11),
    )
    return {
        "convicted": convicted,
        "released": released,
        "at_large": at_large,
        "judged": judged,
        "closed": closed,
        "still_open": still_open,
    }


def test_names_of_ended_matters_are_anonymised_and_open_cases_kept(matters, world):
    stages_before = dict(Case.objects.values_list("pk", "stage"))

    result = retention_apply()

    convicted = Suspect.objects.get(pk=matters["convicted"].pk)
    released = Suspect.objects.get(pk=matters["released"].pk)
    at_large = Suspect.objects.get(pk=matters["at_large"].pk)
    assert convicted.name == f"[anonymised #{convicted.pk}]" and convicted.alias == ""
    assert released.name == f"[anonymised #{released.pk}]"
    assert at_large.name == "At LARGE"  # the case is open: its purpose is not met
    assert Suspect.objects.get(pk=world.suspect_a.pk).name == "Jean-Baptiste KOYAMBA"
    # The procedure and the figures the Security Council reads do not change.
    assert convicted.status == "final" and convicted.steps.count() == 5
    assert dict(Case.objects.values_list("pk", "stage")) == stages_before
    # Victims' notes of the ended matters are cleared; the open case keeps them.
    notes = dict(Casualty.objects.values_list("incident__place", "notes"))
    assert notes["Bria"] == notes["Obo"] == ""
    assert notes["Birao"].startswith("Shrapnel")
    assert not UserSession.objects.filter(session_key="x" * 32).exists()
    assert sorted(result["suspects_anonymised"]) == sorted([convicted.pk, released.pk])


def test_the_job_is_audited_without_the_erased_values_and_runs_once(matters):
    retention_apply()
    again = retention_apply()

    entries = AuditEntry.objects.filter(action="retention.apply").order_by("id")
    assert entries.count() == 2
    first = entries[0]
    assert first.changes["retention_years"] == 10
    assert first.changes["cutoff"] == retention_cutoff().isoformat()
    assert first.changes["suspects_anonymised"] == sorted(
        [matters["convicted"].pk, matters["released"].pk]
    )
    assert "Convicted PERSON" not in json.dumps(first.changes)
    assert again["suspects_anonymised"] == [] and again["casualty_notes_cleared"] == []
    assert audit_verify_chain() == []
    if connection.vendor == "postgresql":
        # The change itself is in the row history, by the job.
        update = RowHistory.objects.filter(
            table_name="accountability_suspect",
            object_id=str(matters["convicted"].pk),
            operation="UPDATE",
        ).last()
        assert update.after["name"].startswith("[anonymised")


def test_the_command_has_a_dry_run_that_changes_nothing(matters):
    out = StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert '"suspects_anonymised": 2' in out.getvalue()
    assert Suspect.objects.get(pk=matters["convicted"].pk).name == "Convicted PERSON"
    assert not AuditEntry.objects.filter(action="retention.apply").exists()

    call_command("apply_retention", stdout=StringIO())
    assert Suspect.objects.get(pk=matters["convicted"].pk).name.startswith("[anonymised")


def test_nothing_is_anonymised_before_the_retention_period_ends(matters, settings):
    settings.RETENTION_YEARS = 20

    result = retention_apply()

    assert result["suspects_anonymised"] == [] and result["casualty_notes_cleared"] == []
    assert Suspect.objects.get(pk=matters["convicted"].pk).name == "Convicted PERSON"
