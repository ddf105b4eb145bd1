"""What the incidents tests share: casualty values, a date, and recording an incident."""

from datetime import UTC, datetime

from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import Incident
from incidents.services import incident_record
from missions.choices import PersonnelCategory

KILLED = {"category": PersonnelCategory.MILITARY_CONTINGENT, "outcome": Outcome.KILLED}
INJURED = {"category": PersonnelCategory.FORMED_POLICE_UNIT, "outcome": Outcome.INJURED}


def at(year: int, month: int = 6, day: int = 1) -> datetime:
    return datetime(year, month, day, 10, 30, tzinfo=UTC)


def record(actor, mission, **overrides) -> Incident:
    values = {
        "occurred_at": at(2024),
        "incident_type": IncidentType.MALICIOUS_ACT,
        "attack_type": AttackType.IED,
        "casualties": [KILLED],
    }
    return incident_record(actor=actor, mission=mission, **{**values, **overrides})
