"""Follow-up reports and exports left the accountability app for apps of their own
(accountability/reports, labelled `reports`; accountability/exports, `exports`). A
database migrated before the move keeps every row, its content types and the
permissions given on them."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accountability.exports.models import ExportJob
from accountability.models import Notification
from accountability.reports.models import (
    FollowUpReport,
    ImpunityDigest,
    ReportAddressee,
)
from tests.factories import CountryFactory, MissionFactory, UserFactory

# The schema of the day before the move: accountability's last migration with the
# models, and neither new app.
BEFORE = [
    ("accountability", "0011_notifications_followup_response"),
    ("reports", None),
    ("exports", None),
]
MOVED = {
    "reports": ["followupreport", "impunitydigest", "reportaddressee", "reportacknowledgement"],
    "exports": ["exportjob"],
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_the_new_apps_hold_the_models_on_the_old_tables():
    assert apps.get_app_config("reports").get_model("FollowUpReport") is FollowUpReport
    assert apps.get_app_config("exports").get_model("ExportJob") is ExportJob
    assert FollowUpReport._meta.db_table == "accountability_followupreport"
    assert ExportJob._meta.db_table == "accountability_exportjob"
    assert ReportAddressee._meta.db_table == "accountability_reportaddressee"
    assert Notification._meta.get_field("report").related_model is FollowUpReport
    assert Notification._meta.get_field("export").related_model is ExportJob


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row_and_permission():
    state, mission, user = CountryFactory(iso3="CAF"), MissionFactory(), UserFactory()

    old = migrate(BEFORE).loader.project_state(BEFORE[:1]).apps
    report = old.get_model("accountability", "FollowUpReport").objects.create(
        host_state_id=state.pk,
        period_kind="month",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        period_label="2026-10",
        language="fr",
        requested_by_id=user.pk,
        status="done",
        content={"cases": [1, 2]},
    )
    old.get_model("accountability", "ReportAcknowledgement").objects.create(
        report_id=report.pk, received_on=date(2026, 11, 20), acknowledged_by_id=user.pk
    )
    old.get_model("accountability", "ReportAddressee").objects.create(
        host_state_id=state.pk, lines="Permanent Mission\nNew York"
    )
    old.get_model("accountability", "ImpunityDigest").objects.create(
        mission_id=mission.pk, week=date(2026, 11, 30), cases=[7], recipients=["a@example.org"]
    )
    export = old.get_model("accountability", "ExportJob").objects.create(
        user_id=user.pk, kind="cases", format="csv", status="done", row_count=12
    )
    old.get_model("accountability", "Notification").objects.create(
        recipient_id=user.pk,
        kind="report_ready",
        report_id=report.pk,
        export_id=export.pk,
        event_key="ready-1",
        created_at=timezone.now(),
    )
    # Before the move, the content types are accountability's; a group may read reports.
    OldContentType = old.get_model("contenttypes", "ContentType")
    assert OldContentType.objects.filter(app_label="accountability", model="exportjob").exists()
    OldPermission = old.get_model("auth", "Permission")
    readers = old.get_model("auth", "Group").objects.create(name="Report readers")
    readers.permissions.add(
        OldPermission.objects.get(
            content_type__app_label="accountability", codename="view_followupreport"
        ),
        OldPermission.objects.get(
            content_type__app_label="accountability", codename="view_exportjob"
        ),
    )

    migrate(latest())

    moved = FollowUpReport.objects.get(pk=report.pk)
    assert (moved.host_state, moved.period_label, moved.content) == (
        state,
        "2026-10",
        {"cases": [1, 2]},
    )
    assert moved.acknowledgement.received_on == date(2026, 11, 20)
    assert ReportAddressee.objects.get(host_state=state).lines == "Permanent Mission\nNew York"
    assert ImpunityDigest.objects.get(mission=mission).cases == [7]
    assert ExportJob.objects.get(pk=export.pk).row_count == 12
    notification = Notification.objects.get(event_key="ready-1")
    assert (notification.report, notification.export) == (
        moved,
        ExportJob.objects.get(pk=export.pk),
    )
    # The content types and their permissions moved with the models, none left behind.
    for label, models_ in MOVED.items():
        for model in models_:
            assert ContentType.objects.filter(app_label=label, model=model).count() == 1
            assert not ContentType.objects.filter(app_label="accountability", model=model).exists()
    assert set(
        Group.objects.get(name="Report readers").permissions.values_list(
            "content_type__app_label", "codename"
        )
    ) == {("reports", "view_followupreport"), ("exports", "view_exportjob")}
    user.groups.add(Group.objects.get(name="Report readers"))
    reader = type(user).objects.get(pk=user.pk)
    assert reader.has_perm("reports.view_followupreport")
    assert reader.has_perm("exports.view_exportjob")
    assert Permission.objects.filter(content_type__app_label="reports").count() == 16


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_moved_tables_keep_their_row_history_triggers():
    if connection.vendor != "postgresql":
        pytest.skip("row history triggers are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers"
            " WHERE trigger_name LIKE '%%_history'"
        )
        covered = {row[0] for row in cursor.fetchall()}

    # The addressee and the acknowledgements are records (history); the reports, the
    # digests and the exports are derived documents, audited rather than historied.
    assert {"accountability_reportaddressee", "accountability_reportacknowledgement"} <= covered
    assert (
        not {
            "accountability_followupreport",
            "accountability_impunitydigest",
            "accountability_exportjob",
        }
        & covered
    )
