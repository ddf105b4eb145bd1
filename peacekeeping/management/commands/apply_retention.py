"""Anonymise personal data past the retention period (RETENTION_YEARS); audited."""

import json

from django.core.management.base import BaseCommand

from peacekeeping.history import db_actor
from peacekeeping.retention import retention_apply


class Command(BaseCommand):
    help = "Anonymise personal data of matters that ended more than RETENTION_YEARS ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change; change nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        with db_actor(context="command:apply_retention"):
            result = retention_apply(dry_run=dry_run)
        summary = {
            key: len(value) if isinstance(value, list) else value for key, value in result.items()
        }
        self.stdout.write(("would change: " if dry_run else "") + json.dumps(summary))
