"""Small files in the UN fatalities file's format, for the importer's tests."""

from datetime import date

from incidents.models import Casualty

HEADER = (
    "Casualty_ID,Incident_Date,Mission_Acronym,Type_of_Casualty,Casualty_Nationality,"
    "M49_Code,ISOCode3,Casualty_Personnel_Type,Type_Of_Incident"
)
FRANCE = ("France", "250", "FRA")
MONTENEGRO = ("Montenegro", "499", "MNE")
SERBIA_AND_MONTENEGRO = ("Serbia and Montenegro", "891", "SCG")

COUNTRIES = [
    ("FRA", "250", "France"),
    ("NOR", "578", "Norway"),
    ("MNE", "499", "Montenegro"),
    ("SCG", "891", "Serbia and Montenegro"),
    ("CIV", "384", "Côte d’Ivoire"),
    ("LBN", "422", "Lebanon"),
    ("KSV", "", "Kosovo"),
    ("EGY", "818", "Egypt"),
    ("ISR", "376", "Israel"),
]
# acronym: (mandate start, mandate end, hosts, aggregate)
MISSIONS = {
    "UNIFIL": (date(1978, 3, 19), None, ["LBN"], False),
    "UNMIK": (date(1999, 6, 10), None, ["KSV"], False),
    "UNEF": (date(1956, 11, 1), date(1979, 7, 1), ["EGY", "ISR"], True),
}


def fatality(
    casualty_id: str,
    *,
    on: str = "2010-05-01",
    mission: str = "UNIFIL",
    nationality: tuple[str, str, str] = FRANCE,
    personnel: str = "Military",
    incident: str = "Accident",
    casualty: str = "Fatality",
) -> list[str]:
    return [casualty_id, on, mission, casualty, *nationality, personnel, incident]


def only_casualty(casualty_id: str) -> Casualty:
    return Casualty.objects.select_related("incident__mission", "nationality").get(
        un_casualty_id=casualty_id
    )
