"""The benchmark data set's sizes and distributions (bench/generate.py draws from them).

Figures from the UN fatalities file (odp_noticas.csv) since 1990 where the file has them;
the procedure's path and its legal terms from the app's own rules and vocabulary.
"""

from __future__ import annotations

from datetime import date

from accountability.choices import ProcedureStepKind
from incidents.choices import AttackType, IncidentType, Outcome
from missions.choices import PersonnelCategory

SEED = 2589  # Security Council resolution 2589 (2021)

INCIDENTS = 100_000
CASUALTIES = 1_000_000
CASES = 100_000
REPORT_STATE = "MLI"  # figure B5: one host State's follow-up report
REPORT_STATE_MISSION = "MINUSMA"
REPORT_STATE_CASES = 10_000
REPORT_SINCE = date(2013, 1, 1)  # FOLLOWUP_REPORT_ATTACKS_SINCE's default

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2025, 12, 31)
# No procedure step, follow-up or support is dated after this day: the data set does not
# depend on the day it is generated.
HORIZON = date(2026, 6, 30)

# Deaths per mission since 1990 in odp_noticas.csv (June 2022 edition).
MISSION_WEIGHTS = {
    "UNAMID": 294, "MINUSMA": 249, "MONUSCO": 218, "UNPROFOR": 213, "UNMIL": 204,
    "UNAMSIL": 192, "MINUSTAH": 187, "MONUC": 161, "UNOSOM": 160, "UNOCI": 151,
    "MINUSCA": 149, "UNIFIL": 148, "UNMISS": 97, "UNTAC": 82, "UNMIK": 61, "UNMIS": 60,
    "UNISFA": 45, "UNAVEM": 41, "UNAMA": 39, "UNDOF": 31, "UNFICYP": 30, "UNAMIR": 27,
    "UNOHCI": 27, "UNAMI": 27, "ONUMOZ": 26, "UNTAET": 26, "ONUB": 24, "MONUA": 22,
    "UNMISET": 21, "UNMEE": 20, "UNIKOM": 18, "UNMIT": 17, "MINURSO": 16, "UNCRO": 16,
    "UNTSO": 15, "UNPF": 13, "UNOMIG": 12, "UNMIBH": 12, "UNTAES": 11, "UNMIH": 9,
    "MINURCAT": 9, "UNGCI": 8, "UNAMET": 8, "UNMOT": 7, "MIPONUH": 7, "UNSMIL": 7,
    "IPTF": 6, "UNMIN": 6, "UNTAG": 5, "ONUSAL": 5, "UN Secretariat": 5, "UNMOGIP": 4,
    "UNPREDEP": 4, "MINUGUA": 4, "UNIOSIL": 4, "UNSOM": 4, "UNVMC": 3, "UNSMA": 2,
    "MINURCA": 2, "UNPOS": 2, "UNOWA": 2, "UNSOS": 2, "UNSMIH": 1, "UNPSG": 1, "MICAH": 1,
    "UNMA": 1, "BONUCA": 1, "UNIPSIL": 1, "UNOAU": 1, "UNSMIS": 1, "MINUJUSTH": 1,
    "BINUH": 1, "UNOWAS": 1, "OSE-Syria": 1,
}  # fmt: skip
# Nationalities of the dead since 1990 (the 40 most frequent; the rest share "other").
NATIONALITY_WEIGHTS = {
    "PAK": 157, "BGD": 157, "NGA": 138, "ETH": 109, "IND": 106, "COD": 84, "ZMB": 83,
    "TCD": 82, "FRA": 81, "GHA": 75, "SEN": 73, "NPL": 72, "KEN": 65, "RWA": 65, "SDN": 65,
    "USA": 64, "JOR": 62, "TZA": 62, "GBR": 53, "RUS": 50, "EGY": 48, "ZAF": 48, "BFA": 46,
    "GIN": 45, "NER": 44, "FJI": 43, "MAR": 42, "ESP": 39, "TGO": 39, "LBR": 39, "SLE": 36,
    "HTI": 36, "POL": 35, "CAN": 35, "UKR": 35, "BRA": 35, "URY": 33, "AFG": 31, "MWI": 31,
}  # fmt: skip
OTHER_NATIONALITIES_WEIGHT = 900
BLANK_NATIONALITY_WEIGHT = 37

INCIDENT_TYPE_WEIGHTS = {
    IncidentType.ILLNESS: 1244,
    IncidentType.ACCIDENT: 1009,
    IncidentType.MALICIOUS_ACT: 785,
    IncidentType.TO_BE_DETERMINED: 130,
    IncidentType.SELF_INFLICTED: 97,
    IncidentType.UNKNOWN: 25,
}
ATTACK_TYPE_WEIGHTS = {
    AttackType.DIRECT_FIRE: 30,
    AttackType.IED: 22,
    AttackType.AMBUSH: 16,
    AttackType.INDIRECT_FIRE: 9,
    AttackType.COMPLEX: 5,
    AttackType.SUICIDE: 4,
    AttackType.MOB_VIOLENCE: 5,
    AttackType.ABDUCTION: 3,
    AttackType.ROBBERY: 3,
    AttackType.SEXUAL_VIOLENCE: 1,
    AttackType.OTHER: 2,
}
# (category, the UN file's label) by their share of the deaths since 1990.
CATEGORY_WEIGHTS = {
    (PersonnelCategory.MILITARY_CONTINGENT, "Military"): 2122,
    (PersonnelCategory.NATIONAL_STAFF, "Local "): 467,
    (PersonnelCategory.INDIVIDUAL_POLICE, "Police"): 289,
    (PersonnelCategory.INTERNATIONAL_CIVILIAN, "International Civilian"): 278,
    (PersonnelCategory.MILITARY_OBSERVER, "Military Observer"): 77,
    (PersonnelCategory.OTHER, "Other"): 57,
}
OUTCOME_WEIGHTS = {
    IncidentType.MALICIOUS_ACT: {
        Outcome.KILLED: 35,
        Outcome.INJURED: 55,
        Outcome.ABDUCTED: 7,
        Outcome.MISSING: 3,
    },
    IncidentType.ACCIDENT: {Outcome.KILLED: 40, Outcome.INJURED: 60},
    IncidentType.ILLNESS: {Outcome.KILLED: 1},
    IncidentType.SELF_INFLICTED: {Outcome.KILLED: 80, Outcome.INJURED: 20},
    IncidentType.TO_BE_DETERMINED: {Outcome.KILLED: 70, Outcome.MISSING: 30},
    IncidentType.UNKNOWN: {Outcome.KILLED: 70, Outcome.MISSING: 30},
}
UN_INCIDENT_LABEL = {
    IncidentType.MALICIOUS_ACT: "Malicious Act",
    IncidentType.ACCIDENT: "Accident",
    IncidentType.ILLNESS: "Illness",
    IncidentType.SELF_INFLICTED: "Self-Inflicted",
    IncidentType.TO_BE_DETERMINED: "To Be Determined",
    IncidentType.UNKNOWN: "Unknown",
}
# How far a suspect's procedure goes (number of steps along PATH), as shares.
PATH = (
    ProcedureStepKind.IDENTIFIED,
    ProcedureStepKind.WARRANT_ISSUED,
    ProcedureStepKind.ARRESTED,
    ProcedureStepKind.DETAINED,
    ProcedureStepKind.CHARGED,
    ProcedureStepKind.COMMITTED_FOR_TRIAL,
    ProcedureStepKind.TRIAL_OPENED,
    "verdict",
    ProcedureStepKind.SENTENCED,
    ProcedureStepKind.FINAL,
)
DEPTH_WEIGHTS = {1: 20, 2: 20, 3: 10, 4: 10, 5: 10, 6: 8, 7: 8, 8: 6, 9: 4, 10: 4}
LEGAL_TERMS = {
    "fr": {
        ProcedureStepKind.WARRANT_ISSUED: "mandat d'arrêt",
        ProcedureStepKind.ARRESTED: "interpellation",
        ProcedureStepKind.DETAINED: "mandat de dépôt",
        ProcedureStepKind.CHARGED: "inculpation",
        ProcedureStepKind.COMMITTED_FOR_TRIAL: "renvoi devant la cour d'assises",
        ProcedureStepKind.TRIAL_OPENED: "ouverture de la session d'assises",
        ProcedureStepKind.CONVICTED: "condamnation",
        ProcedureStepKind.ACQUITTED: "acquittement",
        ProcedureStepKind.SENTENCED: "peine prononcée",
        ProcedureStepKind.FINAL: "arrêt définitif",
    },
    "en": {
        ProcedureStepKind.WARRANT_ISSUED: "warrant of arrest",
        ProcedureStepKind.ARRESTED: "arrest",
        ProcedureStepKind.DETAINED: "remand in custody",
        ProcedureStepKind.CHARGED: "charge",
        ProcedureStepKind.COMMITTED_FOR_TRIAL: "committal",
        ProcedureStepKind.TRIAL_OPENED: "arraignment",
        ProcedureStepKind.CONVICTED: "conviction",
        ProcedureStepKind.ACQUITTED: "acquittal",
        ProcedureStepKind.SENTENCED: "sentence",
        ProcedureStepKind.FINAL: "final judgment",
    },
}


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_NAMES = _words(
    "Amadou Moussa Ibrahim Oumar Abdoulaye Hamadoun Boubacar Ali Mahamadou Sidi Youssouf "
    "Jean Pierre Joseph Emmanuel Patrick Samuel John Peter James Michael David Daniel Paul "
    "Ahmed Mohamed Hassan Idriss Issa Salif Seydou Bakary Adama Souleymane Lassana Modibo"
)
FAMILY_NAMES = _words(
    "Traoré Coulibaly Diarra Keïta Maïga Touré Cissé Sangaré Diallo Konaté Ag Alhassane "
    "Dembélé Sidibé Koné Ouattara Ngoy Mbuyi Kabila Ilunga Tshibanda Mukendi Deng Garang "
    "Lado Wani Malual Ngarlejy Doumgor Yakité Bozizé Ngaïkosset Sayo Abakar Mahamat"
)
PLACES = _words(
    "Kidal Gao Tombouctou Mopti Ménaka Aguelhok Tessalit Ber Douentza Bangui Kaga-Bandoro "
    "Bambari Bria Bangassou Beni Butembo Goma Bunia Malakal Bor Bentiu Juba Naqoura Tyre "
    "Marjayoun Abyei Agok Diffa Kutum Nyala Geneina Monrovia Freetown Mogadishu Kismayo"
)
