"""Fixtures of the accountability tests: a legal officer, a mission in Mali, attacks."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from accountability.services import case_open
from incidents.choices import AttackType, IncidentType, Outcome
from tests.factories import (
    CasualtyFactory,
    CountryFactory,
    IncidentFactory,
    MissionFactory,
    UserFactory,
)


def days_ago(days: int) -> date:
    return date.today() - timedelta(days=days)


@pytest.fixture
def actor():
    return UserFactory(username="legal_officer")


@pytest.fixture
def host():
    return CountryFactory(iso3="MLI")


@pytest.fixture
def mission(host):
    return MissionFactory(acronym="TESTMALI", host_countries=[host])


@pytest.fixture
def make_incident(mission, host):
    """An attack on `on` (default 200 days ago) with one casualty per outcome given."""

    def make(
        *,
        on: date | None = None,
        outcomes=(Outcome.KILLED,),
        incident_type=IncidentType.MALICIOUS_ACT,
        **fields,
    ):
        fields.setdefault("mission", mission)
        fields.setdefault("country", host)
        incident = IncidentFactory(
            occurred_at=datetime.combine(on or days_ago(200), time(9), UTC),
            incident_type=incident_type,
            attack_type=AttackType.AMBUSH if incident_type == IncidentType.MALICIOUS_ACT else "",
            **fields,
        )
        for outcome in outcomes:
            CasualtyFactory(incident=incident, outcome=outcome)
        return incident

    return make


@pytest.fixture
def case(actor, make_incident):
    """A case opened on an attack 200 days ago that killed one peacekeeper."""
    return case_open(actor=actor, incidents=[make_incident()])
