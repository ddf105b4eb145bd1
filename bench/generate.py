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
  `accountability.procedure`); follow-ups with the host State for 40% of the cases.

The benchmark is a fixture, not a write of the app: the rows are loaded with
`SET session_replication_role = replica`, which skips the row-history triggers (and the
foreign-key triggers: the generator writes consistent keys itself). The app's own writes,
the import of figure B6 included, always run with the triggers.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from accountability.choices import (
    CaseStage,
)
from bench.distributions import (
    ATTACK_TYPE_WEIGHTS,
    BLANK_NATIONALITY_WEIGHT,
    CASES,
    CASUALTIES,
    CATEGORY_WEIGHTS,
    FAMILY_NAMES,
    FIRST_DAY,
    GIVEN_NAMES,
    HORIZON,
    INCIDENT_TYPE_WEIGHTS,
    INCIDENTS,
    LAST_DAY,
    MISSION_WEIGHTS,
    NATIONALITY_WEIGHTS,
    OTHER_NATIONALITIES_WEIGHT,
    OUTCOME_WEIGHTS,
    PLACES,
    REPORT_STATE_CASES,
    SEED,
    UN_INCIDENT_LABEL,
)
from bench.generate_cases import CaseTables
from bench.tables import (
    Table,
    _at,
    _cols,
    _weighted,
    copy_rows,
)
from incidents.choices import IncidentSource, IncidentStatus, IncidentType, Outcome
from missions.choices import PersonnelCategory

# Bumped whenever the rows change: a stored data set of another version is rebuilt.
GENERATOR_VERSION = 4


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


class Generator(CaseTables):
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
        # As autovacuum leaves a table loaded once: statistics, and the visibility map
        # that lets a count read an index alone (index-only scans).
        cursor.execute("VACUUM (ANALYZE)")
        connection.autocommit = False
    return counts


__all__ = ["CaseStage", "Generator", "Reference", "Sizes", "load"]
