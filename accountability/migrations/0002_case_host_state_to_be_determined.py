import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_initial"),
        ("missions", "0002_reference_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="host_state",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Empty while to be determined: a case opened by an import whose mission "
                    "had several host countries, until a legal officer names the State."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="missions.country",
                verbose_name="host State with jurisdiction",
            ),
        ),
    ]
