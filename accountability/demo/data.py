"""The demo data set, as tables: accounts, armed groups, peacekeepers, attacks, cases.

Dates are days before the anchor day ("ago"). Every name of a suspect or a peacekeeper is
invented. Civil-law terms for the Central African Republic, the DRC and Mali (mandat
d'arrêt, inculpation, renvoi devant la cour d'assises), common-law terms for South Sudan
(warrant, charge, committal).
"""
# ruff: noqa: E501 (the tables keep each source and legal term on one line)

from dataclasses import dataclass

# The attacks, their cases and the capacity support: a module of their own (cases.py).
from accountability.demo.cases import CAPACITY_SUPPORT, INCIDENTS, CaseSpec, hit, step  # noqa: F401
from missions.choices import Gender, LiaisonBasis, PersonnelCategory, Role

SEED = 2589  # resolution 2589 (2021), on accountability for crimes against peacekeepers
MISSIONS = ("MINUSCA", "MONUSCO", "MINUSMA", "UNMISS")

# --- accounts ---------------------------------------------------------------------------

GROUPS = {
    Role.MISSION_STAFF: "Mission staff",
    Role.LEGAL_OFFICER: "Legal officer",
    Role.ANALYST: "Analyst",
    Role.LIAISON: "Liaison",
    Role.ADMINISTRATOR: "Administrator",
}


@dataclass(frozen=True)
class Account:
    username: str
    first_name: str
    last_name: str
    role: str
    grants: tuple[dict, ...]  # membership_grant keywords; mission/country by code
    superuser: bool = False
    description: str = ""


# The data below is laid out one item a line, for reading; ruff format leaves it be.
# fmt: off
ACCOUNTS = (
    Account(
        "demo-admin", "Ada", "Administrator", Role.ADMINISTRATOR,
        ({"all_scope": True, "can_see_names": True},), superuser=True,
        description="administrator, everything (superuser)",
    ),
    Account(
        "demo-staff", "Salomé", "Staff", Role.MISSION_STAFF,
        ({"mission": "MINUSCA", "is_focal_point": True},),
        description="mission staff of MINUSCA (focal point)",
    ),
    Account(
        "demo-staff-b", "Bruno", "Staff", Role.MISSION_STAFF, ({"mission": "MONUSCO"},),
        description="mission staff of MONUSCO",
    ),
    Account(
        "demo-legal", "Léa", "Legal", Role.LEGAL_OFFICER,
        ({"mission": "MINUSCA", "can_see_names": True},
         {"mission": "MINUSMA", "can_see_names": True}),
        description="legal officer of MINUSCA and MINUSMA",
    ),
    Account(
        "demo-analyst", "Anil", "Analyst", Role.ANALYST, ({"all_scope": True},),
        description="analyst, everything, names masked",
    ),
    Account(
        "demo-liaison", "Lucien", "Liaison", Role.LIAISON,
        ({"country": "CAF", "liaison_basis": LiaisonBasis.HOST_STATE},),
        description="liaison of the Central African Republic (host State)",
    ),
)
DEMO_USERNAMES = tuple(account.username for account in ACCOUNTS)

# --- armed groups -----------------------------------------------------------------------

ARMED_GROUPS = {
    "UPC": ("Unité pour la paix en Centrafrique", ["UPC"], "Armed group of the Ouaka and Haute-Kotto."),
    "3R": ("Retour, Réclamation et Réhabilitation", ["3R"], "Armed group of the north-west (Ouham-Pendé)."),
    "AB": ("Anti-Balaka militias", ["anti-Balaka", "Antibalaka"], "Self-defence militias of the south and west."),
    "CPC": ("Coalition des patriotes pour le changement", ["CPC"], "Coalition of armed groups formed in December 2020."),
    "ADF": ("Allied Democratic Forces", ["ADF", "ADF-NALU", "ISCAP"], "Armed group of the Beni territory and Ituri."),
    "M23": ("Mouvement du 23 mars", ["M23", "March 23 Movement"], "Armed group of the North Kivu highlands."),
    "JNIM": ("Jama'at Nusrat al-Islam wal-Muslimin", ["JNIM", "GSIM", "Groupe de soutien à l'islam et aux musulmans"], "Coalition of Sahelian armed groups formed in 2017."),
    "ISGS": ("Islamic State in the Greater Sahara", ["ISGS", "EIGS", "État islamique au Grand Sahara"], "Armed group of the Ménaka and Gao regions."),
    "SPLA-IO": ("Sudan People's Liberation Army in Opposition", ["SPLA-IO", "SPLM/A-IO"], "Armed opposition in South Sudan."),
}

# --- peacekeepers (invented names) ------------------------------------------------------

M, F = Gender.MALE, Gender.FEMALE
MIL, FPU = PersonnelCategory.MILITARY_CONTINGENT, PersonnelCategory.FORMED_POLICE_UNIT
NAT, STAFF = PersonnelCategory.NATIONAL_STAFF, PersonnelCategory.STAFF_OFFICER
# key: (mission, contributing country, given name, family name, category, rank, unit, gender)
PERSONNEL = {
    "rwa1": ("MINUSCA", "RWA", "Jean-Claude", "Habyarimwe", MIL, "Private", "RWABATT-3", M),
    "zmb1": ("MINUSCA", "ZMB", "Mwila", "Chansa-Ngoma", MIL, "Lance Corporal", "ZAMBATT", M),
    "pak1": ("MINUSCA", "PAK", "Imran", "Qadeerzai", MIL, "Sepoy", "PAKBAT", M),
    "egy1": ("MINUSCA", "EGY", "Karim", "Abdelsattar", FPU, "Police Sergeant", "EGY FPU", M),
    "bgd1": ("MINUSCA", "BGD", "Mahfuz", "Rahmatullah", MIL, "Corporal", "BANBAT-2", M),
    "mrt1": ("MINUSCA", "MRT", "Sidi", "Ould Bellahi", MIL, "Sergeant", "MAURIBAT", M),
    "caf1": ("MINUSCA", "CAF", "Brigitte", "Ndoumbé-Yakité", NAT, "", "Civil Affairs, Bambari", F),
    "tza1": ("MONUSCO", "TZA", "Juma", "Mwakisambwe", MIL, "Private", "TANZBATT (FIB)", M),
    "zaf1": ("MONUSCO", "ZAF", "Thabo", "Mokoenabe", MIL, "Rifleman", "SANDF (FIB)", M),
    "npl1": ("MONUSCO", "NPL", "Anita", "Gurungthapa", MIL, "Corporal", "NEPBATT", F),
    "ind1": ("MONUSCO", "IND", "Suresh", "Kalimuthan", MIL, "Naik", "INDBATT-1", M),
    "cod1": ("MONUSCO", "COD", "Patrick", "Mbuyamba-Kasongo", NAT, "", "Logistics, Goma", M),
    "tcd1": ("MINUSMA", "TCD", "Mahamat", "Abakar Djidda", MIL, "Soldat", "TCHADBAT, Aguelhok", M),
    "tcd2": ("MINUSMA", "TCD", "Hissein", "Youssouf Baradine", MIL, "Caporal", "TCHADBAT, Aguelhok", M),
    "gin1": ("MINUSMA", "GIN", "Mamadouba", "Soumaoro-Camara", MIL, "Sergent", "GUIBAT, Kidal", M),
    "egy2": ("MINUSMA", "EGY", "Ahmed", "Fathallah Nour", MIL, "Private", "EGY convoy battalion", M),
    "deu1": ("MINUSMA", "DEU", "Jonas", "Wehrkamp", STAFF, "Captain", "Sector East HQ, Gao", M),
    "tgo1": ("MINUSMA", "TGO", "Kossi", "Agbévénou", MIL, "Caporal", "TOGOBAT, Douentza", M),
    "rwa2": ("UNMISS", "RWA", "Eric", "Nsengimanzi", MIL, "Sergeant", "RWABATT-1", M),
    "chn1": ("UNMISS", "CHN", "Haoran", "Qiu", MIL, "Corporal", "CHNBATT, Juba", M),
    "ind2": ("UNMISS", "IND", "Prakash", "Doraivel", MIL, "Sepoy", "INDBATT-2, Malakal", M),
    "gha1": ("UNMISS", "GHA", "Kwabena", "Osei-Agyekum", MIL, "Corporal", "GHANBATT", M),
    "ssd1": ("UNMISS", "SSD", "Nyakuoth", "Gatluak Ruei", NAT, "", "RRP section, Bor", F),
    "mng1": ("UNMISS", "MNG", "Batbayar", "Ganzorigt", MIL, "Private", "MONBATT, Bentiu", M),
}
# fmt: on
