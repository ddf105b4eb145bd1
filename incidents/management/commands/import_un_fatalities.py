"""`manage.py import_un_fatalities [PATH] [--dry-run]`: the UN's peacekeeper fatalities file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.importers.un_fatalities import un_fatalities_import
from peacekeeping.errors import DomainError
from peacekeeping.history import db_actor


class Command(BaseCommand):
    help = (
        "Import the UN peacekeeper fatalities file (odp_noticas.csv): all of it, or nothing "
        "if a row is bad. Running it again with the same file changes nothing."
    )

    # Django's system checks (URLs, templates, admin, security settings) took ~1 s of
    # each run, as long as a whole import of the UN's file; `manage.py check` and the
    # deployment run them, a data command need not repeat them each time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="The CSV file (default: SHARED_DATA_DIR/odp_noticas.csv).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )

    def handle(self, *args, path: Path | None, dry_run: bool, **options):
        path = path or Path(settings.SHARED_DATA_DIR) / "odp_noticas.csv"
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with db_actor(context="command:import_un_fatalities"):
                summary = un_fatalities_import(path=path, actor=None, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(summary.as_text()))
