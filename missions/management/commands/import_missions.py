"""`manage.py import_missions PATH`: a list of UN operations in the columns of missions.csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from missions.importers import MISSION_CSV_COLUMNS, read_mission_csv
from missions.models import Country, Mission
from missions.services import mission_upsert_from_row
from peacekeeping.audit import audit_record
from peacekeeping.errors import DomainError
from peacekeeping.history import db_actor


class Command(BaseCommand):
    help = (
        "Create or update missions from a CSV file with the columns "
        f"{','.join(MISSION_CSV_COLUMNS)}. All of it, or nothing if a row is bad (every "
        "bad row is listed; row numbers count the header as row 1). Running it again with "
        "the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The CSV file.")

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        parsed = read_mission_csv(
            path,
            known_iso3=set(Country.objects.values_list("iso3", flat=True)),
            known_acronyms=set(Mission.objects.values_list("acronym", flat=True)),
        )
        if parsed.errors:
            lines = [f"{path.name} rejected, nothing imported. Fix these rows:"]
            lines += [f"  row {row}: {message}" for row, message in parsed.errors]
            raise CommandError("\n".join(lines))

        counts = {"created": 0, "updated": 0, "unchanged": 0}
        warned = len({row for row, _ in parsed.warnings})
        try:
            with db_actor(context="command:import_missions"), transaction.atomic():
                # Aggregates last, so their components exist whatever the file's order.
                for row in sorted(parsed.rows, key=lambda r: r.is_aggregate):
                    try:
                        _, outcome = mission_upsert_from_row(
                            actor=None,
                            acronym=row.acronym,
                            values=row.values,
                            host_iso3=row.host_iso3,
                            component_acronyms=row.component_acronyms or None,
                        )
                    except DomainError as exc:
                        raise DomainError(f"row {row.row}: {exc}") from exc
                    counts[outcome] += 1
                if counts["created"] or counts["updated"]:
                    audit_record(
                        actor=None,
                        action="mission.import",
                        object_type=Mission._meta.label_lower,
                        changes={"file": path.name, **counts, "warned": warned},
                    )
        except DomainError as exc:
            raise CommandError(f"{path.name} rejected, nothing imported: {exc}") from exc

        for row, message in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"warning: row {row}: {message}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {len(parsed.rows)} missions read. Created: {counts['created']}, "
                f"updated: {counts['updated']}, unchanged: {counts['unchanged']}, "
                f"warned: {warned}."
            )
        )
