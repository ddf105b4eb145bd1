"""Fixtures of the legal officers' and analysts' page tests."""

from datetime import UTC, datetime, timedelta

import pytest

from accountability.services import case_open
from incidents.choices import AttackType, IncidentType, Outcome
from missions.choices import Role
from missions.services import membership_grant
from tests.factories import CasualtyFactory, IncidentFactory, UserFactory


@pytest.fixture
def client_as(client):
    """`client_as(user)`: the test client, signed in as that persona."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def legal_b(world):
    """A legal officer of mission B (MONUSCO), who has no business with mission A."""
    user = UserFactory(username="legal_b")
    membership_grant(
        actor=world.users["admin"], user=user, role=Role.LEGAL_OFFICER, mission=world.mission_b
    )
    return user


@pytest.fixture
def make_case(world):
    """`make_case(mission, days_ago=..., killed=1)`: a case opened by the service on a new
    attack of the mission, in its host State."""

    def make(mission=None, *, days_ago: int = 200, killed: int = 1, **incident_fields) -> object:
        mission = mission or world.mission_a
        host = world.host_a if mission == world.mission_a else world.host_b
        incident_fields.setdefault("latitude", None)
        incident_fields.setdefault("longitude", None)
        incident = IncidentFactory(
            mission=mission,
            country=host,
            occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
            incident_type=IncidentType.MALICIOUS_ACT,
            attack_type=AttackType.IED,
            **incident_fields,
        )
        for _ in range(killed):
            CasualtyFactory(incident=incident, outcome=Outcome.KILLED)
        return case_open(actor=world.users["admin"], incidents=[incident])

    return make
