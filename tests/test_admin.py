"""The admin serves every model to an administrator, audits its writes, and keeps history."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    InvestigatingAuthority,
    ProcedureStepKind,
)
from accountability.models import Case, CaseEvent, FollowUp, ProcedureStep, Suspect
from accountability.services import followup_record, suspect_identify
from incidents.choices import (
    AttackType,
    DatePrecision,
    IncidentSource,
    IncidentType,
    LocationPrecision,
    Outcome,
)
from incidents.models import ArmedGroup, Incident
from incidents.services import incident_record
from missions.choices import PersonnelCategory, Role
from missions.models import Country, Membership, Mission
from peacekeeping.audit import audit_record
from peacekeeping.models import AuditEntry
from tests.factories import CaseFactory

PROJECT_APPS = ("peacekeeping", "missions", "incidents", "accountability", "reports", "exports")
# The project's models, and the users and groups administrators manage with them.
MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in PROJECT_APPS or model._meta.app_label == "auth"
    ),
    key=lambda model: model._meta.label,
)
# History, sessions, reports and evidence are written by the services, never added here.
NOT_ADDED_IN_ADMIN = [
    "accountability.Notification",
    "accountability.NotificationPreference",
    "accountability.ProcedureStep",
    "exports.ExportJob",
    "reports.FollowUpReport",
    "reports.ImpunityDigest",
    "reports.ReportAcknowledgement",
    "reports.ReportAddressee",
    "incidents.Attachment",
    "missions.SavedSearch",
    "peacekeeping.AuditCheckpoint",
    "peacekeeping.AuditEntry",
    "peacekeeping.OutboxMessage",
    "peacekeeping.RowHistory",
    "peacekeeping.UserSession",
]
ADDED_IN_ADMIN = [model for model in MODELS if model._meta.label not in NOT_ADDED_IN_ADMIN]


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _label(model) -> str:
    return model._meta.label


def test_every_model_of_the_project_has_an_admin():
    from django.apps import apps

    project_models = {
        model for app_label in PROJECT_APPS for model in apps.get_app_config(app_label).get_models()
    }

    assert project_models - set(MODELS) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=_label)
def test_the_changelist_loads_for_the_superuser(admin_client, model):
    assert admin_client.get(_url(model, "changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADDED_IN_ADMIN, ids=_label)
def test_the_add_page_loads_for_the_superuser(admin_client, model):
    assert admin_client.get(_url(model, "add")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model_label", NOT_ADDED_IN_ADMIN)
def test_history_reports_and_evidence_are_never_added_through_the_admin(admin_client, model_label):
    from django.apps import apps

    model = apps.get_model(model_label)

    assert admin_client.get(_url(model, "add")).status_code == 403


@pytest.fixture
def audit_entry(admin_user):
    return audit_record(
        actor=admin_user, action="test_write", object_type="missions.country", object_id="1"
    )


@pytest.mark.django_db
def test_an_audit_entry_can_be_viewed_but_not_changed(admin_client, audit_entry):
    url = _url(AuditEntry, "change", audit_entry.pk)

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"action": "forged", "actor_name": "someone else"})

    assert response.status_code == 403
    audit_entry.refresh_from_db()
    assert audit_entry.action == "test_write"


@pytest.mark.django_db
def test_an_audit_entry_cannot_be_deleted(admin_client, audit_entry):
    url = _url(AuditEntry, "delete", audit_entry.pk)

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()


@pytest.mark.django_db
def test_audit_entries_cannot_be_deleted_in_bulk(admin_client, audit_entry):
    response = admin_client.post(
        _url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [audit_entry.pk], "post": "yes"},
    )

    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()
    assert response.status_code in {200, 302}


def _country_form(**overrides) -> dict:
    return {
        "iso3": "XYZ",
        "m49": "999",
        "name_en": "Xyzland",
        "name_fr": "Xyzie",
        "working_language": "en",
        **overrides,
    }


@pytest.mark.django_db
def test_adding_an_object_in_the_admin_writes_an_audit_entry(admin_client, admin_user):
    response = admin_client.post(_url(Country, "add"), _country_form())

    assert response.status_code == 302
    country = Country.objects.get(iso3="XYZ")
    entry = AuditEntry.objects.get(object_type="missions.country", object_id=str(country.pk))
    assert entry.action == "admin_change"
    assert entry.actor == admin_user
    assert entry.changes["name_en"] == [None, "Xyzland"]


@pytest.mark.django_db
def test_changing_an_object_in_the_admin_records_what_changed(admin_client):
    country = Country.objects.create(
        iso3="XYZ", m49="999", name_en="Xyzland", name_fr="Xyzie", working_language="en"
    )

    response = admin_client.post(
        _url(Country, "change", country.pk), _country_form(working_language="fr")
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="missions.country", object_id=str(country.pk))
    assert entry.action == "admin_change"
    assert entry.changes == {"working_language": ["en", "fr"]}


@pytest.mark.django_db
def test_deleting_an_object_in_the_admin_writes_an_audit_entry(admin_client):
    country = Country.objects.create(iso3="XYZ", name_en="Xyzland", name_fr="Xyzie")

    response = admin_client.post(_url(Country, "delete", country.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Country.objects.filter(pk=country.pk).exists()
    entry = AuditEntry.objects.get(action="admin_delete")
    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "missions.country",
        str(country.pk),
        "Xyzland",
    )


@pytest.mark.django_db
def test_the_admin_audit_trail_stays_an_intact_chain(admin_client):
    from peacekeeping.audit import audit_verify_chain

    admin_client.post(_url(Country, "add"), _country_form())
    country = Country.objects.get(iso3="XYZ")
    admin_client.post(_url(Country, "change", country.pk), _country_form(name_en="Xyz"))
    admin_client.post(_url(Country, "delete", country.pk), {"post": "yes"})

    assert AuditEntry.objects.count() == 3
    assert audit_verify_chain() == []


# --- with the demo data --------------------------------------------------------------------


@pytest.mark.django_db
def test_every_changelist_and_change_page_loads_with_the_demo_data(admin_client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    for model in MODELS:
        # Session, user, counts, the page of rows, filter choices, date hierarchy: at most
        # ten queries however many rows the page shows (5 to 100 here), so no column
        # costs a query a row.
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(_url(model, "changelist"))
        assert response.status_code == 200, model
        assert len(queries) <= 10, (model, [q["sql"] for q in queries])
        obj = model._default_manager.order_by("pk").last()
        if obj is not None:
            assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200, model


# --- writes go through the services ----------------------------------------------------------


def _management_form(prefix: str, total: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.django_db
def test_adding_an_incident_with_a_casualty_goes_through_the_services(admin_client):
    mission = Mission.objects.get(acronym="MINUSCA")
    occurred_on = date.today() - timedelta(days=10)

    response = admin_client.post(
        _url(Incident, "add"),
        {
            "mission": mission.pk,
            "occurred_at_0": occurred_on.isoformat(),
            "occurred_at_1": "10:30:00",
            "date_precision": DatePrecision.DAY,
            "location_precision": LocationPrecision.NEAR,
            "incident_type": IncidentType.MALICIOUS_ACT,
            "attack_type": AttackType.IED,
            "place": "Bria",
            "sources": "Flash report MINUSCA/JOC/2026/101",
            "source": IncidentSource.MANUAL,
            **_management_form("casualties", total=1),
            "casualties-0-category": PersonnelCategory.MILITARY_CONTINGENT,
            "casualties-0-nationality": Country.objects.get(iso3="SEN").pk,
            "casualties-0-outcome": Outcome.KILLED,
            **_management_form("attachments"),
        },
    )

    assert response.status_code == 302
    incident = Incident.objects.get(place="Bria")
    assert incident.reference == f"MINUSCA-{occurred_on.year}-0001"
    assert incident.casualties.get().outcome == Outcome.KILLED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"incident.record", "casualty.add"} <= actions


@pytest.mark.django_db
def test_adding_a_suspect_records_the_dated_sourced_identification(admin_client):
    case = CaseFactory()

    response = admin_client.post(
        _url(Suspect, "add"),
        {
            "case": case.pk,
            "name": "Ibrahim Fictif",
            "identified_on": (date.today() - timedelta(days=5)).isoformat(),
            "source": "Procès-verbal d'audition n° 12/2026",
        },
    )

    assert response.status_code == 302
    suspect = Suspect.objects.get(name="Ibrahim Fictif")
    step = suspect.steps.get()
    assert (step.kind, step.source) == (
        ProcedureStepKind.IDENTIFIED,
        "Procès-verbal d'audition n° 12/2026",
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.SUSPECTS_IDENTIFIED


@pytest.mark.django_db
def test_a_write_the_service_refuses_is_shown_and_nothing_is_saved(admin_client):
    user = get_user_model().objects.create_user("liaison-to-be")

    response = admin_client.post(
        _url(Membership, "add"),
        {
            "user": user.pk,
            "role": Role.LIAISON,
            "country": Country.objects.get(iso3="CAF").pk,
            "liaison_basis": "",
        },
        follow=True,
    )

    assert "Say why the State may follow cases" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    assert not AuditEntry.objects.exists()


@pytest.fixture
def recorded_step(admin_user):
    case = CaseFactory()
    suspect = suspect_identify(
        actor=admin_user,
        case=case,
        name="Suspect Fictif",
        identified_on=date.today() - timedelta(days=5),
        source="Procès-verbal d'audition",
    )
    return suspect.steps.get()


@pytest.mark.django_db
def test_a_procedure_step_is_neither_changed_nor_deleted_in_the_admin(admin_client, recorded_step):
    change = admin_client.post(_url(ProcedureStep, "change", recorded_step.pk), {"kind": "final"})
    delete = admin_client.post(_url(ProcedureStep, "delete", recorded_step.pk), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    recorded_step.refresh_from_db()
    assert recorded_step.kind == ProcedureStepKind.IDENTIFIED


@pytest.mark.django_db
def test_a_case_event_is_neither_changed_nor_deleted_in_the_admin(admin_client, recorded_step):
    event = CaseEvent.objects.get(case=recorded_step.suspect.case)

    change = admin_client.post(_url(CaseEvent, "change", event.pk), {"description": "rewritten"})
    delete = admin_client.post(_url(CaseEvent, "delete", event.pk), {"post": "yes"})

    assert (change.status_code, delete.status_code) == (403, 403)
    event.refresh_from_db()
    assert event.description != "rewritten"


@pytest.mark.django_db
def test_an_armed_group_and_its_aliases_are_registered_through_the_services(admin_client):
    response = admin_client.post(
        _url(ArmedGroup, "add"),
        {
            "name": "Front fictif de libération",
            "description": "",
            **_management_form("aliases", total=1),
            "aliases-0-alias": "FFL",
        },
    )

    assert response.status_code == 302
    assert ArmedGroup.objects.search("FFL").get().name == "Front fictif de libération"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["armed_group.create", "armed_group.add_alias"]


@pytest.mark.django_db
def test_opening_a_case_in_the_admin_derives_it_from_its_incident(admin_client, admin_user):
    incident = incident_record(
        actor=admin_user,
        mission=Mission.objects.get(acronym="UNMISS"),
        occurred_at=date.today() - timedelta(days=30),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        casualties=[
            {"category": PersonnelCategory.MILITARY_CONTINGENT, "outcome": Outcome.INJURED}
        ],
    )

    response = admin_client.post(
        _url(Case, "add"),
        {"incidents": [incident.pk], "opened_on": (date.today() - timedelta(days=20)).isoformat()},
    )

    assert response.status_code == 302
    case = Case.objects.get(case_incidents__incident=incident)
    assert (case.host_state.iso3, case.injured, case.attack_date) == (
        "SSD",
        1,
        incident.occurred_on,
    )
    assert AuditEntry.objects.filter(action="case.open", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_a_response_to_a_follow_up_is_recorded_through_its_service(admin_client, admin_user):
    case = CaseFactory()
    sent_on = date.today() - timedelta(days=40)
    follow_up = followup_record(
        actor=admin_user,
        case=case,
        sent_on=sent_on,
        channel=FollowUpChannel.NOTE_VERBALE,
        summary="Note verbale 2026/17",
        response_due=sent_on + timedelta(days=30),
    )
    received_on = date.today() - timedelta(days=2)

    response = admin_client.post(
        _url(FollowUp, "change", follow_up.pk),
        {
            "sent_on": sent_on.isoformat(),
            "channel": FollowUpChannel.NOTE_VERBALE,
            "summary": "Note verbale 2026/17",
            "response_due": (sent_on + timedelta(days=30)).isoformat(),
            "response_received_on": received_on.isoformat(),
            "outcome": "Investigation opened.",
        },
    )

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.response_received_on, follow_up.outcome) == (
        received_on,
        "Investigation opened.",
    )
    assert AuditEntry.objects.filter(action="follow_up.record_response").exists()
    assert case.events.filter(kind="follow_up_response").exists()


@pytest.mark.django_db
def test_an_investigation_added_on_the_case_page_is_opened_through_its_service(admin_client):
    case = CaseFactory()
    opened_on = date.today() - timedelta(days=100)

    response = admin_client.post(
        _url(Case, "change", case.pk),
        {
            "host_state": case.host_state_id,
            "opened_on": case.opened_on.isoformat(),
            **_management_form("case_incidents"),
            **_management_form("investigations", total=1),
            "investigations-0-authority": InvestigatingAuthority.PROSECUTOR,
            "investigations-0-opened_on": opened_on.isoformat(),
            "investigations-0-source": "Réquisitoire introductif n° 3/2026",
            **_management_form("suspects"),
            **_management_form("follow_ups"),
            **_management_form("events"),
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.stage, case.investigation_opened_on) == (CaseStage.INVESTIGATION, opened_on)
    assert case.events.filter(kind="investigation_opened").exists()
    assert AuditEntry.objects.filter(action="investigation.open").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["index", "changelist", "add"])
def test_admin_pages_ask_the_browser_for_no_favicon(admin_client, page):
    # As every page of the app does: otherwise the browser asks for /favicon.ico, a 404
    # in its console on every admin page.
    url = reverse("admin:index") if page == "index" else _url(ArmedGroup, page)

    response = admin_client.get(url)

    assert response.status_code == 200
    assert '<link rel="icon" href="data:,">' in response.text
