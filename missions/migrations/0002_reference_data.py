"""Load every country and UN operation shipped in missions/data/ (idempotent)."""

from django.db import migrations


def load_reference_data(apps, schema_editor):
    # The helpers take the historical models and set only the fields these have, so this
    # migration keeps working when later ones add fields to Country or Mission.
    from missions.importers import (
        COUNTRIES_JSON,
        MISSIONS_JSON,
        read_reference_json,
        reference_countries_sync,
        reference_missions_sync,
    )

    country_model = apps.get_model("missions", "Country")
    mission_model = apps.get_model("missions", "Mission")
    using = schema_editor.connection.alias
    reference_countries_sync(country_model, read_reference_json(COUNTRIES_JSON), using=using)
    reference_missions_sync(
        mission_model, country_model, read_reference_json(MISSIONS_JSON), using=using
    )


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_data, migrations.RunPython.noop, elidable=False),
    ]
