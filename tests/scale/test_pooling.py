"""Behind PgBouncer in transaction mode, the history still names who wrote each row.

A transaction pooler lends a server connection for one transaction: a session setting
made in one transaction may be read by another client's next one. With
DISABLE_SERVER_SIDE_CURSORS (set exactly where DATABASE_URL points at such a pool), the
actor is set local to the transaction of each write instead, and nothing of it is left on
the server connection afterwards.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from missions.models import Mission
from peacekeeping.history import db_actor
from peacekeeping.models import RowHistory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("needs_postgres")]


@pytest.fixture
def pooled(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)


def session_actor() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('peacekeeping.actor_name', true)")
        return cursor.fetchone()[0]


def history_of(mission: Mission) -> list[tuple[str, str, str]]:
    return list(
        RowHistory.objects.filter(table_name="missions_mission", object_id=str(mission.pk))
        .order_by("id")
        .values_list("operation", "actor_name", "context")
    )


def test_an_autocommit_write_names_its_actor_and_leaves_no_session_setting(pooled):
    user = get_user_model().objects.create_user("pooled-writer")

    with db_actor(user=user, context="task:test"):
        assert not session_actor()  # nothing set on the (lent) server connection
        mission = Mission.objects.create(acronym="POOLA", name_en="Pooled A")
        Mission.objects.filter(pk=mission.pk).update(name_en="Pooled A, renamed")
        assert not session_actor()

    assert history_of(mission) == [
        ("INSERT", "pooled-writer", "task:test"),
        ("UPDATE", "pooled-writer", "task:test"),
    ]


def test_writes_inside_a_transaction_name_their_actor(pooled):
    user = get_user_model().objects.create_user("pooled-service")

    with db_actor(user=user, ip="10.9.8.7", context="POST /x/"), transaction.atomic():
        mission = Mission.objects.create(acronym="POOLB", name_en="Pooled B")
        mission.name_en = "Pooled B, renamed"
        mission.save()

    rows = RowHistory.objects.filter(table_name="missions_mission", object_id=str(mission.pk))
    assert {(r.operation, r.actor_name, r.actor_id, str(r.ip_address)) for r in rows} == {
        ("INSERT", "pooled-service", user.pk, "10.9.8.7"),
        ("UPDATE", "pooled-service", user.pk, "10.9.8.7"),
    }
    assert not session_actor()


def test_after_the_block_writes_are_no_longer_attributed(pooled):
    user = get_user_model().objects.create_user("pooled-gone")
    with db_actor(user=user):
        pass

    mission = Mission.objects.create(acronym="POOLC", name_en="Pooled C")

    assert history_of(mission)[0][1] != "pooled-gone"
    assert not any(type(w).__name__ == "TransactionActor" for w in connection.execute_wrappers)


def test_without_a_pooler_server_side_cursors_stay_on_and_the_actor_is_per_session():
    user = get_user_model().objects.create_user("direct-writer")

    with db_actor(user=user):
        assert session_actor() == "direct-writer"

    assert connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS") is False
    assert not session_actor()
