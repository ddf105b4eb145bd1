"""Reading the UN's peacekeeper fatalities file (`odp_noticas.csv`), without the database.

`read_fatalities` streams the file once and checks every row. A file with a bad row is
rejected whole (`UnFatalitiesFileRejected`), every bad row listed with its number: row N
is line N of the file, the header is row 1. The import itself is in `un_fatalities`.
"""

import csv
import hashlib
import operator
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from django.utils import timezone

from incidents.choices import IncidentType, Outcome
from incidents.models import Casualty
from missions.choices import PersonnelCategory
from missions.models import Mission
from peacekeeping.errors import DomainError

COLUMNS = (
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
EARLIEST_DATE = date(1945, 10, 24)  # the Charter's entry into force: no UN death before it
MAX_LISTED_ROWS = 10


def _label(value: str) -> str:
    """A category label compared loosely: spaces collapsed, case ignored."""
    return " ".join(value.split()).casefold()


INCIDENT_TYPES: dict[str, str] = {
    "malicious act": IncidentType.MALICIOUS_ACT,
    "accident": IncidentType.ACCIDENT,
    "illness": IncidentType.ILLNESS,
    "self-inflicted": IncidentType.SELF_INFLICTED,
    "to be determined": IncidentType.TO_BE_DETERMINED,
    "unknown": IncidentType.UNKNOWN,
}
# The file does not tell formed police units from individual officers.
PERSONNEL_TYPES: dict[str, str] = {
    "military": PersonnelCategory.MILITARY_CONTINGENT,
    "military observer": PersonnelCategory.MILITARY_OBSERVER,
    "police": PersonnelCategory.INDIVIDUAL_POLICE,
    "international civilian": PersonnelCategory.INTERNATIONAL_CIVILIAN,
    "local": PersonnelCategory.NATIONAL_STAFF,
    "other": PersonnelCategory.OTHER,
}
CASUALTY_TYPES: dict[str, str] = {"fatality": Outcome.KILLED}

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")


class FatalityRow(NamedTuple):
    """One checked row of the file, with its values already mapped to the app's choices.
    (A named tuple: a million of them are made in one import, each three times faster
    than a frozen dataclass.)"""

    row: int
    casualty_id: str
    occurred_on: date
    mission: str
    incident_type: str
    category: str
    personnel_type: str
    outcome: str
    nationality: str
    m49: str
    iso3: str


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


class UnFatalitiesFileRejected(DomainError):
    """The file has bad rows: none of it is imported."""

    code = "file_rejected"

    def __init__(self, errors: list[RowError], *, name: str = "the file"):
        self.errors = errors
        listed = "\n".join(f"  {error}" for error in errors)
        bad = "1 bad row" if len(errors) == 1 else f"{len(errors)} bad rows"
        super().__init__(f"{name} rejected, nothing was imported ({bad}):\n{listed}")


class ImportWarnings:
    """Warnings grouped by message, each with the rows it concerns."""

    def __init__(self) -> None:
        self._by_message: dict[str, list[int]] = {}
        self._counts: dict[str, int] = {}
        self.rows: set[int] = set()

    def add(self, message: str, row: int | None = None) -> None:
        rows = self._by_message.setdefault(message, [])
        self._counts[message] = self._counts.get(message, 0) + (row is not None)
        if row is not None:
            self.rows.add(row)
            if len(rows) < MAX_LISTED_ROWS:
                rows.append(row)

    def messages(self) -> list[str]:
        lines = []
        for message, rows in self._by_message.items():
            count = self._counts[message]
            listed = ", ".join(str(row) for row in rows)
            if count == 0:
                lines.append(message)
            elif count == 1:
                lines.append(f"{message} (row {listed})")
            elif count <= len(rows):
                lines.append(f"{message} ({count} rows: {listed})")
            else:
                lines.append(f"{message} ({count} rows: {listed} and {count - len(rows)} more)")
        return lines


@dataclass
class ParsedFile:
    name: str
    sha256: str
    rows: dict[str, FatalityRow]
    rows_read: int
    superseded: int
    warnings: ImportWarnings


def parse_date(text: str, *, today: date) -> date:
    """YYYY-MM-DD, DD/MM/YYYY or D/M/YY. A two-digit year above this year's two digits is
    in the 1900s, any other in the 2000s. Raises ValueError with a readable reason."""
    text = text.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 1900 if year > today.year % 100 else 2000
    else:
        raise ValueError(
            f"unreadable Incident_Date {text!r} (expected YYYY-MM-DD, DD/MM/YYYY or D/M/YY)"
        )
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"unreadable Incident_Date {text!r}: there is no such day") from None
    if value > today:
        raise ValueError(f"Incident_Date {text!r} is in the future")
    if value < EARLIEST_DATE:
        raise ValueError(f"Incident_Date {text!r} is before the United Nations existed")
    return value


def _column_positions(header: list[str], name: str) -> dict[str, int]:
    found = {_label(cell.lstrip("\ufeff")): position for position, cell in enumerate(header)}
    missing = [column for column in COLUMNS if _label(column) not in found]
    if missing:
        raise UnFatalitiesFileRejected(
            [RowError(1, f"the header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}")],
            name=name,
        )
    return {column: found[_label(column)] for column in COLUMNS}


# A value not looked up yet (None means looked up and unknown).
_UNSEEN = object()
_NO_PROBLEMS: list[str] = []  # shared, never changed: a good row's problems
# A FatalityRow from one tuple of its fields, without the named tuple's __new__ (a
# Python-level call) a million times.
_new_row = tuple.__new__


class _RowChecker:
    """Checks rows and maps their values; what a value means is worked out once per
    distinct value (a million rows hold a few thousand dates and a dozen labels)."""

    def __init__(self, positions: dict[str, int], *, today: date) -> None:
        self.positions = positions
        self.pick = operator.itemgetter(*(positions[column] for column in COLUMNS))
        self.width = max(positions.values()) + 1
        self.today = today
        self.id_limit = Casualty._meta.get_field("un_casualty_id").max_length
        self.acronym_limit = Mission._meta.get_field("acronym").max_length
        self._dates: dict[str, tuple[date | None, str | None]] = {}
        # Per mapped column: raw value -> the app's choice, or None when unknown.
        self._outcomes: dict[str, str | None] = {}
        self._categories: dict[str, str | None] = {}
        self._incidents: dict[str, str | None] = {}
        # Per column: raw value -> the one string object kept for it (normalised).
        self._missions: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._nationalities: dict[str, str] = {}
        self._m49s: dict[str, str] = {}
        self._iso3s: dict[str, str] = {}

    def _date(self, text: str) -> tuple[date | None, str | None]:
        try:
            known = (parse_date(text, today=self.today), None)
        except ValueError as exc:
            known = (None, str(exc))
        self._dates[text] = known
        return known

    @staticmethod
    def _learn(seen: dict, choices: dict[str, str], value: str) -> str | None:
        seen[value] = choices.get(_label(value))
        return seen[value]

    def check(self, row: int, record: list[str], text: str):
        """The row (a FatalityRow), or None and the list of what is wrong with it.
        `text` is the record's fields joined, as the reader made it to skip blank lines.

        Called once per row (a million for a decade of the file): every value is looked
        up in a dict of the values already seen, and worked out only the first time."""
        if len(record) < self.width:
            return None, [f"has {len(record)} fields, expected {len(COLUMNS)}"]
        if "\ufffd" in text:
            return None, ["is not UTF-8 text"]
        (
            casualty_id,
            incident_date,
            mission,
            casualty_type,
            nationality,
            m49,
            iso3,
            personnel_type,
            incident_type,
        ) = map(str.strip, self.pick(record))
        problems = []
        if not casualty_id:
            problems.append("Casualty_ID is blank")
        elif len(casualty_id) > self.id_limit:
            problems.append(f"Casualty_ID {casualty_id!r} is too long")
        occurred_on, problem = self._dates.get(incident_date) or self._date(incident_date)
        if problem:
            problems.append(problem)
        if not mission:
            problems.append("Mission_Acronym is blank")
        elif len(mission) > self.acronym_limit:
            problems.append(f"Mission_Acronym {mission!r} is too long")
        outcome = self._outcomes.get(casualty_type, _UNSEEN)
        if outcome is _UNSEEN:
            outcome = self._learn(self._outcomes, CASUALTY_TYPES, casualty_type)
        if outcome is None:
            problems.append(f"unknown Type_of_Casualty {casualty_type!r}")
        category = self._categories.get(personnel_type, _UNSEEN)
        if category is _UNSEEN:
            category = self._learn(self._categories, PERSONNEL_TYPES, personnel_type)
        if category is None:
            problems.append(f"unknown Casualty_Personnel_Type {personnel_type!r}")
        incident = self._incidents.get(incident_type, _UNSEEN)
        if incident is _UNSEEN:
            incident = self._learn(self._incidents, INCIDENT_TYPES, incident_type)
        if incident is None:
            problems.append(f"unknown Type_Of_Incident {incident_type!r}")
        if problems:
            return None, problems
        # One string object per distinct value: a million rows name a few hundred
        # missions and countries, and each row would otherwise hold its own copies.
        label = self._labels.get(personnel_type)
        if label is None:
            label = self._labels[personnel_type] = " ".join(personnel_type.split())
        named = self._nationalities.get(nationality)
        if named is None:
            named = self._nationalities[nationality] = " ".join(nationality.split())
        code = self._iso3s.get(iso3)
        if code is None:
            code = self._iso3s[iso3] = iso3.upper()
        return _new_row(
            FatalityRow,
            (
                row,
                casualty_id,
                occurred_on,
                self._missions.setdefault(mission, mission),
                incident,
                category,
                label,
                outcome,
                named,
                self._m49s.setdefault(m49, m49),
                code,
            ),
        ), _NO_PROBLEMS


def read_fatalities(path: Path, *, today: date | None = None) -> ParsedFile:
    """Check the whole file; raise UnFatalitiesFileRejected listing every bad row."""
    today = today or timezone.now().date()
    with path.open("rb") as raw:
        sha256 = hashlib.file_digest(raw, "sha256").hexdigest()
    rows: dict[str, FatalityRow] = {}
    errors: list[RowError] = []
    warnings = ImportWarnings()
    rows_read = superseded = 0
    # errors="replace": an undecodable byte becomes U+FFFD, reported with its row number.
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise UnFatalitiesFileRejected([RowError(1, "the file is empty")], name=path.name)
            check = _RowChecker(_column_positions(header, path.name), today=today).check
            for record in reader:
                text = "".join(record)
                if not text or text.isspace():  # a blank line
                    continue
                row = reader.line_num
                rows_read += 1
                fatality, problems = check(row, record, text)
                if problems:
                    errors.append(RowError(row, "; ".join(problems)))
                    continue
                earlier = rows.get(fatality.casualty_id)
                if earlier is not None:
                    superseded += 1
                    warnings.add(
                        f"Casualty_ID {fatality.casualty_id} is repeated on row {row}, "
                        "which replaces the earlier row",
                        earlier.row,
                    )
                rows[fatality.casualty_id] = fatality
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, f"is not readable CSV ({exc})"))
    if errors:
        raise UnFatalitiesFileRejected(errors, name=path.name)
    return ParsedFile(
        name=path.name,
        sha256=sha256,
        rows=rows,
        rows_read=rows_read,
        superseded=superseded,
        warnings=warnings,
    )
