"""An incident's history reads the same on both databases.

Production (PostgreSQL) reads the row history its triggers write; a machine without
PostgreSQL (SQLite, `make run` and `make test` without services) reads the services'
audit trail. The same journey, through the services, is read back here on whichever
database the suite runs on; and on PostgreSQL both readers are asked and must say the
same thing, line by line, so the SQLite path is proven equal to production's.
"""

from datetime import UTC, datetime

import pytest

from incidents.choices import IncidentType
from incidents.history import AUDIT, ROWS, incident_timeline
from incidents.services import (
    casualty_add,
    casualty_remove,
    incident_record,
    incident_submit,
    incident_update,
    incident_verify,
)
from peacekeeping.history import db_actor
from tests.factories import CountryFactory
from tests.incidents.helpers import INJURED, KILLED

pytestmark = pytest.mark.django_db


def journey(world):
    """Record a draft, correct its place, add two casualties and remove one, submit, verify:
    each write as a request would make it (the row history names its writer)."""
    staff, admin = world.users["staff_a"], world.users["admin"]
    nationality = CountryFactory(iso3="BGD", name_en="Bangladesh")
    with db_actor(user=staff):
        incident = incident_record(
            actor=staff,
            mission=world.mission_a,
            occurred_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
            incident_type=IncidentType.ACCIDENT,
            place="Bria",
        )
        incident = incident_update(actor=staff, incident=incident, place="Kaga-Bandoro")
        casualty_add(actor=staff, incident=incident, nationality=nationality, **INJURED)
        mistaken = casualty_add(actor=staff, incident=incident, nationality=nationality, **KILLED)
        casualty_remove(actor=staff, casualty=mistaken)
        incident_submit(actor=staff, incident=incident)
    with db_actor(user=admin):
        incident_verify(actor=admin, incident=incident)
    return incident


def lines(entries):
    return [(entry.who, entry.what, entry.details) for entry in entries]


def test_the_history_tells_the_journey_in_order_with_what_changed(world):
    incident = journey(world)

    timeline = incident_timeline(incident)

    assert [(entry.who, entry.what) for entry in timeline] == [
        ("staff_a", "Incident recorded"),
        ("staff_a", "Incident changed"),
        ("staff_a", "Casualty added"),
        ("staff_a", "Casualty added"),
        ("staff_a", "Casualty removed"),
        ("staff_a", "Incident submitted"),
        ("admin", "Incident verified"),
    ]
    assert ("Place", "Bria", "Kaga-Bandoro") in [
        (label.capitalize(), before, after) for label, before, after in timeline[1].details
    ]
    assert ("Nationality", "—", "Bangladesh") in [
        (label.capitalize(), before, after) for label, before, after in timeline[2].details
    ]


def test_on_postgresql_the_row_history_and_the_audit_trail_say_the_same(world, needs_postgres):
    incident = journey(world)

    from_rows = incident_timeline(incident, source=ROWS)
    from_audit = incident_timeline(incident, source=AUDIT)

    assert len(from_rows) == 7
    assert lines(from_rows) == lines(from_audit)
