"""The follow-up reports and the exports leave this app for apps of their own
(accountability/reports, accountability/exports): in the migration state only, the
tables and their rows stay where they are. The notifications' foreign keys now name the
models in their new apps (the same tables, so no change in the database)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0011_notifications_followup_response"),
        ("exports", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="export",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="exports.exportjob",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="report",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="reports.followupreport",
                    ),
                ),
                migrations.DeleteModel(name="ReportAcknowledgement"),
                migrations.DeleteModel(name="ReportAddressee"),
                migrations.DeleteModel(name="ExportJob"),
                migrations.DeleteModel(name="FollowUpReport"),
                migrations.DeleteModel(name="ImpunityDigest"),
            ],
            database_operations=[],
        ),
    ]
