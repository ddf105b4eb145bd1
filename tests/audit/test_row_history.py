"""Every write to a domain row is recorded by the database itself (PostgreSQL)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from missions.models import Country, Mission
from peacekeeping.audit import audit_record
from peacekeeping.history import db_actor
from peacekeeping.models import AuditEntry, RowHistory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("needs_postgres")]


@pytest.fixture
def mission():
    return Mission.objects.create(acronym="TESTMIS", name_en="Test mission")


def test_a_queryset_update_is_recorded_with_before_and_after(mission):
    user = get_user_model().objects.create_user("auditor")

    with db_actor(user=user, ip="10.1.2.3", context="test"):
        Mission.objects.filter(pk=mission.pk).update(name_en="Renamed mission")

    entry = RowHistory.objects.filter(table_name="missions_mission", object_id=str(mission.pk))
    update = entry.get(operation="UPDATE")
    assert update.before["name_en"] == "Test mission"
    assert update.after["name_en"] == "Renamed mission"
    assert update.actor_id == user.pk
    assert update.actor_name == "auditor"
    assert update.ip_address == "10.1.2.3"


def test_history_survives_the_deletion_of_the_record(mission):
    pk = mission.pk
    mission.delete()

    operations = list(
        RowHistory.objects.filter(table_name="missions_mission", object_id=str(pk)).values_list(
            "operation", flat=True
        )
    )
    assert operations == ["INSERT", "DELETE"]


def test_a_write_that_changes_nothing_is_not_recorded(mission):
    Mission.objects.filter(pk=mission.pk).update(name_en="Test mission")

    assert not RowHistory.objects.filter(
        table_name="missions_mission", object_id=str(mission.pk), operation="UPDATE"
    ).exists()


@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET {column} = {value}", "DELETE FROM {table}"]
)
@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("peacekeeping_rowhistory", "actor_name", "'forger'"),
        ("peacekeeping_auditentry", "actor_name", "'forger'"),
    ],
)
def test_the_application_role_cannot_alter_history(mission, statement, table, column, value):
    audit_record(actor=None, action="test", obj=mission)
    sql = statement.format(table=table, column=column, value=value)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert RowHistory.objects.filter(actor_name="forger").count() == 0
    assert AuditEntry.objects.filter(actor_name="forger").count() == 0


def test_every_domain_table_has_a_history_trigger():
    from peacekeeping.history import history_tables

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers"
            " WHERE trigger_name LIKE '%%_history'"
        )
        covered = {row[0] for row in cursor.fetchall()}

    assert "missions_country" in history_tables()
    assert set(history_tables()) <= covered


def test_the_country_reference_data_is_itself_history(mission):
    Country.objects.create(iso3="ZZT", name_en="Testland", name_fr="Testlande")

    assert RowHistory.objects.filter(table_name="missions_country", operation="INSERT").exists()


def test_a_statement_over_many_rows_records_each_row_with_its_own_images():
    """History triggers run once per statement (transition tables): each row of a
    multi-row INSERT, UPDATE and DELETE still gets its own entry, before and after paired."""
    user = get_user_model().objects.create_user("bulk-writer")
    with db_actor(user=user, context="bulk"):
        created = Mission.objects.bulk_create(
            Mission(acronym=f"BULK{n}", name_en=f"Bulk {n}") for n in range(3)
        )
        ids = [str(m.pk) for m in created]
        # Two rows change, one is written with the value it had: recorded only twice.
        Mission.objects.filter(acronym__in=["BULK0", "BULK1"]).update(name_en="Renamed")
        Mission.objects.filter(acronym="BULK2").update(name_en="Bulk 2")
        Mission.objects.filter(acronym__startswith="BULK").delete()

    history = RowHistory.objects.filter(table_name="missions_mission", object_id__in=ids)
    by_operation = {
        op: sorted(history.filter(operation=op).values_list("object_id", flat=True))
        for op in ("INSERT", "UPDATE", "DELETE")
    }
    assert by_operation == {"INSERT": sorted(ids), "UPDATE": sorted(ids[:2]), "DELETE": sorted(ids)}
    for entry in history.filter(operation="UPDATE"):
        assert entry.before["id"] == entry.after["id"] == int(entry.object_id)
        assert entry.before["name_en"] == f"Bulk {ids.index(entry.object_id)}"
        assert entry.after["name_en"] == "Renamed"
    assert set(history.values_list("actor_name", "context")) == {("bulk-writer", "bulk")}


def test_the_un_casualty_id_is_unique_without_a_pattern_index():
    from incidents.models import Casualty

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
            [Casualty._meta.db_table],
        )
        definitions = [row[0] for row in cursor.fetchall()]

    assert not [d for d in definitions if "un_casualty_id" in d and "pattern_ops" in d]
    assert [d for d in definitions if "UNIQUE" in d and "(un_casualty_id)" in d]
