"""A small world with two missions and one persona per role, for access tests.

Mission A is MINUSCA (host State: Central African Republic), mission B is MONUSCO (DR
Congo). Each has one submitted malicious-act incident with a case and a named suspect.
A French peacekeeper is killed in mission B, so France's nationality liaison sees that
case and nothing of mission A.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth import get_user_model

from accountability.models import Case, Suspect
from accountability.services import case_open, followup_record, suspect_identify
from incidents.choices import AttackType, IncidentType, Outcome
from incidents.models import Incident
from incidents.services import casualty_add, incident_record, incident_submit
from missions.choices import LiaisonBasis, PersonnelCategory, Role
from missions.models import Country, Mission
from missions.services import membership_grant

PASSWORD = "persona-password-2589"
PERSONAS = (
    "admin",
    "staff_a",
    "legal_a",
    "analyst_a",
    "analyst_all",
    "liaison_a",
    "liaison_fr",
    "staff_b",
    "liaison_other",
    "deactivated",
    "anonymous",
)


@dataclass
class World:
    mission_a: Mission
    mission_b: Mission
    host_a: Country
    host_b: Country
    incident_a: Incident
    incident_b: Incident
    case_a: Case
    case_b: Case
    suspect_a: Suspect
    suspect_b: Suspect
    users: dict


def _user(username: str, **extra):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, **extra
    )
    return user


def _attack(*, actor, mission, host, nationality, days_ago: int, suspect: str):
    incident = incident_record(
        actor=actor,
        mission=mission,
        occurred_at=datetime.now(UTC) - timedelta(days=days_ago),
        incident_type=IncidentType.MALICIOUS_ACT,
        attack_type=AttackType.AMBUSH,
        country=host,
        place="Route 7",
        latitude="4.36",
        longitude="18.55",
        narrative=f"Ambush of a patrol of {mission.acronym}.",
        sources="Flash report",
    )
    casualty_add(
        actor=actor,
        incident=incident,
        category=PersonnelCategory.MILITARY_CONTINGENT,
        nationality=nationality,
        outcome=Outcome.KILLED,
    )
    incident_submit(actor=actor, incident=incident)
    incident.refresh_from_db()
    case = Case.objects.get(case_incidents__incident=incident) if incident.cases.exists() else None
    if case is None:
        case = case_open(actor=actor, incidents=[incident])
    found = suspect_identify(
        actor=actor,
        case=case,
        name=suspect,
        identified_on=date.today() - timedelta(days=days_ago - 10),
        source="Procès-verbal d'audition",
    )
    followup_record(
        actor=actor,
        case=case,
        sent_on=date.today() - timedelta(days=days_ago - 20),
        channel="note_verbale",
        summary=f"Request for information on {case.reference}",
    )
    return incident, case, found


def build_world() -> World:
    users = {"anonymous": None}
    admin = _user("admin", is_staff=True, is_superuser=True)
    users["admin"] = admin
    mission_a = Mission.objects.get(acronym="MINUSCA")
    mission_b = Mission.objects.get(acronym="MONUSCO")
    host_a = Country.objects.get(iso3="CAF")
    host_b = Country.objects.get(iso3="COD")
    france = Country.objects.get(iso3="FRA")
    incident_a, case_a, suspect_a = _attack(
        actor=admin,
        mission=mission_a,
        host=host_a,
        nationality=Country.objects.get(iso3="BGD"),
        days_ago=300,
        suspect="Jean-Baptiste KOYAMBA",
    )
    incident_b, case_b, suspect_b = _attack(
        actor=admin,
        mission=mission_b,
        host=host_b,
        nationality=france,
        days_ago=250,
        suspect="Pierre MUKENDI",
    )
    grants = {
        "staff_a": {"role": Role.MISSION_STAFF, "mission": mission_a},
        "legal_a": {"role": Role.LEGAL_OFFICER, "mission": mission_a},
        "analyst_a": {"role": Role.ANALYST, "mission": mission_a},
        "analyst_all": {"role": Role.ANALYST, "all_scope": True, "can_see_names": True},
        "liaison_a": {
            "role": Role.LIAISON,
            "country": host_a,
            "liaison_basis": LiaisonBasis.HOST_STATE,
        },
        "liaison_fr": {
            "role": Role.LIAISON,
            "country": france,
            "liaison_basis": LiaisonBasis.NATIONALITY,
        },
        "staff_b": {"role": Role.MISSION_STAFF, "mission": mission_b},
        "liaison_other": {
            "role": Role.LIAISON,
            "country": Country.objects.get(iso3="SSD"),
            "liaison_basis": LiaisonBasis.HOST_STATE,
        },
        "deactivated": {"role": Role.MISSION_STAFF, "mission": mission_a},
    }
    for username, grant in grants.items():
        users[username] = _user(username)
        membership_grant(actor=admin, user=users[username], **grant)
    users["deactivated"].is_active = False
    users["deactivated"].save(update_fields=["is_active"])
    return World(
        mission_a=mission_a,
        mission_b=mission_b,
        host_a=host_a,
        host_b=host_b,
        incident_a=incident_a,
        incident_b=incident_b,
        case_a=case_a,
        case_b=case_b,
        suspect_a=suspect_a,
        suspect_b=suspect_b,
        users=users,
    )
