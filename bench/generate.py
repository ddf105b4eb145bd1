"""The synthetic data set of the benchmark: reproducible, realistic, loaded by COPY.

At `--scale 1`: 100,000 incidents, 1,000,000 casualties, 100,000 cases, of which one host
State (Mali) has 10,000 since the follow-up report's start date (figure B5). Everything
comes from one `random.Random(seed)`, and no value depends on the clock, so the same
seed and scale give the same rows, byte for byte, on any machine.

Distributions:
- missions weighted by their deaths since 1990 in the UN fatalities file (odp_noticas.csv);
  each incident dated uniformly within its mission's mandate, clipped to 1990-2025;
- UN incident types as in the file since 1990 (malicious acts ~25%); attack types of
  malicious acts skewed to direct fire, IEDs and ambushes;
- ten casualties an incident on average, with a long tail (most incidents have a few,
  some dozens); outcome by incident type; categories and nationalities as in the file;
- one case for each malicious act that killed or injured (submitted, verified or imported),
  and more cases (with no incident in the data set) up to the count asked for;
- stages: about half with no investigation recorded, the rest investigated, a third of
  those with suspects whose procedure goes from identification to a final judgment at
  decreasing rates (stage, custody and last progress derived by the app's own rules,
  `accountability.selectors`); follow-ups with the host State for 40% of the cases.

The benchmark is a fixture, not a write of the app: the rows are loaded with
`SET session_replication_role = replica`, which skips the row-history triggers (and the
foreign-key triggers: the generator writes consistent keys itself). The app's own writes,
the import of figure B6 included, always run with the triggers.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from accountability.choices import (
    CaseStage,
    FollowUpChannel,
    Institution,
    InvestigatingAuthority,
    InvestigationStatus,
    ProcedureStepKind,
    SupportKind,
)
from accountability.procedure import ProcedureState, case_stage, investigation_status_of
from incidents.choices import AttackType, IncidentSource, IncidentStatus, IncidentType, Outcome
from missions.choices import PersonnelCategory

GENERATOR_VERSION = 3
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


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return keys, [weights[k] for k in keys]


@dataclass
class Reference:
    """What the migrations loaded: missions and countries, by the keys used here."""

    missions: dict[str, dict]  # acronym -> {id, start, end, hosts, hq}
    countries: dict[str, dict]  # iso3 -> {id, m49, name_en, language}

    @classmethod
    def load(cls, cursor) -> Reference:
        cursor.execute(
            "SELECT m.id, m.acronym, m.mandate_start, m.mandate_end, m.hq_latitude, "
            "m.hq_longitude, array_remove(array_agg(h.country_id ORDER BY h.country_id), NULL) "
            "FROM missions_mission m LEFT JOIN missions_mission_host_countries h "
            "ON h.mission_id = m.id GROUP BY m.id ORDER BY m.acronym"
        )
        missions = {
            acronym: {
                "id": pk,
                "start": max(start or FIRST_DAY, FIRST_DAY),
                "end": min(end or LAST_DAY, LAST_DAY),
                "hq": (lat, lon) if lat is not None and lon is not None else None,
                "hosts": list(hosts),
            }
            for pk, acronym, start, end, lat, lon, hosts in cursor.fetchall()
        }
        cursor.execute(
            "SELECT id, iso3, m49, name_en, working_language FROM missions_country ORDER BY iso3"
        )
        countries = {
            iso3: {"id": pk, "m49": m49, "name_en": name, "language": language}
            for pk, iso3, m49, name, language in cursor.fetchall()
        }
        return cls(missions=missions, countries=countries)


@dataclass
class Sizes:
    incidents: int
    casualties: int
    cases: int
    report_state_cases: int
    personnel: int
    armed_groups: int = 120
    capacity_support: int = 0

    @classmethod
    def at(cls, scale: float) -> Sizes:
        incidents = max(50, round(INCIDENTS * scale))
        return cls(
            incidents=incidents,
            casualties=max(incidents, round(CASUALTIES * scale)),
            cases=max(20, round(CASES * scale)),
            report_state_cases=max(10, round(REPORT_STATE_CASES * scale)),
            personnel=max(120, round(10_000 * scale)),
            capacity_support=max(120, round(2_000 * scale)),
        )


@dataclass
class Table:
    """Rows of one table, in the order of `columns`, ready for COPY."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\t" in text or "\n" in text or "\\" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )
    return text


def copy_rows(cursor, table: Table, *, chunk: int = 100_000) -> int:
    """COPY the rows in chunks of `chunk` (PostgreSQL's text format, from memory)."""
    columns = ", ".join(f'"{c}"' for c in table.columns)
    sql = f'COPY "{table.name}" ({columns}) FROM STDIN'
    for start in range(0, len(table.rows), chunk):
        buffer = io.StringIO()
        buffer.writelines(
            "\t".join(_cell(v) for v in row) + "\n" for row in table.rows[start : start + chunk]
        )
        buffer.seek(0)
        cursor.copy_expert(sql, buffer, size=1 << 20)
    return len(table.rows)


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class Generator:
    """Builds every table's rows; `tables()` returns them in foreign-key order."""

    def __init__(self, reference: Reference, *, scale: float, seed: int = SEED) -> None:
        self.ref = reference
        self.sizes = Sizes.at(scale)
        self.rng = random.Random(seed)
        self.scale = scale
        self.incident_rows: list[list] = []
        self.casualty_rows: list[tuple] = []
        self.tables_: dict[str, Table] = {}

    # --- helpers -------------------------------------------------------------------

    def _day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=self.rng.randint(0, max(span, 0)))

    def _later(self, day: date, low: int, high: int) -> date | None:
        later = day + timedelta(days=self.rng.randint(low, high))
        return later if later <= HORIZON else None

    # --- reference-like rows -------------------------------------------------------

    def _armed_groups(self) -> Table:
        table = Table("incidents_armedgroup", ("id", "name", "description"))
        for pk in range(1, self.sizes.armed_groups + 1):
            table.rows.append((pk, f"Armed group {pk:02d}", "Synthetic (benchmark)"))
        return table

    def _personnel(self) -> Table:
        table = Table(
            "missions_personnel",
            _cols(
                "id service_number given_name family_name category rank unit gender "
                "contributing_country_id nationality_id"
            ),
        )
        keys, weights = _weighted(self.rng, NATIONALITY_WEIGHTS)
        for pk in range(1, self.sizes.personnel + 1):
            iso3 = self.rng.choices(keys, weights)[0]
            country = self.ref.countries[iso3]["id"]
            table.rows.append(
                (
                    pk,
                    f"SN{pk:07d}",
                    self.rng.choice(GIVEN_NAMES),
                    self.rng.choice(FAMILY_NAMES),
                    PersonnelCategory.MILITARY_CONTINGENT,
                    self.rng.choice(("Private", "Corporal", "Sergeant", "Lieutenant", "Captain")),
                    f"{iso3} battalion {self.rng.randint(1, 9)}",
                    self.rng.choice(("male", "male", "male", "female")),
                    country,
                    country,
                )
            )
        return table

    # --- incidents and casualties ---------------------------------------------------

    def _incidents(self) -> Table:
        rng = self.rng
        missions = {a: w for a, w in MISSION_WEIGHTS.items() if a in self.ref.missions}
        m_keys, m_weights = _weighted(rng, missions)
        t_keys, t_weights = _weighted(rng, INCIDENT_TYPE_WEIGHTS)
        a_keys, a_weights = _weighted(rng, ATTACK_TYPE_WEIGHTS)
        chosen = rng.choices(m_keys, m_weights, k=self.sizes.incidents)
        types = rng.choices(t_keys, t_weights, k=self.sizes.incidents)
        drafts = []
        for i, (acronym, incident_type) in enumerate(zip(chosen, types, strict=True)):
            mission = self.ref.missions[acronym]
            day = self._day_between(mission["start"], mission["end"])
            exact = rng.random() < 0.6
            occurred_at = (
                _at(day, rng.randint(0, 23), rng.randint(0, 59)) if exact else _at(day, 0, 0)
            )
            hosts = mission["hosts"]
            country = hosts[0] if len(hosts) == 1 else (rng.choice(hosts) if hosts else None)
            lat = lon = None
            if mission["hq"] and rng.random() < 0.7:
                lat = round(max(-89.0, min(89.0, float(mission["hq"][0]) + rng.uniform(-2, 2))), 5)
                lon = round(
                    max(-179.0, min(179.0, float(mission["hq"][1]) + rng.uniform(-2, 2))), 5
                )
            roll = rng.random()
            status = (
                IncidentStatus.VERIFIED
                if roll < 0.85
                else IncidentStatus.SUBMITTED
                if roll < 0.95
                else IncidentStatus.DRAFT
            )
            source = (
                IncidentSource.UN_FATALITIES_FILE if rng.random() < 0.4 else IncidentSource.MANUAL
            )
            if source == IncidentSource.UN_FATALITIES_FILE:
                status = IncidentStatus.VERIFIED
            created = occurred_at + timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 9))
            attack = (
                rng.choices(a_keys, a_weights)[0]
                if incident_type == IncidentType.MALICIOUS_ACT
                else ""
            )
            drafts.append(
                [
                    i + 1,  # id
                    None,  # reference, numbered below
                    occurred_at,
                    "exact" if exact else "day",
                    rng.choice(PLACES) if lat is not None else "",
                    f"Sector {rng.choice(('North', 'South', 'East', 'West', 'Centre'))}",
                    lat,
                    lon,
                    "near" if lat is not None else "country",
                    incident_type,
                    attack,
                    not (attack and rng.random() < 0.3),
                    f"Synthetic {UN_INCIDENT_LABEL[incident_type].lower()} near {acronym} "
                    "(benchmark data).",
                    "Benchmark generator",
                    status,
                    source,
                    created,
                    created,
                    created if status != IncidentStatus.DRAFT else None,
                    created if status == IncidentStatus.VERIFIED else None,
                    1,
                    country,
                    None,
                    mission["id"],
                    None,
                    None,
                    acronym,  # kept for the casualties and cases; dropped before COPY
                ]
            )
        # References <MISSION>-<YEAR>-<NNNN>, numbered in date order within mission and year.
        numbers: dict[tuple[str, int], int] = {}
        for row in sorted(drafts, key=lambda r: (r[-1], r[2], r[0])):
            key = (row[-1], row[2].year)
            numbers[key] = numbers.get(key, 0) + 1
            row[1] = f"{row[-1]}-{row[2].year}-{numbers[key]:04d}"
        self.incident_rows = drafts
        return Table(
            "incidents_incident",
            _cols(
                "id reference occurred_at date_precision place admin_area latitude longitude "
                "location_precision incident_type attack_type perpetrator_unknown narrative "
                "sources status source created_at updated_at submitted_at verified_at version "
                "country_id created_by_id mission_id submitted_by_id verified_by_id"
            ),
            [tuple(row[:-1]) for row in drafts],
        )

    def _perpetrators(self) -> Table:
        table = Table("incidents_incident_perpetrators", ("id", "incident_id", "armedgroup_id"))
        pk = 0
        for row in self.incident_rows:
            if row[10] and not row[11]:  # an attack with known perpetrators
                for group in self.rng.sample(
                    range(1, self.sizes.armed_groups + 1), self.rng.choice((1, 1, 2))
                ):
                    pk += 1
                    table.rows.append((pk, row[0], group))
        return table

    def _casualty_counts(self) -> list[int]:
        """At least one casualty an incident; the rest spread with a long tail."""
        n = len(self.incident_rows)
        extra = self.sizes.casualties - n
        weights = [self.rng.expovariate(1.0) ** 2 for _ in range(n)]
        total = sum(weights)
        counts = [1 + int(w / total * extra) for w in weights]
        for _ in range(self.sizes.casualties - sum(counts)):
            counts[self.rng.randrange(n)] += 1
        return counts

    def _casualties(self) -> Table:
        rng = self.rng
        c_keys, c_weights = _weighted(rng, CATEGORY_WEIGHTS)
        nationalities = {
            self.ref.countries[iso3]["id"]: w
            for iso3, w in NATIONALITY_WEIGHTS.items()
            if iso3 in self.ref.countries
        }
        others = [c["id"] for iso3, c in self.ref.countries.items() if iso3 not in nationalities]
        n_keys, n_weights = _weighted(rng, nationalities)
        n_keys += ["other", None]
        n_weights += [OTHER_NATIONALITIES_WEIGHT, BLANK_NATIONALITY_WEIGHT]
        rows = []
        pk = 0
        for incident, count in zip(self.incident_rows, self._casualty_counts(), strict=True):
            incident_id, occurred_at, incident_type = incident[0], incident[2], incident[9]
            o_keys, o_weights = _weighted(rng, OUTCOME_WEIGHTS[incident_type])
            outcomes = rng.choices(o_keys, o_weights, k=count)
            categories = rng.choices(c_keys, c_weights, k=count)
            nations = rng.choices(n_keys, n_weights, k=count)
            imported = incident[15] == IncidentSource.UN_FATALITIES_FILE
            for outcome, (category, label), nation in zip(
                outcomes, categories, nations, strict=True
            ):
                pk += 1
                if nation == "other":
                    nation = rng.choice(others)
                un_id = (
                    f"{incident[-1]}-{occurred_at:%Y-%m}-{pk:07d}"
                    if imported and outcome == Outcome.KILLED
                    else None
                )
                personnel = (
                    rng.randint(1, self.sizes.personnel)
                    if category == PersonnelCategory.MILITARY_CONTINGENT and rng.random() < 0.03
                    else None
                )
                rows.append(
                    (
                        pk,
                        category,
                        outcome,
                        None,
                        un_id,
                        label.strip() if imported else "",
                        "",
                        incident[16],
                        nation,
                        personnel,
                        incident_id,
                    )
                )
        self.casualty_rows = rows
        return Table(
            "incidents_casualty",
            _cols(
                "id category outcome date_of_death un_casualty_id un_personnel_type notes "
                "created_at nationality_id personnel_id incident_id"
            ),
            rows,
        )

    # --- cases and their procedures -------------------------------------------------

    def _case_plan(self) -> list[dict]:
        """Which cases exist: linked to an incident, or standing alone; host State, date."""
        rng = self.rng
        harmed: dict[int, list[int]] = {}
        for row in self.casualty_rows:
            if row[2] in (Outcome.KILLED, Outcome.INJURED):
                counts = harmed.setdefault(row[10], [0, 0])
                counts[0 if row[2] == Outcome.KILLED else 1] += 1
        report_state = self.ref.countries[REPORT_STATE]["id"]
        plans = []
        for row in self.incident_rows:
            if (
                row[9] == IncidentType.MALICIOUS_ACT
                and row[14] != IncidentStatus.DRAFT
                and row[0] in harmed
            ):
                mission = self.ref.missions[row[-1]]
                host = row[21]
                if host is None and len(mission["hosts"]) == 1:
                    host = mission["hosts"][0]
                plans.append(
                    {
                        "incident": row[0],
                        "acronym": row[-1],
                        "mission": mission["id"],
                        "host": host,
                        "attack": row[2].date(),
                        "killed": harmed[row[0]][0],
                        "injured": harmed[row[0]][1],
                        "imported": row[15] == IncidentSource.UN_FATALITIES_FILE,
                    }
                )
        plans = plans[: self.sizes.cases]
        in_state = sum(
            1 for p in plans if p["host"] == report_state and p["attack"] >= REPORT_SINCE
        )
        minusma = self.ref.missions[REPORT_STATE_MISSION]
        standalone = []
        for _ in range(max(0, self.sizes.report_state_cases - in_state)):
            standalone.append((REPORT_STATE_MISSION, minusma, report_state))
        # The report State's cases are exactly those above: no more drawn at random.
        missions = {
            a: w
            for a, w in MISSION_WEIGHTS.items()
            if a in self.ref.missions
            and self.ref.missions[a]["hosts"]
            and a != REPORT_STATE_MISSION
        }
        m_keys, m_weights = _weighted(rng, missions)
        while len(plans) + len(standalone) < self.sizes.cases:
            acronym = rng.choices(m_keys, m_weights)[0]
            mission = self.ref.missions[acronym]
            hosts = mission["hosts"]
            host = hosts[0] if len(hosts) == 1 else rng.choice(hosts)
            if len(hosts) > 1 and rng.random() < 0.05:
                host = None  # an imported case whose host State is to be determined
            standalone.append((acronym, mission, host))
        for acronym, mission, host in standalone[: self.sizes.cases - len(plans)]:
            killed = rng.choice((0, 1, 1, 1, 2, 3))
            plans.append(
                {
                    "incident": None,
                    "acronym": acronym,
                    "mission": mission["id"],
                    "host": host,
                    "attack": self._day_between(mission["start"], mission["end"]),
                    "killed": killed,
                    "injured": rng.choice((0, 1, 2, 4)) if killed else rng.randint(1, 4),
                    "imported": host is None,
                }
            )
        return plans

    def _cases(self) -> list[Table]:
        rng = self.rng
        cases = Table(
            "accountability_case",
            _cols(
                "id reference opened_on attack_date investigation_status investigation_opened_on "
                "stage last_progress_on has_conviction killed injured opened_by_import summary "
                "created_at updated_at version focal_point_id host_state_id mission_id"
            ),
        )
        links = Table("accountability_caseincident", ("id", "joined_at", "case_id", "incident_id"))
        events = Table(
            "accountability_caseevent",
            _cols("id kind occurred_on description source recorded_at case_id recorded_by_id"),
        )
        investigations = Table(
            "accountability_investigation",
            _cols(
                "id authority authority_name status opened_on closed_on source note created_at "
                "updated_at case_id"
            ),
        )
        suspects = Table(
            "accountability_suspect",
            _cols(
                "id name alias status status_since in_custody custody_since created_at "
                "armed_group_id case_id nationality_id"
            ),
        )
        steps = Table(
            "accountability_procedurestep",
            _cols(
                "id kind occurred_on legal_term source note sentence recorded_at recorded_by_id "
                "suspect_id"
            ),
        )
        follow_ups = Table(
            "accountability_followup",
            _cols(
                "id sent_on channel summary response_due response_received_on outcome created_at "
                "case_id recorded_by_id"
            ),
        )
        language_of = {c["id"]: c["language"] for c in self.ref.countries.values()}
        d_keys, d_weights = _weighted(rng, DEPTH_WEIGHTS)
        authorities = list(InvestigatingAuthority.values)
        channels = list(FollowUpChannel.values)
        plans = sorted(self._case_plan(), key=lambda p: (p["acronym"], p["attack"]))
        numbers: dict[tuple[str, int], int] = {}
        ids = {"event": 0, "investigation": 0, "suspect": 0, "step": 0, "follow_up": 0}

        def next_id(name: str) -> int:
            ids[name] += 1
            return ids[name]

        for case_id, plan in enumerate(plans, start=1):
            attack = plan["attack"]
            key = (plan["acronym"], attack.year)
            numbers[key] = numbers.get(key, 0) + 1
            reference = f"CASE-{plan['acronym']}-{attack.year}-{numbers[key]:04d}"
            opened_on = min(attack + timedelta(days=rng.randint(0, 20)), HORIZON)
            if plan["incident"]:
                links.rows.append((case_id, _at(opened_on), case_id, plan["incident"]))
            events.rows.append(
                (
                    next_id("event"),
                    "case_opened",
                    opened_on,
                    f"Case opened for {reference} (benchmark data).",
                    "",
                    _at(opened_on),
                    case_id,
                    None,
                )
            )
            language = language_of.get(plan["host"], "en")
            roll = rng.random()
            investigation = None
            statuses: list[str] = []
            opened_dates: list[date] = []
            closed_dates: list[date] = []
            states: list[ProcedureState] = []
            if roll >= 0.45:  # 55% investigated
                inv_opened = self._later(attack, 5, 240)
                if inv_opened is not None:
                    if roll < 0.50:
                        status = InvestigationStatus.CLOSED_WITHOUT_CHARGE
                    elif roll < 0.72:
                        status = InvestigationStatus.OPENED
                    else:
                        status = InvestigationStatus.SUSPECTS_IDENTIFIED
                    investigation = [
                        next_id("investigation"),
                        rng.choice(authorities),
                        "Tribunal de grande instance"
                        if language == "fr"
                        else "Office of the Public Prosecutor",
                        status,
                        inv_opened,
                        None,
                        "Note verbale of the host State",
                        "",
                        _at(inv_opened),
                        _at(inv_opened),
                        case_id,
                    ]
                    opened_dates.append(inv_opened)
                    events.rows.append(
                        (
                            next_id("event"),
                            "investigation_opened",
                            inv_opened,
                            "Investigation opened.",
                            "Note verbale",
                            _at(inv_opened),
                            case_id,
                            None,
                        )
                    )
                    if status == InvestigationStatus.CLOSED_WITHOUT_CHARGE:
                        closed = self._later(inv_opened, 60, 700)
                        if closed is None:
                            investigation[3] = status = InvestigationStatus.OPENED
                        else:
                            investigation[5] = closed
                            closed_dates.append(closed)
                            events.rows.append(
                                (
                                    next_id("event"),
                                    "investigation_status",
                                    closed,
                                    "Investigation closed without charge.",
                                    "Letter of the prosecutor",
                                    _at(closed),
                                    case_id,
                                    None,
                                )
                            )
                    if status == InvestigationStatus.SUSPECTS_IDENTIFIED:
                        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                            states.append(
                                self._suspect(
                                    case_id,
                                    inv_opened,
                                    language,
                                    rng.choices(d_keys, d_weights)[0],
                                    suspects,
                                    steps,
                                    events,
                                    next_id,
                                )
                            )
                        if any(s.charged_on for s in states):
                            investigation[3] = status = InvestigationStatus.REFERRED_FOR_TRIAL
                    statuses.append(status)
                    investigations.rows.append(tuple(investigation))
            elif roll < 0.03:
                statuses = []
            inv_status = investigation_status_of(statuses, current=InvestigationStatus.UNKNOWN)
            stage = case_stage(
                investigation_status=inv_status,
                has_investigation=investigation is not None,
                states=states,
            )
            progress = [
                *opened_dates,
                *closed_dates,
                *(s.last.occurred_on for s in states if s.last),
            ]
            last_progress = max(progress, default=None)
            if rng.random() < 0.4:
                sent = opened_on
                for _ in range(rng.choice((1, 1, 2, 3))):
                    sent = self._later(sent, 20, 200)
                    if sent is None:
                        break
                    due = sent + timedelta(days=30) if rng.random() < 0.8 else None
                    received = (
                        self._later(sent, 10, 60)
                        if due is not None and rng.random() < 0.5
                        else None
                    )
                    follow_ups.rows.append(
                        (
                            next_id("follow_up"),
                            sent,
                            rng.choice(channels),
                            "Request for information on the investigation (benchmark data).",
                            due,
                            received,
                            "Reply received." if received else "",
                            _at(sent),
                            case_id,
                            None,
                        )
                    )
            cases.rows.append(
                (
                    case_id,
                    reference,
                    opened_on,
                    attack,
                    inv_status,
                    min(opened_dates, default=None),
                    stage,
                    last_progress,
                    any(s.convicted for s in states),
                    plan["killed"],
                    plan["injured"],
                    plan["imported"],
                    "",
                    _at(opened_on),
                    _at(last_progress or opened_on),
                    1,
                    None,
                    plan["host"],
                    plan["mission"],
                )
            )
        return [cases, links, events, investigations, suspects, steps, follow_ups]

    def _suspect(self, case_id, since, language, depth, suspects, steps, events, next_id):
        """One suspect and their steps along PATH, `depth` steps deep (fewer if the
        horizon comes first); returns the procedural state the app would derive."""
        rng = self.rng
        suspect_id = next_id("suspect")
        taken: list = []
        day = since
        convicted = rng.random() < 0.75
        for kind in PATH[:depth]:
            day = self._later(day, 7, 200)
            if day is None:
                break
            if kind == "verdict":
                kind = ProcedureStepKind.CONVICTED if convicted else ProcedureStepKind.ACQUITTED
            if kind == ProcedureStepKind.SENTENCED and not convicted:
                break
            taken.append(_Step(len(taken) + 1, kind, day))
        if depth == 2 and taken and rng.random() < 0.5:
            day = self._later(taken[-1].occurred_on, 30, 120)
            if day is not None:
                taken.append(_Step(len(taken) + 1, ProcedureStepKind.AT_LARGE, day))
        elif 4 <= depth <= 6 and taken and rng.random() < 0.1:
            day = self._later(taken[-1].occurred_on, 30, 120)
            if day is not None:
                kind = rng.choice((ProcedureStepKind.RELEASED, ProcedureStepKind.ESCAPED))
                taken.append(_Step(len(taken) + 1, kind, day))
        state = ProcedureState.from_steps(taken)
        terms = LEGAL_TERMS[language if language in LEGAL_TERMS else "en"]
        for step in taken:
            step_id = next_id("step")
            steps.rows.append(
                (
                    step_id,
                    step.kind,
                    step.occurred_on,
                    terms.get(step.kind, ""),
                    f"Court record {case_id}/{step_id}",
                    "",
                    f"{rng.randint(5, 20)} years"
                    if step.kind == ProcedureStepKind.SENTENCED
                    else "",
                    _at(step.occurred_on, 15),
                    None,
                    suspect_id,
                )
            )
            events.rows.append(
                (
                    next_id("event"),
                    "procedure_step",
                    step.occurred_on,
                    f"Suspect {suspect_id}: {step.kind}",
                    f"Court record {case_id}/{step_id}",
                    _at(step.occurred_on, 15),
                    case_id,
                    None,
                )
            )
        last = state.last
        suspects.rows.append(
            (
                suspect_id,
                f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
                rng.choice(("", "", "", "Abou", "le Colonel", "Papa")),
                last.kind if last else ProcedureStepKind.IDENTIFIED,
                last.occurred_on if last else None,
                state.in_custody,
                state.custody_since,
                _at(since),
                rng.randint(1, self.sizes.armed_groups) if rng.random() < 0.4 else None,
                case_id,
                None,
            )
        )
        return state

    def _capacity_support(self) -> Table:
        table = Table(
            "accountability_capacitysupport",
            _cols(
                "id provided_on institution kind description created_at host_state_id mission_id "
                "recorded_by_id"
            ),
        )
        hosts = [
            (m["id"], m["hosts"][0], m["start"], m["end"])
            for a, m in self.ref.missions.items()
            if a in MISSION_WEIGHTS and len(m["hosts"]) == 1
        ]
        state = self.ref.countries[REPORT_STATE]["id"]
        minusma = self.ref.missions[REPORT_STATE_MISSION]
        for pk in range(1, self.sizes.capacity_support + 1):
            if pk % 4 == 0:
                mission, host, start, end = minusma["id"], state, minusma["start"], HORIZON
            else:
                mission, host, start, end = self.rng.choice(hosts)
            day = self._day_between(start, min(end, HORIZON))
            table.rows.append(
                (
                    pk,
                    day,
                    self.rng.choice(Institution.values),
                    self.rng.choice(SupportKind.values),
                    "Training and equipment (benchmark data).",
                    _at(day),
                    host,
                    mission,
                    None,
                )
            )
        return table

    def tables(self) -> list[Table]:
        """Every table's rows, parents before children."""
        incidents = self._incidents()
        casualties = self._casualties()
        return [
            self._armed_groups(),
            self._personnel(),
            incidents,
            self._perpetrators(),
            casualties,
            *self._cases(),
            self._capacity_support(),
        ]

    # --- the UN file of figure B6 ---------------------------------------------------

    def write_un_file(self, path) -> int:
        """The casualties in the UN fatalities file's format, every one as a death: what
        a decade of the UN's own file would look like at this size. Same quirks as the
        real file: a byte-order mark, CRLF, `Local ` with its trailing space, blank and
        undetermined nationalities."""
        if not self.casualty_rows:
            self._incidents()
            self._casualties()
        by_id = {c["id"]: (iso3, c) for iso3, c in self.ref.countries.items()}
        incidents = {row[0]: row for row in self.incident_rows}
        labels = {category: label for category, label in CATEGORY_WEIGHTS}
        with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(
                (
                    "Casualty_ID",
                    "Incident_Date",
                    "Mission_Acronym",
                    "Type_of_Casualty",
                    "Casualty_Nationality",
                    "M49_Code",
                    "ISOCode3",
                    "Casualty_Personnel_Type",
                    "Type_Of_Incident",
                )
            )
            for row in self.casualty_rows:
                incident = incidents[row[10]]
                day = incident[2].date()
                iso3, country = by_id.get(row[8], ("", None))
                if country is None:
                    nationality = ("ZZ [Undetermined]", "", "") if row[0] % 2 else ("", "", "")
                else:
                    nationality = (country["name_en"], country["m49"], iso3)
                writer.writerow(
                    (
                        f"{incident[-1]}-{day:%Y-%m}-{row[0]:07d}",
                        day.isoformat(),
                        incident[-1],
                        "Fatality",
                        *nationality,
                        labels.get(row[1], "Other"),
                        UN_INCIDENT_LABEL[incident[9]],
                    )
                )
        return len(self.casualty_rows)


@dataclass(frozen=True)
class _Step:
    """What ProcedureState reads of a step."""

    pk: int
    kind: str
    occurred_on: date


def load(connection, *, scale: float, seed: int = SEED, log=print) -> dict[str, int]:
    """Generate and COPY the data set into an empty, migrated database; counts by table.

    Runs in one transaction on its own psycopg2 connection: the triggers are skipped for
    this session only (`session_replication_role = replica`).
    """
    with connection.cursor() as cursor:
        reference = Reference.load(cursor)
        generator = Generator(reference, scale=scale, seed=seed)
        tables = generator.tables()
        cursor.execute("SET LOCAL session_replication_role = replica")
        counts = {}
        for table in tables:
            counts[table.name] = copy_rows(cursor, table)
            if table.rows:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f'(SELECT max(id) FROM "{table.name}"))'
                )
            log(f"  {table.name}: {counts[table.name]:,} rows")
        cursor.execute("SET LOCAL session_replication_role = origin")
    connection.commit()
    with connection.cursor() as cursor:
        connection.autocommit = True
        cursor.execute("ANALYZE")
        connection.autocommit = False
    return counts


__all__ = ["CaseStage", "Generator", "Reference", "Sizes", "load"]
