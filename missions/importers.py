"""Reading the missions app's reference data and mission lists.

Two sources, two readers:

- The JSON files shipped in `missions/data/` (every country, every UN operation). They are
  loaded on migrate and by `missions.services.reference_data_load`; both go through
  `reference_countries_sync` / `reference_missions_sync`, which take the model classes as
  arguments so that the data migration can pass its historical models. Those two functions
  set only the fields the given model has, so an old migration keeps working when a later
  one adds a field.
- A mission list in the columns of the UN Peace and Security Data Hub list
  (`missions.csv`), read by `read_mission_csv` for `manage.py import_missions`. Every row
  is checked before anything is written; a file with a bad row is rejected whole.

Decisions, written down once:

- Row N is line N of the file as a spreadsheet shows it; the header is row 1.
- A CSV file is the authority for the columns it has: a blank end date means "no end",
  and a mission's host countries become exactly those the row lists. The French name
  and the kind, which the CSV does not carry, are left as they are.
- Components of an aggregate row (`is_aggregate=yes`) are the missions whose acronym is
  the aggregate's followed by a space (UNEF → UNEF I, UNEF II). When none match, the
  mission keeps the components it has, with a warning.
"""

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from missions.time_zones import zone_for_hosts

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_JSON = DATA_DIR / "countries.json"
MISSIONS_JSON = DATA_DIR / "missions.json"

COUNTRY_FIELDS = ("m49", "name_en", "name_fr", "working_language")
MISSION_FIELDS = (
    "name_en",
    "name_fr",
    "kind",
    "mandate_start",
    "mandate_end",
    "hq_location",
    "time_zone",
    "hq_latitude",
    "hq_longitude",
    "active",
    "is_aggregate",
)

MISSION_CSV_COLUMNS = (
    "acronym",
    "name",
    "host_countries",
    "host_iso3",
    "start_date",
    "end_date",
    "start_year",
    "end_year",
    "active",
    "hq_location",
    "hq_latitude",
    "hq_longitude",
    "is_aggregate",
    "source_id",
    "source",
    "notes",
)

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


# --- Reference data (JSON) -----------------------------------------------------------


def read_reference_json(path: Path | str) -> list[dict[str, Any]]:
    """The records of one reference file, with dates and coordinates as Python values."""
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    for record in records:
        for key in ("mandate_start", "mandate_end"):
            if record.get(key):
                record[key] = date.fromisoformat(record[key])
        for key in ("hq_latitude", "hq_longitude"):
            if record.get(key) is not None:
                record[key] = Decimal(str(record[key]))
    return records


def _model_fields(model, names: Iterable[str]) -> list[str]:
    present = {f.name for f in model._meta.get_fields()}
    return [name for name in names if name in present]


def _counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "unchanged": 0}


def reference_countries_sync(
    country_model, records: list[dict[str, Any]], *, using: str = "default"
) -> dict[str, int]:
    """Create or update countries by ISO3 so they match `records`. Three queries at most."""
    fields = _model_fields(country_model, COUNTRY_FIELDS)
    manager = country_model._default_manager.db_manager(using)
    existing = {country.iso3: country for country in manager.all()}
    counts = _counts()
    to_create, to_update = [], []
    for record in records:
        values = {name: record[name] for name in fields if name in record}
        country = existing.get(record["iso3"])
        if country is None:
            to_create.append(country_model(iso3=record["iso3"], **values))
            counts["created"] += 1
        elif any(getattr(country, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(country, name, value)
            to_update.append(country)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, fields, batch_size=500)
    return counts


def _m2m_links(descriptor, source: str, target_key: str, using: str) -> dict[int, set]:
    links: dict[int, set] = {}
    through = descriptor.through._default_manager.db_manager(using)
    for source_id, target in through.values_list(f"{source}_id", target_key):
        links.setdefault(source_id, set()).add(target)
    return links


def _m2m_replace(descriptor, source: str, target: str, wanted: dict[int, set[int]], using: str):
    """Make the links of each source in `wanted` exactly the given target ids: one query
    reads the links, one deletes the stale ones, batched INSERTs add the new ones."""
    through_model = descriptor.through
    manager = through_model._default_manager.db_manager(using)
    links = {
        (source_id, target_id): pk
        for pk, source_id, target_id in manager.values_list("pk", f"{source}_id", f"{target}_id")
    }
    stale = [
        pk
        for (source_id, target_id), pk in links.items()
        if source_id in wanted and target_id not in wanted[source_id]
    ]
    fresh = [
        through_model(**{f"{source}_id": source_id, f"{target}_id": target_id})
        for source_id, targets in wanted.items()
        for target_id in targets
        if (source_id, target_id) not in links
    ]
    if stale:
        manager.filter(pk__in=stale).delete()
    manager.bulk_create(fresh, batch_size=500)


def reference_missions_sync(
    mission_model, country_model, records: list[dict[str, Any]], *, using: str = "default"
) -> dict[str, int]:
    """Create or update missions by acronym, with their host countries and components.

    Host countries and components become exactly those of the record. Unknown host ISO3
    codes or component acronyms raise ValueError: shipped data must be whole.
    """
    fields = _model_fields(mission_model, MISSION_FIELDS)
    manager = mission_model._default_manager.db_manager(using)
    existing = {mission.acronym: mission for mission in manager.all()}
    country_ids = dict(country_model._default_manager.db_manager(using).values_list("iso3", "pk"))
    hosts_now = _m2m_links(mission_model.host_countries, "mission", "country__iso3", using)
    components_now = _m2m_links(
        mission_model.components, "from_mission", "to_mission__acronym", using
    )

    counts = _counts()
    changed: set[str] = set()
    to_create, to_update = [], []
    for record in records:
        # The zone of the main host country, unless the record names one.
        zone = record.get("time_zone") or zone_for_hosts(record.get("host_countries") or [])
        record = {**record, "time_zone": zone}
        values = {name: record.get(name) for name in fields}
        for name in ("name_fr", "hq_location"):
            if name in values and values[name] is None:
                values[name] = ""
        mission = existing.get(record["acronym"])
        if mission is None:
            mission = mission_model(acronym=record["acronym"], **values)
            to_create.append(mission)
            continue
        if any(getattr(mission, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(mission, name, value)
            to_update.append(mission)
            changed.add(mission.acronym)
        if set(record.get("host_countries", [])) != hosts_now.get(mission.pk, set()):
            changed.add(mission.acronym)
        if set(record.get("components", [])) != components_now.get(mission.pk, set()):
            changed.add(mission.acronym)
    manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, fields, batch_size=500)

    mission_ids = dict(manager.values_list("acronym", "pk"))
    wanted_hosts: dict[int, set[int]] = {}
    wanted_components: dict[int, set[int]] = {}
    for record in records:
        pk = mission_ids[record["acronym"]]
        unknown = [iso3 for iso3 in record.get("host_countries", []) if iso3 not in country_ids]
        if unknown:
            raise ValueError(f"{record['acronym']}: unknown host country {', '.join(unknown)}")
        wanted_hosts[pk] = {country_ids[iso3] for iso3 in record.get("host_countries", [])}
        missing = [a for a in record.get("components", []) if a not in mission_ids]
        if missing:
            raise ValueError(f"{record['acronym']}: unknown component {', '.join(missing)}")
        wanted_components[pk] = {mission_ids[a] for a in record.get("components", [])}
    _m2m_replace(mission_model.host_countries, "mission", "country", wanted_hosts, using)
    _m2m_replace(mission_model.components, "from_mission", "to_mission", wanted_components, using)

    counts["created"] = len(to_create)
    counts["updated"] = len(changed)
    counts["unchanged"] = len(records) - len(to_create) - len(changed)
    return counts


# --- Mission lists (CSV) ---------------------------------------------------------------


@dataclass
class MissionCsvRow:
    """One checked row of a mission list, ready for `mission_upsert_from_row`."""

    row: int
    acronym: str
    values: dict[str, Any]
    host_iso3: list[str]
    is_aggregate: bool
    component_acronyms: list[str] = field(default_factory=list)


@dataclass
class MissionCsvFile:
    """A whole mission list: its rows if all were good, else what was wrong with which row."""

    name: str
    rows: list[MissionCsvRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _flag(raw: str, column: str, errors: list[str], *, blank_is: bool | None = None) -> bool:
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    if not value and blank_is is not None:
        return blank_is
    errors.append(f"{column} must be yes or no, not {raw!r}")
    return False


def _date(raw: str, column: str, errors: list[str]) -> date | None:
    value = raw.strip()
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(f"{column} {raw!r} is not a date (write YYYY-MM-DD)")
    return None


def _coordinate(
    raw: str, column: str, limit: int, errors: list[str], *, hint: str = ""
) -> Decimal | None:
    value = raw.strip()
    if not value:
        return None
    if _DECIMAL_COMMA.match(value):
        errors.append(
            f"{column} {raw!r} uses a decimal comma; write {value.replace(',', '.')} instead"
        )
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(f"{column} {raw!r} is not a number")
        return None
    if not number.is_finite() or abs(number) > limit:
        errors.append(f"{column} {raw!r} is out of range (-{limit} to {limit}){hint}")
        return None
    return number.quantize(Decimal("0.00001"))


def _year(raw: str, column: str, errors: list[str]) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        errors.append(f"{column} {raw!r} is not a year")
        return None
    return int(value)


def _check_row(cells: dict[str, str], errors: list[str], warnings: list[str]) -> dict:
    acronym = cells["acronym"].strip()
    if not acronym:
        errors.append("acronym is blank")
    elif len(acronym) > 20:
        errors.append(f"acronym {acronym!r} is longer than 20 characters")
    name = cells["name"].strip()
    if not name:
        errors.append("name is blank")
    elif len(name) > 200:
        errors.append("name is longer than 200 characters")
    start = _date(cells["start_date"], "start_date", errors)
    end = _date(cells["end_date"], "end_date", errors)
    if start and end and end < start:
        errors.append(f"end_date {end} is before start_date {start}")
    for day, column in ((start, "start_year"), (end, "end_year")):
        year = _year(cells[column], column, errors)
        if day and year and day.year != year:
            errors.append(f"{column} {year} disagrees with the date {day}")
    active = _flag(cells["active"], "active", errors)
    is_aggregate = _flag(cells["is_aggregate"], "is_aggregate", errors, blank_is=False)
    raw_lat, raw_lon = cells["hq_latitude"].strip(), cells["hq_longitude"].strip()
    swapped = ""
    try:
        if raw_lon and abs(Decimal(raw_lon)) <= 90:
            swapped = "; are latitude and longitude swapped?"
    except InvalidOperation:
        pass
    latitude = _coordinate(raw_lat, "hq_latitude", 90, errors, hint=swapped)
    longitude = _coordinate(raw_lon, "hq_longitude", 180, errors)
    if bool(raw_lat) != bool(raw_lon):
        errors.append("give both hq_latitude and hq_longitude, or neither")
    hq_location = cells["hq_location"].strip()
    if len(hq_location) > 200:
        errors.append("hq_location is longer than 200 characters")
    if active and end and end < date.today():
        warnings.append(f"{acronym} is marked active but its end date {end} has passed")
    if not active and not end:
        warnings.append(f"{acronym} is not active but has no end date")
    return {
        "acronym": acronym,
        "values": {
            "name_en": name,
            "mandate_start": start,
            "mandate_end": end,
            "active": active,
            "is_aggregate": is_aggregate,
            "hq_location": hq_location,
            "hq_latitude": latitude,
            "hq_longitude": longitude,
        },
        "is_aggregate": is_aggregate,
        "host_iso3": [code.strip().upper() for code in re.split(r"[;\s]+", cells["host_iso3"])],
    }


def read_mission_csv(
    path: Path | str, *, known_iso3: set[str], known_acronyms: set[str]
) -> MissionCsvFile:
    """Check every row of a mission list; touch no database.

    `known_iso3` are the country codes in the database; `known_acronyms` the missions
    already there (an aggregate's components may be among them rather than in the file).
    """
    path = Path(path)
    parsed = MissionCsvFile(name=path.name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        parsed.errors.append((0, f"the file is not UTF-8 text ({exc.reason})"))
        return parsed
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in MISSION_CSV_COLUMNS if column not in header]
    if missing:
        parsed.errors.append((1, f"missing column(s): {', '.join(missing)}"))
        return parsed
    reader.fieldnames = header

    first_row_of: dict[str, int] = {}
    for index, raw in enumerate(reader):
        row_number = index + 2
        if None in raw:
            parsed.errors.append((row_number, "more cells than columns"))
            continue
        cells = {column: (raw.get(column) or "") for column in MISSION_CSV_COLUMNS}
        if not any(value.strip() for value in cells.values()):
            continue
        errors: list[str] = []
        warnings: list[str] = []
        checked = _check_row(cells, errors, warnings)
        hosts = [code for code in checked["host_iso3"] if code]
        unknown = [code for code in hosts if code not in known_iso3]
        if unknown:
            codes = "codes" if len(unknown) > 1 else "code"
            errors.append(f"unknown host country {codes}: {', '.join(unknown)}")
        acronym = checked["acronym"]
        if acronym in first_row_of:
            errors.append(f"acronym {acronym!r} already appears on row {first_row_of[acronym]}")
        elif acronym:
            first_row_of[acronym] = row_number
        parsed.errors.extend((row_number, message) for message in errors)
        parsed.warnings.extend((row_number, message) for message in warnings)
        if not errors:
            parsed.rows.append(
                MissionCsvRow(
                    row=row_number,
                    acronym=acronym,
                    values=checked["values"],
                    host_iso3=list(dict.fromkeys(hosts)),
                    is_aggregate=checked["is_aggregate"],
                )
            )

    every_acronym = known_acronyms | set(first_row_of)
    for row in parsed.rows:
        if not row.is_aggregate:
            continue
        prefix = f"{row.acronym} "
        row.component_acronyms = sorted(a for a in every_acronym if a.startswith(prefix))
        if not row.component_acronyms:
            parsed.warnings.append(
                (
                    row.row,
                    f"{row.acronym} is an aggregate but no mission is named "
                    f"'{prefix}…'; its components were left as they are",
                )
            )
    return parsed
